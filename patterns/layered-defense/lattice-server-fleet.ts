import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { LatticeMcpServer } from './lattice-mcp-server';
import { GatewayUpstream } from '../../lib/gateway';
import { McpServiceNetwork } from '../../lib/mesh';
import { SegmentedVpc } from '../../lib/network';
import { LatticeClientAccess } from '../shared/lattice-client-access';
import { McpServerSpec } from '../shared/mcp-server-spec';

/** Properties of a LatticeServerFleet. */
export interface LatticeServerFleetProps {
  /** Prefix of the service network and service names. */
  readonly projectName: string;
  /** The VPC the servers run in and the gateway calls from. */
  readonly network: SegmentedVpc;
  /** The cluster the servers run in. */
  readonly cluster: ecs.ICluster;
  /** The MCP servers, at least one. */
  readonly servers: readonly McpServerSpec[];
  /** Key the gateway signs upstream tokens with. */
  readonly gatewaySigningKey: kms.IKey;
  /** `iss` of the gateway's tokens (the gateway's public URL). */
  readonly gatewayIssuer: string;
  /** Key of the servers' log groups and of the Lattice access logs (e.g. `KeyRing.logs`). */
  readonly logKey: kms.IKey;
}

/**
 * The MCP servers of the pattern, each a VPC Lattice service with `AWS_IAM` auth in one service
 * network associated with the VPC. The association's security group admits only the clients
 * named with `admitClient` (the gateway), and each service's auth policy only the roles named
 * with `allowInvokeFrom`, so nothing in the VPC reaches a server but through the gateway.
 */
export class LatticeServerFleet extends Construct {
  /** The service network of the servers. */
  public readonly serviceNetwork: McpServiceNetwork;
  /** Guards the VPC's association with the service network. */
  public readonly clientSecurityGroup: ec2.SecurityGroup;
  private readonly clientAccess: LatticeClientAccess;
  /** The servers, in the order of the specs. */
  public readonly servers: readonly LatticeMcpServer[];
  /**
   * The servers as upstreams of the gateway: the Lattice URL, the Lattice service as `access`,
   * and the ECS service a quarantine request for the upstream names.
   */
  public readonly upstreams: GatewayUpstream[];

  constructor(scope: Construct, id: string, props: LatticeServerFleetProps) {
    super(scope, id);
    const vpc = props.network.vpc;
    this.serviceNetwork = new McpServiceNetwork(this, 'ServiceNetwork', {
      name: `${props.projectName}-layered-defense`,
      logKey: props.logKey,
    });
    this.clientAccess = new LatticeClientAccess(this, this.serviceNetwork, vpc);
    this.clientSecurityGroup = this.clientAccess.securityGroup;

    // Each server's id is its name, so that its resources keep their ids when servers are added
    // or removed around it.
    this.servers = props.servers.map((spec) => new LatticeMcpServer(this, spec.name, {
      spec,
      projectName: props.projectName,
      network: props.network,
      cluster: props.cluster,
      serviceNetworkId: this.serviceNetwork.serviceNetworkId,
      gatewaySigningKey: props.gatewaySigningKey,
      gatewayIssuer: props.gatewayIssuer,
      logKey: props.logKey,
    }));
    this.upstreams = this.servers.map((server) => ({
      name: server.spec.name,
      url: server.url,
      access: server.lattice,
      ecsService: server.service.service,
    }));
  }

  /** Let `client` (the gateway) reach the service network over HTTPS from inside the VPC. */
  public admitClient(client: ec2.IConnectable): void {
    this.clientAccess.admit(client);
  }
}
