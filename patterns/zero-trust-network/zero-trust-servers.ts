import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { latticeServiceName, serviceNetworkName } from './private/lattice-names';
import { MCP_PORT_NAME, McpServerService } from '../../lib/compute';
import { GatewayUpstream } from '../../lib/gateway';
import { SecureLogGroup } from '../../lib/logging';
import { LATTICE_DATA_PLANE_CIDR, McpLatticeService, McpServiceNetwork } from '../../lib/mesh';
import { SegmentedVpc } from '../../lib/network';
import { gatewayUpstreamService } from '../shared/gateway-upstream-service';
import { LatticeClientAccess } from '../shared/lattice-client-access';
import { McpServerSpec } from '../shared/mcp-server-spec';

/** Properties of ZeroTrustServers. */
export interface ZeroTrustServersProps {
  /** Prefix of the service network and service names. */
  readonly projectName: string;
  /** The VPC the servers run in; their security groups are admitted to its endpoints. */
  readonly network: SegmentedVpc;
  /** Subnets of the servers: the isolated workload tier unless servers have egress. */
  readonly vpcSubnets: ec2.SubnetSelection;
  /** The cluster the servers run in. */
  readonly cluster: ecs.ICluster;
  /** Key of the servers' log groups and of the Lattice access logs (e.g. `KeyRing.logs`). */
  readonly logKey: kms.IKey;
  /** Retention of the servers' log groups. */
  readonly logRetention: logs.RetentionDays;
  /** The MCP servers, at least one. */
  readonly servers: readonly McpServerSpec[];
  /** The key the gateway signs upstream tokens with; servers may read its public key only. */
  readonly gatewaySigningKey: kms.IKey;
  /** `iss` of the gateway's upstream tokens: the gateway's public URL. */
  readonly gatewayIssuer: string;
}

/** One deployed MCP server and the Lattice service publishing it. */
export interface ZeroTrustServer {
  /** The server's specification. */
  readonly spec: McpServerSpec;
  /** Its Fargate service, in a security group of its own. */
  readonly service: McpServerService;
  /** The VPC Lattice service in front of it (`AWS_IAM` auth type). */
  readonly lattice: McpLatticeService;
}

/**
 * The MCP servers, micro-segmented: each in a security group of its own that admits only the
 * VPC Lattice data plane on the server's port, each published as a VPC Lattice service with
 * `AWS_IAM` auth whose policy names only the principals the gateway registers (its task role),
 * in a service network the VPC reaches only from the security groups admitted here. Each server
 * is told to accept only tokens the gateway signed for its own Lattice URL, and may read the
 * public key of the gateway's signing key to verify them. Each server's task role gets exactly
 * that and the statements of its `awsAccess`; its security group is admitted to the VPC's AWS
 * API endpoints.
 */
export class ZeroTrustServers extends Construct {
  /** The service network of the servers. */
  public readonly serviceNetwork: McpServiceNetwork;
  /** Guards the VPC's association with the service network: only admitted clients reach it. */
  public readonly clientSecurityGroup: ec2.SecurityGroup;
  private readonly clientAccess: LatticeClientAccess;
  /** The servers, in the order of the specs. */
  public readonly servers: readonly ZeroTrustServer[];
  /** The servers as upstreams of the gateway: the Lattice URL and the service as `access`. */
  public readonly upstreams: GatewayUpstream[];

  constructor(scope: Construct, id: string, props: ZeroTrustServersProps) {
    super(scope, id);
    const vpc = props.network.vpc;
    this.serviceNetwork = new McpServiceNetwork(this, 'ServiceNetwork', {
      name: serviceNetworkName(props.projectName),
      logKey: props.logKey,
    });
    this.clientAccess = new LatticeClientAccess(this, this.serviceNetwork, vpc);
    this.clientSecurityGroup = this.clientAccess.securityGroup;

    this.servers = props.servers.map((spec) => this.addServer(spec, props));
    this.upstreams = this.servers.map(({ spec, lattice }) => ({ name: spec.name, url: lattice.url, access: lattice }));
  }

  /** Let `client` (the gateway) reach the service network over HTTPS from inside the VPC. */
  public admitClient(client: ec2.IConnectable): void {
    this.clientAccess.admit(client);
  }

  private addServer(spec: McpServerSpec, props: ZeroTrustServersProps): ZeroTrustServer {
    // One scope per server, named after it, so that its resources keep their ids when servers
    // are added or removed around it.
    const scope = new Construct(this, spec.name);
    const lattice = new McpLatticeService(scope, 'Lattice', {
      name: latticeServiceName(props.projectName, spec.name),
      vpc: props.network.vpc,
      port: spec.port,
      mcpPath: spec.path,
      logKey: props.logKey,
      serviceNetworkIdentifier: this.serviceNetwork.serviceNetworkId,
    });
    const logGroup = new SecureLogGroup(scope, 'Logs', { encryptionKey: props.logKey, retention: props.logRetention });
    const service = gatewayUpstreamService(scope, 'Service', {
      spec,
      cluster: props.cluster,
      // Lattice delivers requests from its data-plane range: no security group can be named.
      // What is named is the caller, in the service's auth policy.
      allowFrom: ec2.Peer.ipv4(LATTICE_DATA_PLANE_CIDR),
      vpcSubnets: props.vpcSubnets,
      logGroup,
      gatewayIssuer: props.gatewayIssuer,
      audience: lattice.url,
      verificationKey: { key: props.gatewaySigningKey },
    });
    props.network.endpoints.allowFrom(service);
    lattice.registerEcsService(service.service, MCP_PORT_NAME);
    return { spec, service, lattice };
  }
}
