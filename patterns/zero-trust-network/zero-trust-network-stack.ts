import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { authorizationServerHosts, createAuthorizationServer } from './private/authorization-server';
import { authorizationRules, toolPins } from './private/gateway-rules';
import { zeroTrustProblems } from './private/zero-trust-problems';
import { ZeroTrustFrontDoor } from './zero-trust-front-door';
import { ZeroTrustNetworkStackProps, ZeroTrustServerEgress } from './zero-trust-network-props';
import { ZeroTrustServers } from './zero-trust-servers';
import { SecureCluster } from '../../lib/compute';
import { EgressFirewall } from '../../lib/egress';
import { KeyRing } from '../../lib/encryption';
import { GATEWAY_PORT, McpSecurityGateway } from '../../lib/gateway';
import { IMcpAuthorizationServer } from '../../lib/identity';
import { LATTICE_DATA_PLANE_CIDR } from '../../lib/mesh';
import { SegmentedVpc } from '../../lib/network';
import { MCP_ENDPOINT_PATH, McpPatternStack } from '../shared';

/**
 * The zero-trust MCP network: never trust, always verify, at every hop.
 *
 * - Client to gateway: an OAuth access token on every request, validated by the MCP security
 *   gateway (short-lived: at most `maxTokenLifetime`), behind a load balancer with the MCP web
 *   ACL, optionally behind AWS Verified Access instead of facing the internet.
 * - Gateway to server: VPC Lattice with `AWS_IAM` auth, each service's policy naming only the
 *   gateway's task role, plus an audience-bound token the gateway signs with KMS per upstream;
 *   the gateway authorizes each call with Cedar and its adaptive risk scoring.
 * - Micro-segmentation: each server in a security group of its own that admits only the Lattice
 *   data plane on its port; the VPC endpoints admit only the gateway's and servers' groups.
 * - No egress by default: servers run in isolated subnets and reach AWS APIs through VPC
 *   endpoints with data-perimeter policies. The one way out is AWS Network Firewall with a
 *   domain allow-list: the gateway's tier reaches the authorization server's host (to fetch the
 *   keys that verify access tokens) and, with `serverEgress: 'firewall'`, the servers share the
 *   gateway's tier and reach `allowedDomains` too.
 */
export class ZeroTrustNetworkStack extends McpPatternStack {
  /** Keys of the pattern (logs, data, secrets, token signing). */
  public readonly keys: KeyRing;
  /** The segmented VPC, egress mode 'firewall'. */
  public readonly network: SegmentedVpc;
  /** The only way out of the VPC: Network Firewall with the domain allow-list. */
  public readonly egressFirewall: EgressFirewall;
  /** The ECS cluster of the gateway and servers. */
  public readonly cluster: SecureCluster;
  /** Authorization server of MCP clients. */
  public readonly authorizationServer: IMcpAuthorizationServer;
  /** Load balancer, web ACL and, optionally, Verified Access. */
  public readonly frontDoor: ZeroTrustFrontDoor;
  /** The MCP servers and their Lattice services. */
  public readonly servers: ZeroTrustServers;
  /** The MCP security gateway. */
  public readonly gateway: McpSecurityGateway;
  /** Canonical URI of the MCP endpoint (the token audience). */
  public readonly resource: string;
  /** Internet egress of the servers. */
  public readonly serverEgress: ZeroTrustServerEgress;
  /** The domains the firewall allows, sorted. */
  public readonly allowedEgressDomains: readonly string[];

  constructor(scope: Construct, id: string, props: ZeroTrustNetworkStackProps) {
    super(scope, id, props);
    const serverEgress = props.serverEgress ?? 'none';
    const allowedDomains = props.allowedDomains ?? [];
    const maxTokenLifetime = props.maxTokenLifetime ?? Duration.minutes(15);
    const maxSessionLifetime = props.maxSessionLifetime ?? Duration.hours(8);
    const problems = zeroTrustProblems({ props, serverEgress, allowedDomains, maxTokenLifetime, maxSessionLifetime });
    if (problems.length > 0) {
      throw new Error(`ZeroTrustNetworkStack ${this.node.path}: invalid properties:\n  - ${problems.join('\n  - ')}`);
    }
    this.serverEgress = serverEgress;
    this.resource = `https://${props.endpoint.domainName}${MCP_ENDPOINT_PATH}`;

    this.keys = new KeyRing(this, 'Keys', { aliasPrefix: props.projectName });

    this.network = new SegmentedVpc(this, 'Network', {
      cidr: props.network.cidr,
      availabilityZones: [...props.network.availabilityZones],
      egress: 'firewall',
      internetFacing: props.endpoint.internetFacing,
      flowLogEncryptionKey: this.keys.logs,
      flowLogRetention: props.logRetention,
      workloadPorts: [...new Set([GATEWAY_PORT, ...props.servers.map((s) => s.port)])].sort((a, b) => a - b),
      workloadClientCidrs: [LATTICE_DATA_PLANE_CIDR],
      endpointClients: 'security-groups',
    });
    this.allowedEgressDomains = [...new Set([
      ...authorizationServerHosts(this, props.identity),
      ...(serverEgress === 'firewall' ? allowedDomains : []),
    ])].sort();
    this.egressFirewall = this.network.addEgressFirewall('Egress', { allowedDomains: [...this.allowedEgressDomains] });

    this.cluster = new SecureCluster(this, 'Cluster', { vpc: this.network.vpc });
    this.authorizationServer = createAuthorizationServer(this, props.identity, this.resource, props.servers);
    this.frontDoor = new ZeroTrustFrontDoor(this, 'FrontDoor', {
      network: this.network,
      endpoint: props.endpoint,
      accessLogBucket: props.baseline.accessLogsBucket,
      logKey: this.keys.logs,
      dataKey: this.keys.data,
      logRetention: props.logRetention,
      verifiedAccess: props.verifiedAccess,
      clientPeers: props.clientPeers,
    });

    this.servers = new ZeroTrustServers(this, 'Servers', {
      projectName: props.projectName,
      network: this.network,
      vpcSubnets: serverEgress === 'firewall' ? this.network.workloadSubnets : this.network.isolatedWorkloadSubnets!,
      cluster: this.cluster.cluster,
      logKey: this.keys.logs,
      logRetention: props.logRetention,
      servers: props.servers,
      gatewaySigningKey: this.keys.signing,
      gatewayIssuer: this.resource,
    });

    this.gateway = new McpSecurityGateway(this, 'Gateway', {
      cluster: this.cluster.cluster,
      // The workload tier: its only route out is the firewall, to the authorization server.
      vpcSubnets: this.network.workloadSubnets,
      loadBalancer: this.frontDoor.loadBalancer,
      publicUrl: this.resource,
      authorizationServer: this.authorizationServer,
      signingKey: this.keys.signing,
      auditKey: this.keys.data,
      logKey: this.keys.logs,
      secretsKey: this.keys.secrets,
      upstreams: this.servers.upstreams,
      gatewayName: `${props.projectName}-gateway`,
      tokenTtl: props.gateway.upstreamTokenLifetime,
      riskThresholds: { stepUp: props.gateway.riskStepUpScore, endSession: props.gateway.riskEndSessionScore },
      authorizationRules: authorizationRules(props.servers, this.authorizationServer),
      toolPins: toolPins(props.servers),
      desiredCount: props.gateway.desiredCount,
      auditLogRetention: props.logRetention,
      alarmTopic: props.baseline.findingsTopic,
    });
    this.servers.admitClient(this.gateway);
    this.network.endpoints.allowFrom(this.gateway);
  }
}
