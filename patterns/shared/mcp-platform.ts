import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { McpPatternProps } from './mcp-pattern-props';
import { McpServerSpec } from './mcp-server-spec';
import { SecureCluster } from '../../lib/compute';
import { KeyRing } from '../../lib/encryption';
import { GatewayAuthorizationRule, GatewayToolPins, GatewayUpstream, McpSecurityGateway } from '../../lib/gateway';
import { IMcpAuthorizationServer, McpIdentity } from '../../lib/identity';
import { EgressMode, SegmentedVpc } from '../../lib/network';
import { SecureLoadBalancer } from '../../lib/perimeter';

/** Path of the gateway's aggregated MCP endpoint. */
export const MCP_ENDPOINT_PATH = '/mcp';

/** Properties of an McpPlatform. */
export interface McpPlatformProps extends Pick<McpPatternProps, 'projectName' | 'baseline' | 'network' | 'endpoint' | 'identity' | 'servers' | 'gateway' | 'logRetention'> {
  /**
   * Internet egress of the workload tier.
   * @default 'nat' - the gateway fetches the authorization server's JWKS over HTTPS
   */
  readonly egress?: EgressMode;
  /**
   * Sources outside the VPC that reach workload tasks (e.g. the VPC Lattice data plane).
   * @default - none
   */
  readonly workloadClientCidrs?: string[];
  /**
   * Who may reach an internal load balancer on 443.
   * @default - the VPC's own CIDR when internal; anyone when internet-facing
   */
  readonly clientPeers?: ec2.IPeer[];
}

/**
 * What every pattern runs: keys, the segmented VPC, the ECS cluster, the authorization server,
 * the HTTPS front door with its WAF, and — once the pattern knows how its MCP servers are
 * reached — the MCP security gateway. Patterns differ in how servers are placed and reached.
 */
export class McpPlatform extends Construct {
  /** Keys of the pattern (logs, data, secrets, token signing). */
  public readonly keys: KeyRing;
  /** The pattern's VPC. */
  public readonly network: SegmentedVpc;
  /** The ECS cluster of the gateway and servers. */
  public readonly cluster: SecureCluster;
  /** Authorization server of MCP clients. */
  public readonly authorizationServer: IMcpAuthorizationServer;
  /** HTTPS front door with the MCP web ACL. */
  public readonly frontDoor: SecureLoadBalancer;
  /** Canonical URI of the MCP endpoint (the token audience). */
  public readonly resource: string;
  private readonly props: McpPlatformProps;
  private gatewayInstance?: McpSecurityGateway;

  constructor(scope: Construct, id: string, props: McpPlatformProps) {
    super(scope, id);
    this.props = props;
    this.resource = `https://${props.endpoint.domainName}${MCP_ENDPOINT_PATH}`;
    this.keys = new KeyRing(this, 'Keys', { aliasPrefix: props.projectName });
    this.network = new SegmentedVpc(this, 'Network', {
      cidr: props.network.cidr,
      availabilityZones: [...props.network.availabilityZones],
      egress: props.egress ?? 'nat',
      internetFacing: props.endpoint.internetFacing || (props.egress ?? 'nat') === 'nat',
      flowLogEncryptionKey: this.keys.logs,
      flowLogRetention: props.logRetention,
      workloadPorts: uniquePorts([8080, ...props.servers.map((s) => s.port)]),
      workloadClientCidrs: props.workloadClientCidrs,
    });
    this.cluster = new SecureCluster(this, 'Cluster', { vpc: this.network.vpc });
    this.authorizationServer = this.createAuthorizationServer();

    const certificate = props.endpoint.certificateArn
      ? acm.Certificate.fromCertificateArn(this, 'Certificate', props.endpoint.certificateArn)
      : new acm.Certificate(this, 'Certificate', {
        domainName: props.endpoint.domainName,
        validation: acm.CertificateValidation.fromDns(),
      });
    this.frontDoor = new SecureLoadBalancer(this, 'FrontDoor', {
      vpc: this.network.vpc,
      vpcSubnets: props.endpoint.internetFacing ? this.network.ingressSubnets : this.network.workloadSubnets,
      internetFacing: props.endpoint.internetFacing,
      clientPeers: props.clientPeers ?? (props.endpoint.internetFacing ? undefined : [ec2.Peer.ipv4(props.network.cidr)]),
      certificates: [elbv2.ListenerCertificate.fromCertificateManager(certificate)],
      accessLogBucket: props.baseline.accessLogsBucket,
      logEncryptionKey: this.keys.logs,
      webAcl: { mcpPaths: [MCP_ENDPOINT_PATH], healthPath: '/healthz' },
    });
  }

  /** The gateway, once `addGateway` has run. */
  public get gateway(): McpSecurityGateway {
    if (!this.gatewayInstance) throw new Error(`${this.node.path}: addGateway() has not been called`);
    return this.gatewayInstance;
  }

  /**
   * Deploy the MCP security gateway in front of `upstreams`. Scopes and pins come from the
   * server specs: each tool requires its group's scope; destructive tools are marked so.
   *
   * @param quarantineRequestBus where the gateway requests the quarantine of an upstream whose
   *   approved tools drift (the bus a `TaskQuarantine` listens on); none is requested without it
   */
  public addGateway(upstreams: GatewayUpstream[], quarantineRequestBus?: events.IEventBus): McpSecurityGateway {
    if (this.gatewayInstance) throw new Error(`${this.node.path}: addGateway() can be called once`);
    this.gatewayInstance = new McpSecurityGateway(this, 'Gateway', {
      cluster: this.cluster.cluster,
      vpcSubnets: this.network.workloadSubnets,
      loadBalancer: this.frontDoor,
      publicUrl: this.resource,
      authorizationServer: this.authorizationServer,
      signingKey: this.keys.signing,
      auditKey: this.keys.data,
      logKey: this.keys.logs,
      secretsKey: this.keys.secrets,
      upstreams,
      gatewayName: `${this.props.projectName}-gateway`,
      tokenTtl: this.props.gateway.upstreamTokenLifetime,
      riskThresholds: { stepUp: this.props.gateway.riskStepUpScore, endSession: this.props.gateway.riskEndSessionScore },
      authorizationRules: authorizationRules(this.props.servers, this.authorizationServer),
      toolPins: toolPins(this.props.servers),
      desiredCount: this.props.gateway.desiredCount,
      auditLogRetention: this.props.logRetention,
      alarmTopic: this.props.baseline.findingsTopic,
      quarantineRequestBus,
    });
    return this.gatewayInstance;
  }

  private createAuthorizationServer(): IMcpAuthorizationServer {
    const identity = this.props.identity;
    const toolGroups = uniqueBy(this.props.servers.flatMap((s) => s.toolGroups), (g) => g.name);
    if (identity.kind === 'oidc') {
      return McpIdentity.fromOidcIssuer({ issuer: identity.issuer, jwksUri: identity.jwksUri, resource: this.resource, toolGroups });
    }
    return new McpIdentity(this, 'Identity', {
      resource: this.resource,
      toolGroups,
      domainPrefix: identity.domainPrefix,
      publicClients: Object.fromEntries(identity.clients.map((client) => [clientKey(client.name), {
        callbackUrls: [...client.callbackUrls],
        accessTokenValidity: identity.accessTokenValidity,
        idTokenValidity: identity.accessTokenValidity,
        refreshTokenValidity: identity.refreshTokenValidity,
      }])),
    });
  }
}

/** Each tool needs the scope of its group; destructive tools are flagged whatever they claim. */
function authorizationRules(servers: readonly McpServerSpec[], authorizationServer: IMcpAuthorizationServer): GatewayAuthorizationRule[] {
  return servers.flatMap((server) => server.tools.map((tool) => ({
    kind: 'tool' as const,
    match: `${server.name}/${tool.name}`,
    groups: [tool.group],
    requiredScopes: [authorizationServer.toolGroupScopes[tool.group]],
    destructive: tool.destructive,
  })));
}

/** Approved tool-definition hashes from the server specs; unpinned tools stay quarantined. */
function toolPins(servers: readonly McpServerSpec[]): GatewayToolPins {
  const pins: Record<string, Record<string, string>> = {};
  for (const server of servers) {
    for (const tool of server.tools) {
      if (tool.pin) (pins[server.name] ??= {})[tool.name] = tool.pin;
    }
  }
  return pins;
}

function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...new Map(items.map((item) => [key(item), item])).values()];
}

function uniquePorts(ports: number[]): number[] {
  return [...new Set(ports)].sort((a, b) => a - b);
}

/** Client names are DNS-label style; McpIdentity keys are letters and digits. */
function clientKey(name: string): string {
  return name.split('-').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}
