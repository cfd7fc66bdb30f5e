import * as http from 'node:http';
import * as https from 'node:https';
import { Sha256 } from '@aws-crypto/sha256-js';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';

/** One custom event for an EventBridge bus. */
export interface BusEvent {
  readonly source: string;
  readonly detailType: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

/** Where the gateway's custom events go; tests use a double. */
export interface EventPublisher {
  /** Puts one event on the bus; rejects when EventBridge did not accept it. */
  publish(event: BusEvent): Promise<void>;
}

const EVENT_BUS_ARN = /^arn:(aws[a-z-]*):events:([a-z0-9-]+):(\d{12}):event-bus\/([A-Za-z0-9._\-/]{1,256})$/;

/** Whether `arn` is an EventBridge event bus ARN (what the configuration accepts). */
export function isEventBusArn(arn: string): boolean {
  return EVENT_BUS_ARN.test(arn);
}

/** Options of {@link EventBridgePublisher}. */
export interface EventBridgePublisherOptions {
  /** ARN of the bus; its partition and region choose the endpoint. */
  readonly eventBusArn: string;
  /** Credentials; the task role through the default provider chain when omitted. */
  readonly credentials?: ReturnType<typeof defaultProvider>;
  /** Endpoint override (tests); the regional EventBridge endpoint when omitted. */
  readonly endpoint?: URL;
  /** Deadline of one call. @default 5000 */
  readonly timeoutMs?: number;
}

/**
 * `PutEvents` of one event, signed with SigV4: the EventBridge JSON 1.1 API over HTTPS with the
 * kit's existing signing dependencies (`@smithy/signature-v4`, the default credential chain),
 * since the gateway sends an event only when an incident is suspected. With
 * `@aws-sdk/client-eventbridge` installed this class is a thin adapter away from the SDK client;
 * the {@link EventPublisher} interface is what the gateway depends on.
 */
export class EventBridgePublisher implements EventPublisher {
  private readonly signer: SignatureV4;
  private readonly endpoint: URL;
  private readonly timeoutMs: number;

  constructor(private readonly options: EventBridgePublisherOptions) {
    const match = EVENT_BUS_ARN.exec(options.eventBusArn);
    if (!match) throw new Error(`not an EventBridge event bus ARN: ${options.eventBusArn}`);
    const [, partition, region] = match;
    this.endpoint = options.endpoint ?? new URL(`https://events.${region}.${partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com'}/`);
    this.signer = new SignatureV4({ service: 'events', region, credentials: options.credentials ?? defaultProvider(), sha256: Sha256 });
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  async publish(event: BusEvent): Promise<void> {
    const body = JSON.stringify({
      Entries: [{ EventBusName: this.options.eventBusArn, Source: event.source, DetailType: event.detailType, Detail: JSON.stringify(event.detail) }],
    });
    const { endpoint } = this;
    const signed = await this.signer.sign({
      method: 'POST',
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      port: endpoint.port ? Number(endpoint.port) : undefined,
      path: endpoint.pathname,
      headers: { 'host': endpoint.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.PutEvents' },
      body,
    });
    const { status, text } = await this.post(signed.headers, body);
    let answer: { FailedEntryCount?: number; Entries?: Array<{ ErrorCode?: string; ErrorMessage?: string }>; __type?: string; message?: string } = {};
    try {
      answer = JSON.parse(text) as typeof answer;
    } catch {
      // A non-JSON answer is reported by its status below.
    }
    if (status !== 200) throw new Error(`EventBridge PutEvents failed: HTTP ${status} ${answer.__type ?? ''} ${answer.message ?? ''}`.trim());
    if ((answer.FailedEntryCount ?? 0) > 0) {
      const [entry] = answer.Entries ?? [];
      throw new Error(`EventBridge refused the event: ${entry?.ErrorCode ?? 'unknown'} ${entry?.ErrorMessage ?? ''}`.trim());
    }
  }

  private post(headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
    const { endpoint } = this;
    // Plain HTTP only for an overridden endpoint (tests on loopback); EventBridge itself is HTTPS.
    const client = endpoint.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = client.request({
        hostname: endpoint.hostname, port: endpoint.port, path: endpoint.pathname, method: 'POST', headers, timeout: this.timeoutMs,
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`EventBridge did not answer within ${this.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }
}
