import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { EventBridgePublisher, isEventBusArn } from '../../src/incidents/event-publisher';

const BUS = 'arn:aws:events:us-east-1:111111111111:event-bus/mcp-incidents';
const credentials = async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'session' });

describe('EventBridgePublisher (PutEvents, JSON 1.1, SigV4)', () => {
  let server: http.Server;
  let endpoint: URL;
  let answer: { status: number; body: unknown } = { status: 200, body: { FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] } };
  const seen: Array<{ headers: http.IncomingHttpHeaders; body: string; path: string }> = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ headers: req.headers, body: Buffer.concat(chunks).toString(), path: req.url ?? '' });
        res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  test('sends one signed PutEvents entry on the configured bus', async () => {
    const publisher = new EventBridgePublisher({ eventBusArn: BUS, credentials, endpoint });

    await publisher.publish({ source: 'mcp-kit.incident', detailType: 'Quarantine Task', detail: { serviceArn: 'arn:aws:ecs:us-east-1:111111111111:service/mcp/notes', reason: 'drift' } });

    const [request] = seen;
    expect(request.path).toBe('/');
    expect(request.headers['x-amz-target']).toBe('AWSEvents.PutEvents');
    expect(request.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/events\/aws4_request, SignedHeaders=[^,]*x-amz-target[^,]*, Signature=[0-9a-f]{64}$/);
    expect(request.headers['x-amz-security-token']).toBe('session');
    expect(JSON.parse(request.body)).toEqual({
      Entries: [{
        EventBusName: BUS,
        Source: 'mcp-kit.incident',
        DetailType: 'Quarantine Task',
        Detail: JSON.stringify({ serviceArn: 'arn:aws:ecs:us-east-1:111111111111:service/mcp/notes', reason: 'drift' }),
      }],
    });
  });

  test('fails when EventBridge refuses the entry or the call', async () => {
    const publisher = new EventBridgePublisher({ eventBusArn: BUS, credentials, endpoint });
    const event = { source: 'mcp-kit.incident', detailType: 'Quarantine Task', detail: {} };

    answer = { status: 200, body: { FailedEntryCount: 1, Entries: [{ ErrorCode: 'AccessDeniedException', ErrorMessage: 'not authorized' }] } };
    await expect(publisher.publish(event)).rejects.toThrow('EventBridge refused the event: AccessDeniedException not authorized');
    answer = { status: 400, body: { __type: 'ValidationException', message: 'bad bus' } };
    await expect(publisher.publish(event)).rejects.toThrow('EventBridge PutEvents failed: HTTP 400 ValidationException bad bus');
  });

  test('accepts only event bus ARNs (their partition and region choose the endpoint and the signing region)', () => {
    expect(isEventBusArn(BUS)).toBe(true);
    expect(isEventBusArn('arn:aws-cn:events:cn-north-1:111111111111:event-bus/default')).toBe(true);
    expect(isEventBusArn('default')).toBe(false);
    expect(isEventBusArn('arn:aws:sns:us-east-1:111111111111:topic')).toBe(false);
    expect(() => new EventBridgePublisher({ eventBusArn: 'default', credentials })).toThrow('not an EventBridge event bus ARN: default');
  });
});
