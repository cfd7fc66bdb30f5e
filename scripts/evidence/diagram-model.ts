/**
 * The architecture of one synthesized stack, reduced to what a reviewer reads in a diagram:
 * one component per building block (and per tier it is placed in), the flows its security
 * groups allow, the checks it runs and the KMS keys that encrypt its data.
 */
import { CfnElement, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { latticeRoutes, securityGroupFlows } from './diagram-flows';
import { checksOf, describeResources, placementSubnets, securityGroupsOf } from './diagram-resources';
import { EvidenceStack } from './kit-app';
import { encryptionKeyRefs, listOf, LocatedResource, prop, referencedId, resourcesOf } from './template';
import { declaredPrinciples } from '../../lib/core/controls';

/** One box of the diagram. */
export interface Component {
  readonly id: string;
  /** `ClassName id` of the building block, e.g. `McpSecurityGateway Gateway`. */
  readonly name: string;
  /** The VPC logical id it sits in, or undefined for regional services. */
  readonly vpc?: string;
  /** The subnet tier (subnet group name), e.g. `Workload`, when placed in subnets. */
  readonly tier?: string;
  /** What it holds, e.g. `ECS service, 2 × 0.5 vCPU / 1 GB`. */
  readonly contents: readonly string[];
  /** The checks it runs on traffic or findings. */
  readonly checks: readonly string[];
  /** Names of the KMS keys that encrypt its data. */
  readonly encryptedWith: readonly string[];
  readonly securityGroups: readonly string[];
}

/** A flow between two components, or a component and a network, in one direction. */
export interface Flow {
  readonly from: string;
  readonly to: string;
  /** Protocols and ports, e.g. `tcp 443`, or what a route does. */
  readonly ports: readonly string[];
  /**
   * `allowed`: a security group rule admits it. `route`: VPC Lattice forwards requests along it
   * (the Lattice data plane reaches the targets, so no security group rule names the service).
   * @default 'allowed'
   */
  readonly kind?: 'allowed' | 'route';
}

/** A network outside the components: the internet, a CIDR block, a tier or a whole VPC. */
export interface Network {
  readonly id: string;
  readonly label: string;
}

/** The diagram model of a stack. */
export interface ArchitectureModel {
  readonly stack: string;
  readonly vpcs: ReadonlyArray<{ readonly id: string; readonly cidr: string; readonly tiers: readonly string[] }>;
  readonly components: readonly Component[];
  readonly networks: readonly Network[];
  readonly flows: readonly Flow[];
  /** Each KMS key with what it encrypts, e.g. `4 log groups`. */
  readonly keys: ReadonlyArray<{ readonly name: string; readonly encrypts: readonly string[] }>;
}

/**
 * Singletons the CDK framework adds at stack level (custom resource providers and their
 * Lambda functions): plumbing, not architecture.
 */
const FRAMEWORK_SINGLETON = /^(Custom::|AWS[0-9a-f]{32}$|LogRetention[0-9a-f]{32}$|BucketNotificationsHandler)/;

/** The building block a resource belongs to: its outermost ancestor below the stack that declares principles. */
function ownerOf(resource: IConstruct, stack: Stack): IConstruct {
  const chain: IConstruct[] = [];
  for (let c: IConstruct | undefined = resource; c && c !== stack; c = c.node.scope) chain.unshift(c);
  return chain.find((c) => declaredPrinciples(c).length > 0) ?? chain[0] ?? resource;
}

/** The resources of one building block in one placement. */
interface ResourceGroup {
  readonly owner: IConstruct;
  readonly vpc?: string;
  readonly tier?: string;
  readonly members: LocatedResource[];
}

/** Build the model of one stack from its construct tree and template. */
export function architectureOf({ stack, name, template }: EvidenceStack): ArchitectureModel {
  const byLogicalId = new Map<string, IConstruct>();
  for (const c of stack.node.findAll()) {
    if (CfnElement.isCfnElement(c) && Stack.of(c) === stack) byLogicalId.set(stack.resolve(c.logicalId) as string, c);
  }
  const resources = resourcesOf(template);
  const subnets = new Map(resourcesOf(template, 'AWS::EC2::Subnet').map((s) => [s.logicalId, s]));
  const tierOf = (subnet: LocatedResource): string =>
    (listOf(prop(subnet, 'Tags')) as Array<{ Key: string; Value: string }>).find((t) => t.Key === 'aws-cdk:subnet-name')?.Value ?? 'Subnets';
  const keyName = (logicalId: string): string => keyLabel(byLogicalId.get(logicalId), stack, logicalId);

  // Group resources by (owner, placement): a block placed in two tiers becomes two components.
  const groups = new Map<string, ResourceGroup>();
  for (const resource of resources) {
    const construct = byLogicalId.get(resource.logicalId);
    const owner = construct ? ownerOf(construct, stack) : stack;
    if (FRAMEWORK_SINGLETON.test(owner.node.id)) continue;
    const placed = placementSubnets(resource).map((id) => subnets.get(id)).filter((s): s is LocatedResource => s !== undefined);
    const vpc = placed.length > 0 ? referencedId(prop(placed[0], 'VpcId')) : undefined;
    const tier = placed.length > 0 ? tierOf(placed[0]) : undefined;
    const key = `${owner.node.path}|${vpc ?? ''}|${tier ?? ''}`;
    if (!groups.has(key)) groups.set(key, { owner, vpc, tier, members: [] });
    groups.get(key)!.members.push(resource);
  }
  // A block's regional resources join its placed component when it has exactly one; a block
  // placed in several tiers keeps them apart rather than pick a tier at random.
  const placedGroups = new Map<string, ResourceGroup[]>();
  for (const group of groups.values()) {
    if (group.tier) placedGroups.set(group.owner.node.path, [...(placedGroups.get(group.owner.node.path) ?? []), group]);
  }
  for (const [key, group] of [...groups]) {
    const targets = group.tier ? [] : placedGroups.get(group.owner.node.path) ?? [];
    if (targets.length === 1) {
      targets[0].members.push(...group.members);
      groups.delete(key);
    }
  }
  // A security group belongs to what it is attached to; one attached to nothing, to its block.
  const attached = new Set(resources.flatMap(securityGroupsOf));

  const components: Component[] = [];
  const componentsOfGroup = new Map<string, string[]>();
  const componentOfResource = new Map<string, string>();
  [...groups.values()].forEach((group, index) => {
    const groupsOfSg = group.members.flatMap((r) => r.Type === 'AWS::EC2::SecurityGroup'
      ? (attached.has(r.logicalId) ? [] : [r.logicalId])
      : securityGroupsOf(r));
    const sgs = [...new Set(groupsOfSg)];
    const described = describeResources(group.members, template);
    const contents = described.length > 0 || sgs.length === 0 ? described : [sgs.length === 1 ? 'security group' : `${sgs.length} security groups`];
    if (contents.length === 0) return;
    const vpc = group.vpc ?? sgs.map((sg) => referencedId(prop(template.Resources![sg], 'VpcId'))).find((v) => v !== undefined);
    const id = `c${index}`;
    components.push({
      id,
      name: componentName(group.owner),
      vpc,
      tier: group.tier,
      contents,
      checks: checksOf(group.owner, group.members),
      encryptedWith: [...new Set(group.members.flatMap(encryptionKeyRefs)
        .filter((ref) => template.Resources?.[ref]?.Type === 'AWS::KMS::Key').map(keyName))],
      securityGroups: sgs,
    });
    for (const sg of sgs) componentsOfGroup.set(sg, [...(componentsOfGroup.get(sg) ?? []), id]);
    for (const member of group.members) componentOfResource.set(member.logicalId, id);
  });

  const { networks, flows } = securityGroupFlows(template, componentsOfGroup, subnets, tierOf);
  flows.push(...latticeRoutes(template, componentOfResource));
  const vpcs = resourcesOf(template, 'AWS::EC2::VPC').map((vpc) => ({
    id: vpc.logicalId,
    cidr: String(prop(vpc, 'CidrBlock') ?? ''),
    tiers: [...new Set([...subnets.values()].filter((s) => referencedId(prop(s, 'VpcId')) === vpc.logicalId).map(tierOf))],
  }));
  const keys = resourcesOf(template, 'AWS::KMS::Key').map((key) => ({
    name: keyName(key.logicalId),
    encrypts: describeResources(resources.filter((r) => encryptionKeyRefs(r).includes(key.logicalId)), template, true),
  }));
  return { stack: name, vpcs, components, networks, flows, keys };
}

/** `Gateway (McpSecurityGateway)`; the id alone for a plain Construct or when it is the class name. */
function componentName(owner: IConstruct): string {
  const className = owner.constructor.name;
  return className === 'Construct' || className === owner.node.id ? owner.node.id : `${owner.node.id} (${className})`;
}

/** `Keys/Logs` for the key `Keys/Logs/Resource`: its path below the stack without `Resource`. */
function keyLabel(construct: IConstruct | undefined, stack: Stack, fallback: string): string {
  if (!construct) return fallback;
  return construct.node.path.slice(stack.node.path.length + 1).split('/').filter((part) => part !== 'Resource').join('/');
}
