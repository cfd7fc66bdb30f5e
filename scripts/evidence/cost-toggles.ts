/**
 * The configuration fields that make a deployment cheaper, what each saves and what it gives
 * up. `test/evidence/cost-toggles.test.ts` sets every field to its cheaper value in the default
 * configuration and checks that the configuration schema accepts it, so a renamed field fails.
 */
import { usd } from './markdown';
import { PriceKey, PriceTable } from './price-table';

/** One cost lever of the configuration. */
export interface CostToggle {
  /**
   * Field paths in the configuration: `<pattern>` stands for each pattern name and `[]` for
   * each MCP server.
   */
  readonly field: string;
  /** The cheaper value, as written in the configuration. */
  readonly cheaper: string | number | boolean | readonly string[];
  /**
   * How the cheaper value reads in the documentation.
   * @default - the value as JSON
   */
  readonly display?: string;
  /** Whether the cheaper value is already the default. */
  readonly isDefault: boolean;
  /** What choosing the cheaper value saves, priced from the table. */
  readonly saves: (prices: PriceTable) => string;
  /** What the cheaper value gives up. */
  readonly givesUp: string;
}

/** US$ per month of one unit of a price (hourly prices over the table's month). */
export function monthly(prices: PriceTable, key: PriceKey): number {
  const price = prices.prices[key];
  return /Hour/.test(key) ? price.usd * prices.hoursPerMonth : price.usd;
}

const per = (prices: PriceTable, key: PriceKey, what: string): string => `${usd(monthly(prices, key))} per ${what}`;

/** The levers, largest savings first. */
export const COST_TOGGLES: readonly CostToggle[] = [
  {
    field: 'patterns.layeredDefense.shieldAdvanced',
    cheaper: false,
    isDefault: true,
    saves: (p) => `${per(p, 'shieldAdvancedMonth', 'month')} (subscription, one-year commitment)`,
    givesUp: 'The Shield Response Team, cost protection for scaling during an attack and advanced DDoS detection; ' +
      'Shield Standard, the WAF rate limits and the ALB still apply.',
  },
  {
    field: 'patterns.zeroTrustNetwork.verifiedAccess',
    cheaper: false,
    isDefault: true,
    saves: (p) => per(p, 'verifiedAccessApplicationHour', 'Verified Access application'),
    givesUp: 'AWS-evaluated identity and device policy in front of the endpoint; clients reach the WAF-protected ALB ' +
      'and the gateway still verifies every token.',
  },
  {
    field: 'patterns.<pattern>.enabled',
    cheaper: false,
    isDefault: false,
    saves: () => 'the whole idle cost of that pattern stack (see the table above)',
    givesUp: 'The pattern. Enable only the patterns you deploy; the account baseline is shared by all of them.',
  },
  {
    field: 'patterns.<pattern>.env.availabilityZones',
    cheaper: ['us-east-1a', 'us-east-1b'],
    display: 'two zones',
    isDefault: true,
    saves: (p) => `per extra zone: ${per(p, 'interfaceEndpointAzHour', 'interface endpoint')}, ` +
      `${per(p, 'publicIpv4Hour', 'public address')} of an internet-facing ALB, and a NAT gateway and firewall endpoint with firewall egress`,
    givesUp: 'Surviving the loss of more than one zone. Two is the kit\'s minimum.',
  },
  {
    field: 'gateway.desiredCount',
    cheaper: 2,
    isDefault: true,
    saves: (p) => `per task: ${per(p, 'fargateVcpuHourX86', 'vCPU')} and ${per(p, 'fargateGbHourX86', 'GB')} ` +
      `(Fargate x86), ${per(p, 'guardDutyRuntimeVcpuMonth', 'vCPU')} of GuardDuty Runtime Monitoring`,
    givesUp: 'Headroom: autoscaling still adds tasks under load. Two tasks in two zones is the kit\'s minimum.',
  },
  {
    field: 'mcpServers[].desiredCount',
    cheaper: 2,
    isDefault: true,
    saves: (p) => `per task, as for the gateway: ${per(p, 'fargateVcpuHourX86', 'vCPU')} and ${per(p, 'fargateGbHourX86', 'GB')}`,
    givesUp: 'Headroom, as for the gateway; two tasks is the minimum.',
  },
  {
    field: 'mcpServers[].cpu',
    cheaper: 256,
    isDefault: true,
    saves: (p) => `${usd(monthly(p, 'fargateVcpuHourX86') / 4)} per task for each 256 CPU units fewer`,
    givesUp: 'Throughput of CPU-bound tools.',
  },
  {
    field: 'mcpServers[].memoryMiB',
    cheaper: 512,
    isDefault: true,
    saves: (p) => `${usd(monthly(p, 'fargateGbHourX86') / 2)} per task for each 512 MiB fewer`,
    givesUp: 'Memory for large tool results.',
  },
  {
    field: 'patterns.<pattern>.internetFacing',
    cheaper: false,
    isDefault: false,
    saves: (p) => `${per(p, 'publicIpv4Hour', 'public address')}, one per zone of the ALB`,
    givesUp: 'Clients on the internet: an internal ALB is reachable only from networks routed to the VPC. The WAF stays.',
  },
  {
    field: 'identity.type',
    cheaper: 'oidc',
    isDefault: false,
    saves: (p) => `${usd(p.prices.cognitoPlusMau.usd)} per monthly active user of the Cognito Plus plan`,
    givesUp: 'Cognito threat protection (compromised credentials, adaptive authentication) and managed login; ' +
      'the external issuer\'s own controls apply instead.',
  },
  {
    field: 'logging.retentionDays',
    cheaper: 365,
    isDefault: true,
    saves: (p) => `${per(p, 'logsStorageGbMonth', 'GB')} of log storage for every month not kept`,
    givesUp: 'Nothing below the floor: the kit refuses less than a year.',
  },
];
