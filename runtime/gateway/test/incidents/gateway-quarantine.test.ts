import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { createSampleServer } from '../../src/dev/sample-upstream';
import { parseEnforcementConfig } from '../../src/enforcement/config';
import { createEnforcement } from '../../src/enforcement/create-enforcement';
import { BusEvent, EventPublisher } from '../../src/incidents/event-publisher';
import { QuarantineTrigger } from '../../src/incidents/quarantine-requester';
import { Harness, startHarness } from '../support/harness';

const SERVICE = 'arn:aws:ecs:us-east-1:111111111111:service/mcp/alpha';
const BUS = 'arn:aws:events:us-east-1:111111111111:event-bus/mcp-incidents';

class RecordingPublisher implements EventPublisher {
  readonly events: BusEvent[] = [];
  async publish(event: BusEvent): Promise<void> {
    this.events.push(event);
  }
}

/** A gateway whose reviewer approved alpha's tools, except that "wait" has drifted since. */
async function gatewayWithDriftedTool(triggers: QuarantineTrigger[], enabled = true): Promise<{ h: Harness; publisher: RecordingPublisher }> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createSampleServer('alpha').connect(serverSide);
  const client = new Client({ name: 'pinner', version: '1' });
  await client.connect(clientSide);
  const { tools } = await client.listTools();
  await client.close();
  const scratch = await createEnforcement(parseEnforcementConfig({ pinning: { mode: 'report' } }), { sink: { write: async () => undefined } });
  const hashes = scratch.pinTools('alpha', tools).approvalSnippet.alpha;
  const drifted = scratch.pinTools('alpha', tools.map((t) => (t.name === 'wait' ? { ...t, description: 'Wait politely.' } : t))).approvalSnippet.alpha;
  const approved = { alpha: { echo: hashes.echo, leak: hashes.leak, wait: drifted.wait } };
  const enforcement = await createEnforcement(parseEnforcementConfig({ pinning: { mode: 'enforce', approved } }), { sink: { write: async () => undefined } });
  const publisher = new RecordingPublisher();
  const h = await startHarness({
    upstreams: ['alpha'],
    enforcement,
    ecsServices: { alpha: SERVICE },
    eventPublisher: publisher,
    config: { incidents: { quarantineRequests: { enabled, eventBusArn: BUS, triggers } } },
  });
  return { h, publisher };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('the gateway requests a quarantine of a compromised upstream (EventBridge double)', () => {
  let h: Harness | undefined;
  afterEach(async () => { await h?.close(); h = undefined; });

  test('a drifted approved tool sends one Quarantine Task request naming the upstream\'s ECS service, however often it is listed', async () => {
    // GIVEN
    const setup = await gatewayWithDriftedTool(['tool-drift']);
    h = setup.h;
    const { client } = await h.client();

    // WHEN
    await client.listTools();
    await client.listTools();
    await settle();

    // THEN
    expect(setup.publisher.events).toHaveLength(1);
    expect(setup.publisher.events[0]).toMatchObject({
      source: 'mcp-kit.incident',
      detailType: 'Quarantine Task',
      detail: { serviceArn: SERVICE, upstream: 'alpha', gateway: 'mcp-gateway', trigger: 'tool-drift', reason: expect.stringMatching(/^gateway mcp-gateway: upstream alpha: tool-drift: tool:alpha\/wait: /) },
    });
    expect(h.gateway.metrics.value('mcp_gateway_quarantine_requests_total', { upstream: 'alpha', outcome: 'sent' })).toBe(1);
    expect(h.gateway.metrics.value('mcp_gateway_quarantine_requests_total', { upstream: 'alpha', outcome: 'suppressed' })).toBe(1);
  });

  test('a result blocked for an injection sends a request when that trigger is configured', async () => {
    const setup = await gatewayWithDriftedTool(['injection-in-result']);
    h = setup.h;
    const { client } = await h.client({ token: await h.token('alice', ['mcp', 'mcp:tools', 'mcp:tools:destructive']) });

    await client.listTools();
    await expect(client.callTool({ name: 'alpha__leak', arguments: {} })).rejects.toThrow(/Result blocked by a guardrail/);
    await settle();

    expect(setup.publisher.events.map((e) => e.detail.trigger)).toEqual(['injection-in-result']);
  });

  test('off unless enabled: the same drift sends nothing', async () => {
    const setup = await gatewayWithDriftedTool(['tool-drift'], false);
    h = setup.h;
    const { client } = await h.client();

    await client.listTools();
    await settle();

    expect(setup.publisher.events).toEqual([]);
    expect(h.gateway.metrics.total('mcp_gateway_quarantine_requests_total')).toBe(0);
  });
});
