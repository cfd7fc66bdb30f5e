import { Annotations, Environment } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { FederatedGatewayHubStack } from './federated-gateway-hub-stack';
import { FederatedGatewaySpokeStack } from './federated-gateway-spoke-stack';
import { FederatedUpstreamEndpoint } from './federated-upstream';
import { REGIONAL_REASON } from './private/federation-problems';
import { EgressMode } from '../../lib/network';
import { McpNetworkSpec, McpPatternProps } from '../shared/mcp-pattern-props';
import { MCP_ENDPOINT_PATH } from '../shared/mcp-platform';

/** Spoke that hosts the servers which name no spoke; it runs in the hub's account and region. */
export const DEFAULT_SPOKE_NAME = 'default';

/** One spoke of the federated gateway: an account (and the hub's region) hosting MCP servers. */
export interface FederatedSpokeSpec {
  /** Spoke name, as servers' `spoke` refer to it. */
  readonly name: string;
  /**
   * Account and region. The region must be the hub's.
   * @default - the hub's environment
   */
  readonly env?: Environment;
  /**
   * The spoke's VPC.
   * @default - the hub's CIDR and availability zones (Lattice does not route between the VPCs, so ranges may overlap)
   */
  readonly network?: McpNetworkSpec;
  /**
   * Internet egress of the spoke's servers.
   * @default 'none'
   */
  readonly egress?: EgressMode;
}

/** The hub's props plus where its servers run. */
export interface FederatedGatewayProps extends McpPatternProps {
  /**
   * Spokes; servers whose `spoke` is unset run in the spoke named `default`, created in the hub's
   * environment unless listed here.
   * @default - only the default spoke
   */
  readonly spokes?: readonly FederatedSpokeSpec[];
  /**
   * Endpoints of servers hosted in spokes of other accounts: the `<Server>Url` and
   * `<Server>ServiceArn` outputs of their deployed spoke stacks.
   * @default - none: servers in other accounts are left out of the gateway until given
   */
  readonly remoteEndpoints?: readonly FederatedUpstreamEndpoint[];
}

/** The stacks of one federated gateway. */
export interface FederatedGatewayStacks {
  /** The hub; absent while no server's endpoint is known yet (every server in another account, first deployment). */
  readonly hub?: FederatedGatewayHubStack;
  /** One stack per spoke that hosts servers. */
  readonly spokes: readonly FederatedGatewaySpokeStack[];
}

/**
 * Create the hub and its spokes in `scope` (an App): stack `<projectName>-federated-gateway`
 * and one `<projectName>-federated-spoke-<name>` per spoke hosting servers. Spokes in the hub's
 * account and region hand their endpoints to the hub as references, so one `cdk deploy --all`
 * deploys them before the hub. A spoke in another account cannot: deploy it first, then give
 * its outputs as `remoteEndpoints` and deploy the hub (docs/patterns/federated-gateway.md).
 */
export function createFederatedGateway(scope: Construct, props: FederatedGatewayProps): FederatedGatewayStacks {
  const { spokes: declared = [], remoteEndpoints = [], ...hubProps } = props;
  const hubEnv: Environment = props.env ?? {};
  const spokes = [...declared];
  if (props.servers.some((s) => s.spoke === undefined) && !spokes.some((s) => s.name === DEFAULT_SPOKE_NAME)) {
    spokes.push({ name: DEFAULT_SPOKE_NAME });
  }
  const problems = federationProblems(props, spokes, hubEnv);
  if (problems.length > 0) {
    throw new Error(`Federated gateway '${props.projectName}': invalid properties:\n  - ${problems.join('\n  - ')}`);
  }

  const endpoints: FederatedUpstreamEndpoint[] = [];
  const spokeStacks = spokes.map((spoke) => {
    const env = { account: spoke.env?.account ?? hubEnv.account, region: spoke.env?.region ?? hubEnv.region };
    const servers = props.servers.filter((s) => (s.spoke ?? DEFAULT_SPOKE_NAME) === spoke.name);
    const stack = new FederatedGatewaySpokeStack(scope, `${props.projectName}-federated-spoke-${spoke.name}`, {
      env,
      description: `Federated MCP security gateway: spoke ${spoke.name} (${servers.map((s) => s.name).join(', ')})`,
      projectName: props.projectName,
      spokeName: spoke.name,
      hubEnv,
      gatewayIssuer: `https://${props.endpoint.domainName}${MCP_ENDPOINT_PATH}`,
      network: spoke.network ?? props.network,
      servers,
      logRetention: props.logRetention,
      egress: spoke.egress,
    });
    if (env.account === hubEnv.account) {
      endpoints.push(...stack.endpoints);
      return stack;
    }
    const known = remoteEndpoints.filter((e) => servers.some((s) => s.name === e.server));
    endpoints.push(...known);
    const pending = servers.filter((s) => !known.some((e) => e.server === s.name)).map((s) => s.name);
    if (pending.length > 0) {
      Annotations.of(stack).addWarningV2('@mcp-kit/federated-gateway:pending-endpoints',
        `The hub's gateway leaves out ${pending.join(', ')} until this stack is deployed and its outputs are given as remoteEndpoints`);
    }
    return stack;
  });

  const reachable = props.servers.filter((s) => endpoints.some((e) => e.server === s.name));
  if (reachable.length === 0) return { spokes: spokeStacks };
  const hub = new FederatedGatewayHubStack(scope, `${props.projectName}-federated-gateway`, {
    ...hubProps,
    description: 'Federated MCP security gateway: hub (WAF, identity, gateway, policy store, audit, VPC Lattice service network)',
    servers: reachable,
    endpoints,
  });
  return { hub, spokes: spokeStacks };
}

function federationProblems(props: FederatedGatewayProps, spokes: readonly FederatedSpokeSpec[], hubEnv: Environment): string[] {
  const problems: string[] = [];
  const names = spokes.map((s) => s.name);
  names.filter((name, index) => names.indexOf(name) !== index)
    .forEach((name) => problems.push(`spokes: '${name}' is declared more than once`));
  props.servers.filter((s) => s.spoke !== undefined && !names.includes(s.spoke))
    .forEach((s) => problems.push(`servers: '${s.name}' names spoke '${s.spoke}', which is not one of spokes (${names.join(', ')})`));
  for (const spoke of spokes) {
    const region = spoke.env?.region ?? hubEnv.region;
    if (region !== hubEnv.region) {
      problems.push(`spokes: '${spoke.name}' is in region '${region}' but the hub is in '${hubEnv.region}'; ${REGIONAL_REASON}`);
    }
    if (spoke.env?.account !== undefined && hubEnv.account === undefined) {
      problems.push(`env.account of the hub must be set when spoke '${spoke.name}' names an account: spokes name the hub's gateway role by account`);
    }
    if (!props.servers.some((s) => (s.spoke ?? DEFAULT_SPOKE_NAME) === spoke.name)) {
      problems.push(`spokes: '${spoke.name}' hosts no server; give servers spoke: '${spoke.name}' or remove it`);
    }
  }
  const remoteServers = props.servers.filter((s) => {
    const account = spokes.find((spoke) => spoke.name === (s.spoke ?? DEFAULT_SPOKE_NAME))?.env?.account;
    return account !== undefined && account !== hubEnv.account;
  }).map((s) => s.name);
  (props.remoteEndpoints ?? []).filter((e) => !remoteServers.includes(e.server))
    .forEach((e) => problems.push(`remoteEndpoints: '${e.server}' is not a server of a spoke in another account (${remoteServers.join(', ') || 'there is none'})`));
  return problems;
}
