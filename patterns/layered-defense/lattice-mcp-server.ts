import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { latticeServiceName } from './private/lattice-names';
import { McpServerService } from '../../lib/compute';
import { LATTICE_DATA_PLANE_CIDR, McpLatticeService } from '../../lib/mesh';
import { SegmentedVpc } from '../../lib/network';
import { gatewayUpstreamService } from '../shared/gateway-upstream-service';
import { McpServerSpec } from '../shared/mcp-server-spec';

/** Properties of a LatticeMcpServer. */
export interface LatticeMcpServerProps {
  /** What to run. */
  readonly spec: McpServerSpec;
  /** Prefix of the Lattice service name. */
  readonly projectName: string;
  /** The VPC of the tasks. */
  readonly network: SegmentedVpc;
  /** The cluster of the tasks. */
  readonly cluster: ecs.ICluster;
  /** The service network the Lattice service joins. */
  readonly serviceNetworkId: string;
  /** Key the gateway signs upstream tokens with; the server may only read its public key. */
  readonly gatewaySigningKey: kms.IKey;
  /** `iss` of the gateway's tokens (the gateway's public URL). */
  readonly gatewayIssuer: string;
  /** Key of the server's log group and its Lattice access logs (e.g. `KeyRing.logs`). */
  readonly logKey: kms.IKey;
}

/**
 * One MCP server behind VPC Lattice. Its tasks admit only the Lattice data plane on the server
 * port; its Lattice service (`AWS_IAM` auth) forwards only requests signed by the principals its
 * auth policy names, the gateway's role once the gateway is added; and the server itself accepts
 * only tokens the gateway minted for its Lattice URL. Its task role holds the spec's `awsAccess`
 * and the right to read the gateway signing key's public key, nothing else.
 */
export class LatticeMcpServer extends Construct {
  /** The server's specification. */
  public readonly spec: McpServerSpec;
  /** The Fargate service running the server. */
  public readonly service: McpServerService;
  /** The Lattice service publishing it. */
  public readonly lattice: McpLatticeService;
  /** `https://<lattice dns name><path>`: what the gateway calls, and the audience of its tokens. */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: LatticeMcpServerProps) {
    super(scope, id);
    const spec = props.spec;
    this.spec = spec;
    this.lattice = new McpLatticeService(this, 'Lattice', {
      name: latticeServiceName(props.projectName, spec.name),
      vpc: props.network.vpc,
      port: spec.port,
      mcpPath: spec.path,
      logKey: props.logKey,
      serviceNetworkIdentifier: props.serviceNetworkId,
    });
    this.url = this.lattice.url;

    this.service = gatewayUpstreamService(this, 'Resource', {
      spec,
      cluster: props.cluster,
      allowFrom: ec2.Peer.ipv4(LATTICE_DATA_PLANE_CIDR),
      vpcSubnets: props.network.workloadSubnets,
      logKey: props.logKey,
      gatewayIssuer: props.gatewayIssuer,
      audience: this.url,
      verificationKey: { key: props.gatewaySigningKey },
    });
    this.lattice.registerEcsService(this.service.service, 'mcp');
  }
}
