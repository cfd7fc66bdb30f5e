/** How the diagrams read individual resources: where they are placed, what they are, what they check. */
import { IConstruct } from 'constructs';
import { CfnTemplate, listOf, LocatedResource, prop, referencedId } from './template';

/** The subnets a resource is placed in (logical ids). */
export function placementSubnets(resource: LocatedResource): string[] {
  const readers: Record<string, () => unknown[]> = {
    'AWS::ElasticLoadBalancingV2::LoadBalancer': () => [...listOf(prop(resource, 'Subnets')), ...listOf(prop(resource, 'SubnetMappings')).map((m) => (m as { SubnetId?: unknown }).SubnetId)],
    'AWS::ECS::Service': () => listOf(prop(resource, 'NetworkConfiguration', 'AwsvpcConfiguration', 'Subnets')),
    'AWS::EC2::VPCEndpoint': () => listOf(prop(resource, 'SubnetIds')),
    'AWS::Lambda::Function': () => listOf(prop(resource, 'VpcConfig', 'SubnetIds')),
    'AWS::EC2::NatGateway': () => listOf(prop(resource, 'SubnetId')),
    'AWS::NetworkFirewall::Firewall': () => listOf(prop(resource, 'SubnetMappings')).map((m) => (m as { SubnetId?: unknown }).SubnetId),
    'AWS::EC2::VerifiedAccessEndpoint': () => listOf(prop(resource, 'LoadBalancerOptions', 'SubnetIds')),
  };
  const values = readers[resource.Type]?.() ?? [];
  return values.map(referencedId).filter((id): id is string => id !== undefined);
}

/** The security groups a resource is attached to (logical ids). */
export function securityGroupsOf(resource: LocatedResource): string[] {
  const readers: Record<string, () => unknown[]> = {
    'AWS::ElasticLoadBalancingV2::LoadBalancer': () => listOf(prop(resource, 'SecurityGroups')),
    'AWS::ECS::Service': () => listOf(prop(resource, 'NetworkConfiguration', 'AwsvpcConfiguration', 'SecurityGroups')),
    'AWS::EC2::VPCEndpoint': () => listOf(prop(resource, 'SecurityGroupIds')),
    'AWS::Lambda::Function': () => listOf(prop(resource, 'VpcConfig', 'SecurityGroupIds')),
    'AWS::EC2::VerifiedAccessEndpoint': () => listOf(prop(resource, 'SecurityGroupIds')),
    'AWS::VpcLattice::ServiceNetworkVpcAssociation': () => listOf(prop(resource, 'SecurityGroupIds')),
  };
  const values = readers[resource.Type]?.() ?? [];
  return values.map(referencedId).filter((id): id is string => id !== undefined);
}

/**
 * Resource types worth naming in a diagram, singular and plural; the rest (IAM, policies,
 * routes…) is noise there. KMS keys have a section of their own.
 */
const KINDS: Record<string, [string, string]> = {
  'AWS::ElasticLoadBalancingV2::LoadBalancer': ['load balancer', 'load balancers'],
  'AWS::EC2::NatGateway': ['NAT gateway', 'NAT gateways'],
  'AWS::NetworkFirewall::Firewall': ['Network Firewall', 'Network Firewalls'],
  'AWS::WAFv2::WebACL': ['WAF web ACL', 'WAF web ACLs'],
  'AWS::Cognito::UserPool': ['Cognito user pool', 'Cognito user pools'],
  'AWS::VerifiedPermissions::PolicyStore': ['Verified Permissions policy store', 'Verified Permissions policy stores'],
  'AWS::VpcLattice::ServiceNetwork': ['VPC Lattice service network', 'VPC Lattice service networks'],
  'AWS::VpcLattice::Service': ['VPC Lattice service', 'VPC Lattice services'],
  'AWS::EC2::VerifiedAccessEndpoint': ['Verified Access endpoint', 'Verified Access endpoints'],
  'AWS::ACMPCA::CertificateAuthority': ['Private CA', 'Private CAs'],
  'AWS::Lambda::Function': ['Lambda function', 'Lambda functions'],
  'AWS::SecretsManager::Secret': ['secret', 'secrets'],
  'AWS::CloudTrail::Trail': ['CloudTrail trail', 'CloudTrail trails'],
  'AWS::GuardDuty::Detector': ['GuardDuty detector', 'GuardDuty detectors'],
  'AWS::SecurityHub::Hub': ['Security Hub', 'Security Hubs'],
  'AWS::SecurityHub::Standard': ['Security Hub standard', 'Security Hub standards'],
  'AWS::S3::Bucket': ['S3 bucket', 'S3 buckets'],
  'AWS::SNS::Topic': ['SNS topic', 'SNS topics'],
  'AWS::SQS::Queue': ['SQS queue', 'SQS queues'],
  'AWS::Events::Rule': ['EventBridge rule', 'EventBridge rules'],
  'AWS::CloudWatch::Alarm': ['alarm', 'alarms'],
  'AWS::Logs::LogGroup': ['log group', 'log groups'],
};

/**
 * What a set of resources holds, in a few words each: services one by one with their task
 * size, everything else counted by kind. `short` counts services too.
 */
export function describeResources(members: readonly LocatedResource[], template: CfnTemplate, short = false): string[] {
  const parts: string[] = [];
  const counts = new Map<string, number>();
  for (const resource of members) {
    if (resource.Type === 'AWS::ECS::Service' && !short) {
      parts.push(serviceLabel(resource, template));
    } else if (resource.Type === 'AWS::ElasticLoadBalancingV2::LoadBalancer' && !short) {
      parts.push(`${prop(resource, 'Type') === 'network' ? 'Network' : 'Application'} Load Balancer, ${String(prop(resource, 'Scheme') ?? 'internet-facing')}`);
    } else if (resource.Type === 'AWS::EC2::VPCEndpoint') {
      const kind = prop(resource, 'VpcEndpointType') === 'Interface' ? 'interface endpoint' : 'gateway endpoint';
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
    } else if (resource.Type === 'AWS::ECS::Service' || KINDS[resource.Type]) {
      const kind = resource.Type === 'AWS::ECS::Service' ? 'ECS service' : KINDS[resource.Type][0];
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
  }
  const plural = (kind: string): string => Object.values(KINDS).find(([one]) => one === kind)?.[1] ?? `${kind}s`;
  return [...parts, ...[...counts].map(([kind, n]) => (n === 1 ? kind : `${n} ${plural(kind)}`))];
}

function serviceLabel(service: LocatedResource, template: CfnTemplate): string {
  const definition = template.Resources?.[referencedId(prop(service, 'TaskDefinition')) ?? ''];
  const tasks = Number(prop(service, 'DesiredCount') ?? 1);
  if (!definition) return `ECS service, ${tasks} tasks`;
  const vcpu = Number(prop(definition, 'Cpu')) / 1024;
  const gb = Number(prop(definition, 'Memory')) / 1024;
  return `ECS service, ${tasks} × ${vcpu} vCPU / ${gb} GB`;
}

/** The checks a component runs, from its resources and building block. */
export function checksOf(owner: IConstruct, members: readonly LocatedResource[]): string[] {
  const checks: string[] = [];
  const has = (type: string, filter: (r: LocatedResource) => boolean = () => true): LocatedResource[] =>
    members.filter((r) => r.Type === type && filter(r));
  for (const acl of has('AWS::WAFv2::WebACL')) checks.push(`WAF: ${listOf(prop(acl, 'Rules')).length} rules`);
  for (const listener of has('AWS::ElasticLoadBalancingV2::Listener', (l) => prop(l, 'Protocol') === 'HTTPS')) {
    checks.push(`TLS on :${String(prop(listener, 'Port'))} (${String(prop(listener, 'SslPolicy') ?? 'default policy')})`);
  }
  const classes = new Set([owner, ...owner.node.findAll()].map((c) => c.constructor.name));
  if (classes.has('McpSecurityGateway') && has('AWS::ECS::Service').length > 0) {
    checks.push('MCP gateway: OAuth token per request, Cedar policy, tool pinning, guardrails, audit chain');
  }
  if (classes.has('TaskQuarantine') && has('AWS::Lambda::Function').length > 0) checks.push('quarantines tasks on findings');
  if (has('AWS::VpcLattice::Service', (s) => prop(s, 'AuthType') === 'AWS_IAM').length > 0) checks.push('Lattice: SigV4 + IAM auth policy');
  if (has('AWS::VpcLattice::ServiceNetwork', (s) => prop(s, 'AuthType') === 'AWS_IAM').length > 0) checks.push('Lattice network: IAM auth policy');
  const serviceConnectTls = (service: LocatedResource): boolean =>
    listOf(prop(service, 'ServiceConnectConfiguration', 'Services')).some((entry) => (entry as { Tls?: unknown }).Tls !== undefined);
  if (has('AWS::ECS::Service', serviceConnectTls).length > 0) checks.push('Service Connect TLS (Private CA)');
  if (has('AWS::NetworkFirewall::Firewall').length > 0) checks.push('Network Firewall: domain allow-list');
  if (has('AWS::EC2::VerifiedAccessEndpoint').length > 0) checks.push('Verified Access: policy per request');
  if (has('AWS::Cognito::UserPool', (p) => prop(p, 'MfaConfiguration') === 'ON').length > 0) checks.push('Cognito: MFA required');
  if (has('AWS::GuardDuty::Detector').length > 0) checks.push('GuardDuty threat detection');
  if (has('AWS::SecurityHub::Hub').length > 0) checks.push(`Security Hub: ${has('AWS::SecurityHub::Standard').length} standards`);
  return checks;
}
