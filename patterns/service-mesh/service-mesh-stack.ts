import { Construct } from 'constructs';
import { MeshMcpServer } from './mesh-mcp-server';
import { MeshObservability } from './mesh-observability';
import { serviceMeshProblems } from './private/service-mesh-problems';
import { McpSecurityGateway } from '../../lib/gateway';
import { ServiceConnectMesh } from '../../lib/servicemesh';
import { McpPatternProps } from '../shared/mcp-pattern-props';
import { McpPatternStack } from '../shared/mcp-pattern-stack';
import { McpPlatform } from '../shared/mcp-platform';

/** Name of the MCP security gateway in the mesh (its log stream prefix); no server may take it. */
export const GATEWAY_MESH_NAME = 'gateway';

/** Properties of a ServiceMeshStack. */
export interface ServiceMeshStackProps extends McpPatternProps {
  /**
   * Cloud Map namespace of the mesh, lowercase DNS labels; unique in the account and region.
   * @default - `<projectName>.mcp.internal`
   */
  readonly namespaceName?: string;
  /**
   * HTTP 5xx answers of one server to the gateway in five minutes that raise its error alarm.
   * @default 5
   */
  readonly serverErrorAlarmThreshold?: number;
}

/**
 * The secure MCP service mesh pattern, for MCP servers run as a fleet of microservices. The
 * platform (keys, segmented VPC, cluster, identity, WAF-fronted load balancer and the MCP
 * security gateway) plus:
 *
 * - an ECS Service Connect mesh whose hops between tasks are TLS 1.3 under certificates from a
 *   private CA in short-lived mode, which the gateway joins as its only client;
 * - one `MeshMcpServer` per server spec: its own security group admitting only the gateway's
 *   security group on its port, TLS in the mesh, a task role with the spec's `awsAccess` and
 *   `kms:GetPublicKey` on the gateway's signing key, and the settings to verify, on every call,
 *   that the gateway minted the token for this server;
 * - Service Connect access and proxy logs, container logs, and a dashboard with alarms on the
 *   Service Connect metrics of every server.
 *
 * Policy is enforced in two places: the gateway authorizes every tool call with Cedar, and each
 * server refuses any call without a gateway token bound to its own audience. AWS App Mesh, which
 * reached end of support on 2026-09-30, is not used.
 *
 * VPC Lattice is left to the federated-gateway and zero-trust-network patterns: here the gateway
 * and servers share one VPC and cluster, and Lattice traffic arrives from the Lattice data-plane
 * prefix rather than from a security group, so admitting it would widen every server's ingress
 * beyond the gateway's tasks.
 */
export class ServiceMeshStack extends McpPatternStack {
  /** Keys, network, cluster, identity, front door and gateway. */
  public readonly platform: McpPlatform;
  /** The Service Connect mesh. */
  public readonly mesh: ServiceConnectMesh;
  /** The MCP security gateway, the mesh's only client. */
  public readonly gateway: McpSecurityGateway;
  /** The MCP servers, in the order of `servers`. */
  public readonly servers: MeshMcpServer[];
  /** Dashboard and alarms of the mesh. */
  public readonly observability: MeshObservability;

  constructor(scope: Construct, id: string, props: ServiceMeshStackProps) {
    super(scope, id, props);
    const namespaceName = props.namespaceName ?? `${props.projectName}.mcp.internal`;
    const problems = serviceMeshProblems({ servers: props.servers, gatewayMeshName: GATEWAY_MESH_NAME });
    if (problems.length > 0) {
      throw new Error(`ServiceMeshStack ${this.node.path}: invalid properties:\n  - ${problems.join('\n  - ')}`);
    }

    this.platform = new McpPlatform(this, 'Platform', props);
    const keys = this.platform.keys;
    this.mesh = new ServiceConnectMesh(this, 'Mesh', { namespaceName, tlsKey: keys.data, logKey: keys.logs });

    // The gateway comes first: every server admits only the gateway's security group, which
    // exists once the gateway does. A server's place in the mesh follows from its name and port,
    // so the gateway can be given its upstreams before they are built.
    const urls = props.servers.map((spec) => MeshMcpServer.urlOf(spec));
    this.gateway = this.platform.addGateway(props.servers.map((spec, index) => ({
      name: spec.name,
      url: urls[index],
      transport: 'service-connect-tls' as const,
    })));
    this.mesh.addClient(this.gateway.service.service, { name: GATEWAY_MESH_NAME });

    const servers = new Construct(this, 'Servers');
    this.servers = props.servers.map((spec, index) => new MeshMcpServer(servers, spec.name, {
      spec,
      cluster: this.platform.cluster.cluster,
      vpcSubnets: this.platform.network.workloadSubnets,
      mesh: this.mesh,
      gatewaySecurityGroup: this.gateway.securityGroup,
      gatewaySigningKey: keys.signing,
      gatewayIssuer: this.platform.resource,
      url: urls[index],
      logKey: keys.logs,
      logRetention: props.logRetention,
    }));

    this.observability = new MeshObservability(this, 'Observability', {
      cluster: this.platform.cluster.cluster,
      gatewayService: this.gateway.service.service,
      servers: this.servers.map((server) => ({ alias: server.alias, service: server.service.service })),
      alarmTopic: props.baseline.findingsTopic,
      serverErrorThreshold: props.serverErrorAlarmThreshold,
      gatewayAuditMetrics: this.gateway.auditMetrics,
    });
  }
}
