import { App } from 'aws-cdk-lib';
import { errorOf, TICKETS_ENDPOINT } from './fixtures';
import { FederatedGatewayHubStack, FederatedUpstreamEndpoint } from '../../../patterns/federated-gateway';
import { patternTestProps, testServer } from '../shared/fixtures';

function hubError(endpoints: FederatedUpstreamEndpoint[]): string {
  const app = new App();
  return errorOf(() => new FederatedGatewayHubStack(app, 'Hub', {
    ...patternTestProps(app),
    servers: [testServer('notes'), testServer('tickets', { port: 9090 })],
    endpoints,
  }));
}

const NOTES_ENDPOINT: FederatedUpstreamEndpoint = {
  server: 'notes',
  url: 'https://mcp-test-fg-notes-0123456789abcdef0.7d67968.vpc-lattice-svcs.us-east-1.on.aws/mcp',
  serviceArn: 'arn:aws:vpc-lattice:us-east-1:111111111111:service/svc-0123456789abcdef0',
};

describe('FederatedGatewayHubStack validation', () => {
  test('fails when a server has no endpoint, or one names no server', () => {
    const message = hubError([NOTES_ENDPOINT, { ...TICKETS_ENDPOINT, server: 'billing' }]);
    expect(message).toMatch(/^FederatedGatewayHubStack Hub: invalid properties:/);
    expect(message).toMatch(/endpoints must give exactly one endpoint for server 'tickets', got 0/);
    expect(message).toMatch(/endpoints\[1\]\.server is 'billing', which is not one of servers \(notes, tickets\)/);
  });

  test('fails when a server has two endpoints', () => {
    expect(hubError([NOTES_ENDPOINT, NOTES_ENDPOINT, TICKETS_ENDPOINT])).toMatch(/exactly one endpoint for server 'notes', got 2/);
  });

  test('fails with a service in another region, saying why', () => {
    expect(hubError([NOTES_ENDPOINT, { ...TICKETS_ENDPOINT, serviceArn: TICKETS_ENDPOINT.serviceArn.replace('us-east-1', 'eu-west-1') }]))
      .toMatch(/endpoints\[1\]\.serviceArn is in 'eu-west-1' but the hub is in 'us-east-1'; VPC Lattice service networks are regional/);
  });

  test('fails with a URL that is not https or an ARN that is not a Lattice service', () => {
    const message = hubError([
      { ...NOTES_ENDPOINT, url: 'http://notes.internal/mcp' },
      { ...TICKETS_ENDPOINT, serviceArn: 'arn:aws:elasticloadbalancing:us-east-1:222222222222:loadbalancer/app/x/1' },
    ]);
    expect(message).toMatch(/endpoints\[0\]\.url must be the https:\/\/ URL of a VPC Lattice service with the MCP path, got 'http:\/\/notes.internal\/mcp'/);
    expect(message).toMatch(/endpoints\[1\]\.serviceArn must be a VPC Lattice service ARN/);
  });
});
