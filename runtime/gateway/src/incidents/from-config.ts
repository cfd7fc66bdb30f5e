import { EventBridgePublisher, EventPublisher } from './event-publisher';
import { QuarantineRequester } from './quarantine-requester';
import type { GatewayConfig } from '../config/schema';
import type { Logger } from '../observability/log';
import type { Metrics } from '../observability/metrics';

/**
 * The quarantine requester when `incidents.quarantineRequests` is on (never in benchmark mode).
 * Each outcome is logged and counted; an upstream without `ecsServiceArn` cannot be named, which
 * the start log says once.
 */
export function quarantineRequesterFromConfig(
  config: GatewayConfig, publisher: EventPublisher | undefined, log: Logger, metrics: Metrics,
): QuarantineRequester | undefined {
  const settings = config.incidents.quarantineRequests;
  if (!settings.enabled || config.mode === 'benchmark') return undefined;
  const services = new Map(config.upstreams.flatMap((u) => (u.ecsServiceArn !== undefined ? [[u.name, u.ecsServiceArn] as const] : [])));
  const unnamed = config.upstreams.filter((u) => u.ecsServiceArn === undefined).map((u) => u.name);
  if (unnamed.length > 0) log.warn('quarantine requests cannot name these upstreams: no ecsServiceArn', { upstreams: unnamed });
  return new QuarantineRequester({
    gateway: config.enforcement.gatewayName,
    triggers: settings.triggers,
    minIntervalMs: settings.minIntervalSeconds * 1000,
    services,
    publisher: publisher ?? new EventBridgePublisher({ eventBusArn: settings.eventBusArn! }),
    onOutcome: ({ upstream, trigger, outcome, error }) => {
      metrics.inc('mcp_gateway_quarantine_requests_total', { upstream, outcome });
      if (outcome === 'sent') log.warn('quarantine requested for an upstream', { upstream, trigger, serviceArn: services.get(upstream) });
      else if (outcome === 'failed') log.error('quarantine request failed', { upstream, trigger, error });
    },
  });
}
