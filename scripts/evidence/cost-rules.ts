/** The pricing rules of the idle cost model: one small function per kind of billed resource. */
import { AssumptionKey, PriceKey, PriceTable } from './price-table';
import { CfnTemplate, listOf, LocatedResource, prop, referencedId, resourcesOf } from './template';

/** One billed item of a stack. */
export interface CostLine {
  /** What is billed, e.g. `NAT gateway`. */
  readonly item: string;
  /** The resource type it comes from. */
  readonly resourceType: string;
  /** How many units, e.g. 4 endpoint-AZs or 1.5 vCPU. */
  readonly quantity: number;
  /** The unit of `unitPrice`, e.g. `endpoint-AZ-month`. */
  readonly unitLabel: string;
  /** US$ per unit and month. */
  readonly unitPrice: number;
  /** `quantity × unitPrice`. */
  readonly monthly: number;
  /** The prices and assumptions of the table the line uses. */
  readonly basis: ReadonlyArray<PriceKey | AssumptionKey>;
}

/** The idle cost of one stack. */
export interface CostEstimate {
  readonly stack: string;
  readonly lines: readonly CostLine[];
  /** Sum of the lines, US$ per month. */
  readonly total: number;
  /** Resource types that produced no line (free, or usage-based and zero when idle), with counts. */
  readonly unpriced: ReadonlyArray<{ readonly type: string; readonly count: number }>;
}

type Rule = (template: CfnTemplate, table: PriceTable) => CostLine[];

/** The estimate of one template. */
export function costsOf(stack: string, template: CfnTemplate, table: PriceTable): CostEstimate {
  const lines = RULES.flatMap((rule) => rule(template, table)).filter((l) => l.quantity > 0);
  const priced = new Set(lines.map((l) => l.resourceType));
  const unpriced = new Map<string, number>();
  for (const { Type } of resourcesOf(template)) {
    if (!priced.has(Type)) unpriced.set(Type, (unpriced.get(Type) ?? 0) + 1);
  }
  return {
    stack,
    lines,
    total: lines.reduce((sum, l) => sum + l.monthly, 0),
    unpriced: [...unpriced].sort(([a], [b]) => a.localeCompare(b)).map(([type, n]) => ({ type, count: n })),
  };
}

/** A line at a table price: hourly prices (`…Hour`) over the table's month, monthly ones as they are. */
function line(
  table: PriceTable, item: string, resourceType: string, quantity: number, key: PriceKey, unitLabel: string, extra: AssumptionKey[] = [],
): CostLine {
  const price = table.prices[key];
  const unitPrice = /Hour/.test(key) ? price.usd * table.hoursPerMonth : price.usd;
  return { item, resourceType, quantity, unitLabel, unitPrice, monthly: quantity * unitPrice, basis: [key, ...extra] };
}

function count(template: CfnTemplate, type: string, filter: (r: LocatedResource) => boolean = () => true): number {
  return resourcesOf(template, type).filter(filter).length;
}

const natGateways: Rule = (t, p) => [line(p, 'NAT gateway', 'AWS::EC2::NatGateway', count(t, 'AWS::EC2::NatGateway'), 'natGatewayHour', 'gateway-month')];

const publicIpv4: Rule = (t, p) => {
  const eips = count(t, 'AWS::EC2::EIP');
  const balancerAddresses = resourcesOf(t, 'AWS::ElasticLoadBalancingV2::LoadBalancer')
    .filter((lb) => prop(lb, 'Scheme') === 'internet-facing')
    .reduce((sum, lb) => sum + Math.max(listOf(prop(lb, 'Subnets')).length, listOf(prop(lb, 'SubnetMappings')).length), 0);
  return [
    line(p, 'Public IPv4 (Elastic IP)', 'AWS::EC2::EIP', eips, 'publicIpv4Hour', 'address-month'),
    line(p, 'Public IPv4 (internet-facing load balancer, one per zone)', 'AWS::ElasticLoadBalancingV2::LoadBalancer', balancerAddresses, 'publicIpv4Hour', 'address-month'),
  ];
};

const interfaceEndpoints: Rule = (t, p) => {
  const endpointAzs = resourcesOf(t, 'AWS::EC2::VPCEndpoint')
    .filter((e) => prop(e, 'VpcEndpointType') === 'Interface')
    .reduce((sum, e) => sum + listOf(prop(e, 'SubnetIds')).length, 0);
  return [line(p, 'Interface VPC endpoint, per zone', 'AWS::EC2::VPCEndpoint', endpointAzs, 'interfaceEndpointAzHour', 'endpoint-zone-month')];
};

const loadBalancers: Rule = (t, p) => {
  const balancers = resourcesOf(t, 'AWS::ElasticLoadBalancingV2::LoadBalancer');
  const network = balancers.filter((lb) => prop(lb, 'Type') === 'network').length;
  return [
    line(p, 'Application Load Balancer', 'AWS::ElasticLoadBalancingV2::LoadBalancer', balancers.length - network, 'albHour', 'load balancer-month'),
    line(p, 'Network Load Balancer', 'AWS::ElasticLoadBalancingV2::LoadBalancer', network, 'nlbHour', 'load balancer-month'),
  ];
};

const waf: Rule = (t, p) => {
  const acls = resourcesOf(t, 'AWS::WAFv2::WebACL');
  return [
    line(p, 'WAF web ACL', 'AWS::WAFv2::WebACL', acls.length, 'wafWebAclMonth', 'web ACL-month'),
    line(p, 'WAF rules and rule groups', 'AWS::WAFv2::WebACL', acls.reduce((sum, acl) => sum + listOf(prop(acl, 'Rules')).length, 0), 'wafRuleMonth', 'rule-month'),
  ];
};

const kmsKeys: Rule = (t, p) => [line(p, 'KMS customer managed key', 'AWS::KMS::Key', count(t, 'AWS::KMS::Key'), 'kmsKeyMonth', 'key-month')];

/** vCPU and GB of the Fargate tasks the services of `t` keep running, by CPU architecture. */
export function fargateCapacity(t: CfnTemplate): { x86: { vcpu: number; gb: number }; arm: { vcpu: number; gb: number } } {
  const capacity = { x86: { vcpu: 0, gb: 0 }, arm: { vcpu: 0, gb: 0 } };
  const definitions = new Map(resourcesOf(t, 'AWS::ECS::TaskDefinition').map((d) => [d.logicalId, d]));
  for (const service of resourcesOf(t, 'AWS::ECS::Service')) {
    const definition = definitions.get(referencedId(prop(service, 'TaskDefinition')) ?? '');
    if (!definition || !listOf(prop(definition, 'RequiresCompatibilities')).includes('FARGATE')) continue;
    // CloudFormation starts one task when DesiredCount is absent.
    const tasks = Number(prop(service, 'DesiredCount') ?? 1);
    const target = prop(definition, 'RuntimePlatform', 'CpuArchitecture') === 'ARM64' ? capacity.arm : capacity.x86;
    target.vcpu += (tasks * Number(prop(definition, 'Cpu'))) / 1024;
    target.gb += (tasks * Number(prop(definition, 'Memory'))) / 1024;
  }
  return capacity;
}

const fargate: Rule = (t, p) => {
  const { x86, arm } = fargateCapacity(t);
  return [
    line(p, 'Fargate vCPU (x86), desired tasks', 'AWS::ECS::Service', x86.vcpu, 'fargateVcpuHourX86', 'vCPU-month'),
    line(p, 'Fargate memory (x86), desired tasks', 'AWS::ECS::Service', x86.gb, 'fargateGbHourX86', 'GB-month'),
    line(p, 'Fargate vCPU (ARM), desired tasks', 'AWS::ECS::Service', arm.vcpu, 'fargateVcpuHourArm', 'vCPU-month'),
    line(p, 'Fargate memory (ARM), desired tasks', 'AWS::ECS::Service', arm.gb, 'fargateGbHourArm', 'GB-month'),
    line(p, 'GuardDuty Runtime Monitoring of those tasks (baseline default)', 'AWS::ECS::Service', x86.vcpu + arm.vcpu, 'guardDutyRuntimeVcpuMonth', 'vCPU-month'),
  ];
};

const networkFirewall: Rule = (t, p) => [line(p, 'Network Firewall endpoint', 'AWS::NetworkFirewall::Firewall',
  resourcesOf(t, 'AWS::NetworkFirewall::Firewall').reduce((sum, fw) => sum + listOf(prop(fw, 'SubnetMappings')).length, 0),
  'networkFirewallEndpointHour', 'endpoint-month')];

const verifiedAccess: Rule = (t, p) => [line(p, 'Verified Access application (endpoint)', 'AWS::EC2::VerifiedAccessEndpoint',
  count(t, 'AWS::EC2::VerifiedAccessEndpoint'), 'verifiedAccessApplicationHour', 'application-month')];

const privateCa: Rule = (t, p) => {
  const shortLived = (ca: LocatedResource): boolean => prop(ca, 'UsageMode') === 'SHORT_LIVED_CERTIFICATE';
  return [
    line(p, 'Private CA, short-lived certificate mode', 'AWS::ACMPCA::CertificateAuthority', count(t, 'AWS::ACMPCA::CertificateAuthority', shortLived), 'privateCaShortLivedMonth', 'CA-month'),
    line(p, 'Private CA, general-purpose mode', 'AWS::ACMPCA::CertificateAuthority', count(t, 'AWS::ACMPCA::CertificateAuthority', (ca) => !shortLived(ca)), 'privateCaGeneralPurposeMonth', 'CA-month'),
  ];
};

const lattice: Rule = (t, p) => [line(p, 'VPC Lattice service', 'AWS::VpcLattice::Service', count(t, 'AWS::VpcLattice::Service'), 'latticeServiceHour', 'service-month')];

const logs: Rule = (t, p) => {
  const groups = count(t, 'AWS::Logs::LogGroup');
  const { logIngestGbPerLogGroupMonth: ingest, logStoredGbPerLogGroup: stored } = p.assumptions;
  return [
    line(p, `Log ingestion (assumed ${ingest.value} GB per group-month)`, 'AWS::Logs::LogGroup', groups * ingest.value, 'logsIngestGb', 'GB', ['logIngestGbPerLogGroupMonth']),
    line(p, `Log storage (assumed ${stored.value} GB per group)`, 'AWS::Logs::LogGroup', groups * stored.value, 'logsStorageGbMonth', 'GB-month', ['logStoredGbPerLogGroup']),
  ];
};

const alarms: Rule = (t, p) => [line(p, 'CloudWatch alarm', 'AWS::CloudWatch::Alarm', count(t, 'AWS::CloudWatch::Alarm'), 'alarmMonth', 'alarm-month')];

const secrets: Rule = (t, p) => [line(p, 'Secrets Manager secret', 'AWS::SecretsManager::Secret', count(t, 'AWS::SecretsManager::Secret'), 'secretMonth', 'secret-month')];

const cognito: Rule = (t, p) => {
  const users = p.assumptions.cognitoMonthlyActiveUsers.value;
  const plus = count(t, 'AWS::Cognito::UserPool', (pool) => prop(pool, 'UserPoolTier') === 'PLUS');
  const essentials = count(t, 'AWS::Cognito::UserPool', (pool) => (prop(pool, 'UserPoolTier') ?? 'ESSENTIALS') === 'ESSENTIALS');
  return [
    line(p, `Cognito Plus plan (assumed ${users} monthly active users)`, 'AWS::Cognito::UserPool', plus * users, 'cognitoPlusMau', 'MAU', ['cognitoMonthlyActiveUsers']),
    // Essentials bills only above 10,000 MAU a month.
    line(p, `Cognito Essentials plan (assumed ${users} monthly active users)`, 'AWS::Cognito::UserPool', essentials * Math.max(0, users - 10_000), 'cognitoEssentialsMau', 'MAU', ['cognitoMonthlyActiveUsers']),
  ];
};

const guardDuty: Rule = (t, p) => {
  const detectors = count(t, 'AWS::GuardDuty::Detector');
  const estimate = p.assumptions.guardDutyFoundationMonth.value;
  return [{
    item: 'GuardDuty detector, foundational analysis (estimate)',
    resourceType: 'AWS::GuardDuty::Detector',
    quantity: detectors,
    unitLabel: 'detector-month',
    unitPrice: estimate,
    monthly: detectors * estimate,
    basis: ['guardDutyFoundationMonth'],
  }];
};

const securityHub: Rule = (t, p) => {
  const checks = p.assumptions.securityHubChecksPerStandardMonth.value;
  return [line(p, `Security Hub standard (assumed ${checks.toLocaleString('en-US')} checks a month)`, 'AWS::SecurityHub::Standard',
    count(t, 'AWS::SecurityHub::Standard') * checks, 'securityHubCheck', 'check', ['securityHubChecksPerStandardMonth'])];
};

const shield: Rule = (t, p) => [line(p, 'Shield Advanced subscription', 'AWS::Shield::Protection',
  Math.min(1, count(t, 'AWS::Shield::Protection')), 'shieldAdvancedMonth', 'subscription-month')];

/** Every rule, in the order lines are reported: network, compute, edge, keys, identity, monitoring. */
const RULES: readonly Rule[] = [
  natGateways, publicIpv4, interfaceEndpoints, networkFirewall, lattice, loadBalancers, waf, shield, verifiedAccess,
  fargate, kmsKeys, privateCa, secrets, cognito, logs, alarms, guardDuty, securityHub,
];
