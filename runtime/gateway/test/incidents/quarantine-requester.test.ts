import { Finding } from '../../src/enforcement/types';
import { BusEvent, EventPublisher } from '../../src/incidents/event-publisher';
import { QuarantineOutcome, QuarantineRequester, QuarantineTrigger } from '../../src/incidents/quarantine-requester';

const SERVICE = 'arn:aws:ecs:us-east-1:111111111111:service/mcp/notes';
const MINUTE = 60_000;

/** A publisher double that records what the gateway would put on the bus. */
class RecordingPublisher implements EventPublisher {
  readonly events: BusEvent[] = [];
  fail = false;
  async publish(event: BusEvent): Promise<void> {
    if (this.fail) throw new Error('bus down');
    this.events.push(event);
  }
}

function finding(detector: string, category: Finding['category'], action: Finding['action'] = 'block'): Finding {
  return { detector, category, severity: 'high', action, location: 'tool:notes/search', message: `"search" ${detector}` };
}

function setUp(triggers: QuarantineTrigger[] = ['tool-drift', 'tool-renamed']) {
  let now = 1_000_000;
  const publisher = new RecordingPublisher();
  const outcomes: QuarantineOutcome[] = [];
  const requester = new QuarantineRequester({
    gateway: 'mcp-gateway',
    triggers,
    minIntervalMs: 15 * MINUTE,
    services: new Map([['notes', SERVICE]]),
    publisher,
    clock: () => now,
    onOutcome: (o) => outcomes.push(o),
  });
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return { requester, publisher, outcomes, settle, advance: (ms: number) => { now += ms; } };
}

describe('quarantine requests from the gateway', () => {
  test('an enforced drift of an approved tool sends one Quarantine Task request naming the upstream\'s ECS service', async () => {
    const { requester, publisher, outcomes, settle } = setUp();

    requester.toolsPinned('notes', [finding('tool-new', 'pinning'), finding('tool-drift', 'pinning')]);
    await settle();

    expect(publisher.events).toEqual([{
      source: 'mcp-kit.incident',
      detailType: 'Quarantine Task',
      detail: {
        serviceArn: SERVICE,
        reason: 'gateway mcp-gateway: upstream notes: tool-drift: tool:notes/search: "search" tool-drift',
        gateway: 'mcp-gateway',
        upstream: 'notes',
        trigger: 'tool-drift',
      },
    }]);
    expect(outcomes).toEqual([{ upstream: 'notes', trigger: 'tool-drift', outcome: 'sent', error: undefined }]);
  });

  test('at most one request per upstream per interval; the next interval may send again', async () => {
    const { requester, publisher, outcomes, settle, advance } = setUp();

    requester.toolsPinned('notes', [finding('tool-drift', 'pinning')]);
    requester.toolsPinned('notes', [finding('tool-renamed', 'pinning')]);
    advance(14 * MINUTE);
    requester.toolsPinned('notes', [finding('tool-drift', 'pinning')]);
    await settle();
    expect(publisher.events).toHaveLength(1);
    expect(outcomes.map((o) => o.outcome)).toEqual(['suppressed', 'suppressed', 'sent']);

    advance(2 * MINUTE);
    requester.toolsPinned('notes', [finding('tool-drift', 'pinning')]);
    await settle();
    expect(publisher.events).toHaveLength(2);
  });

  test('conservative by default: new tools, reported (not enforced) drift and blocked results send nothing', async () => {
    const { requester, publisher, outcomes, settle } = setUp();

    requester.toolsPinned('notes', [finding('tool-new', 'pinning'), finding('tool-drift', 'pinning', 'flag'), finding('tool-shadowing', 'shadowing')]);
    requester.resultBlocked('notes', [finding('instruction-override', 'injection')]);
    await settle();

    expect(publisher.events).toEqual([]);
    expect(outcomes).toEqual([]);
  });

  test('a result blocked for an injection sends a request when that trigger is on; a blocked oversize result does not', async () => {
    const { requester, publisher, settle } = setUp(['injection-in-result']);

    requester.resultBlocked('notes', [finding('oversize', 'limit')]);
    requester.toolsPinned('notes', [finding('tool-drift', 'pinning')]);
    await settle();
    expect(publisher.events).toEqual([]);

    requester.resultBlocked('notes', [finding('aws-access-key', 'secret', 'redact'), finding('instruction-override', 'injection')]);
    await settle();
    expect(publisher.events.map((e) => e.detail.trigger)).toEqual(['injection-in-result']);
  });

  test('an upstream without an ECS service is never named; a failing bus is reported, not retried within the interval', async () => {
    const { requester, publisher, outcomes, settle } = setUp();

    requester.toolsPinned('other', [finding('tool-drift', 'pinning')]);
    publisher.fail = true;
    requester.toolsPinned('notes', [finding('tool-drift', 'pinning')]);
    await settle();
    publisher.fail = false;
    requester.toolsPinned('notes', [finding('tool-drift', 'pinning')]);
    await settle();

    expect(outcomes.map((o) => [o.upstream, o.outcome])).toEqual([['other', 'no-service'], ['notes', 'failed'], ['notes', 'suppressed']]);
    expect(outcomes[1].error).toEqual(new Error('bus down'));
    expect(publisher.events).toEqual([]);
  });

  test('the reason stays within what the incident-response function accepts (1,024 characters)', async () => {
    const { requester, publisher, settle } = setUp();

    requester.toolsPinned('notes', [{ ...finding('tool-drift', 'pinning'), message: 'x'.repeat(5000) }]);
    await settle();

    expect(String(publisher.events[0].detail.reason)).toHaveLength(1024);
  });
});
