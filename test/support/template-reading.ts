import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';

/**
 * Properties of a resource of a synthesized template, as tests read them: CloudFormation JSON
 * whose shape each test asserts itself, so a wrong path fails the assertion that reads it.
 * `any` lets a test walk nested properties (`Properties.NetworkConfiguration.AwsvpcConfiguration`)
 * without declaring a type for every CloudFormation resource it looks at.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CfnProperties = Record<string, any>;

/** A resource of a synthesized template. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties: CfnProperties;
}

/** The resources of `type`, keyed by logical id. */
export function resourcesOf(template: Template, type: string): Record<string, TemplateResource> {
  return template.findResources(type) as Record<string, TemplateResource>;
}

/** The logical id of `construct`, or of its default child. */
export function idOf(construct: IConstruct): string {
  const element = (construct.node.defaultChild ?? construct) as ec2.CfnSecurityGroup;
  return Stack.of(construct).getLogicalId(element);
}

/** One security group ingress rule: where it is, what it admits and from where. */
export interface IngressRule {
  /** Logical id of the group the rule belongs to. */
  readonly group: string;
  /** `<from>-<to>/<protocol>`. */
  readonly ports: string;
  /** A CIDR block, prefix list id, or `sg:<logical id>` of the source group. */
  readonly source: string;
}

/**
 * Every ingress rule of every security group: inline rules and `AWS::EC2::SecurityGroupIngress`
 * resources alike.
 */
export function ingressRules(template: Template): IngressRule[] {
  const describe = (group: string, rule: CfnProperties): IngressRule => ({
    group,
    ports: `${rule.FromPort}-${rule.ToPort}/${rule.IpProtocol}`,
    source: rule.CidrIp ?? rule.CidrIpv6 ?? rule.SourcePrefixListId ?? `sg:${rule.SourceSecurityGroupId?.['Fn::GetAtt']?.[0]}`,
  });
  const inline = Object.entries(resourcesOf(template, 'AWS::EC2::SecurityGroup'))
    .flatMap(([id, group]) => (group.Properties.SecurityGroupIngress ?? []).map((rule: CfnProperties) => describe(id, rule)));
  const separate = Object.values(resourcesOf(template, 'AWS::EC2::SecurityGroupIngress'))
    .map((rule) => describe(rule.Properties.GroupId['Fn::GetAtt'][0], rule.Properties));
  return [...inline, ...separate];
}

/** Whether a rule's source is an address range (CIDR block or prefix list) rather than a security group. */
export function isAddressSource(rule: IngressRule): boolean {
  return !rule.source.startsWith('sg:');
}

/** The routes of the route table of each of `subnets`, keyed by the subnet's logical id. */
export function routesOf(template: Template, stack: Stack, subnets: readonly ec2.ISubnet[]): Map<string, CfnProperties[]> {
  const routes = Object.values(resourcesOf(template, 'AWS::EC2::Route'));
  return new Map(subnets.map((subnet) => {
    const table = stack.getLogicalId(subnet.node.findChild('RouteTable') as ec2.CfnRouteTable);
    return [idOf(subnet), routes.filter((r) => r.Properties.RouteTableId.Ref === table).map((r) => r.Properties)];
  }));
}

/** The logical ids of the subnets an ECS service runs in. */
export function serviceSubnets(template: Template, serviceId: string): string[] {
  const service = template.toJSON().Resources[serviceId] as TemplateResource;
  return service.Properties.NetworkConfiguration.AwsvpcConfiguration.Subnets.map((s: { Ref: string }) => s.Ref);
}
