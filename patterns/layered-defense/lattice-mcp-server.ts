import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { latticeServiceName } from './private/lattice-names';
import { McpServerService } from '../../lib/compute';
import { LATTICE_DATA_PLANE_CIDR, McpLatticeService } from '../../lib/mesh';
import { SegmentedVpc } from '../../lib/network';
import { McpServerSpec } from '../shared/mcp-server-spec';

/**
 * Environment variables the pattern sets on every MCP server: where it listens and whose tokens
 * it accepts (the contract of `runtime/sample-mcp-server`). A server spec may not set them.
 */
export const LATTICE_SERVER_ENV = {
  /** Container port. */
  port: 'PORT',
  /** Path of the Streamable HTTP endpoint. */
  path: 'MCP_PATH',
  /** ARN of the KMS key whose public key verifies the gateway's tokens. */
  signingKeyArn: 'GATEWAY_SIGNING_KEY_ARN',
  /** `iss` of the gateway's tokens: the gateway's public URL. */
  issuer: 'GATEWAY_ISSUER',
  /** `aud` the server requires: its own Lattice URL, which the gateway mints tokens for. */
  audience: 'SERVER_AUDIENCE',
} as const;

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

    this.service = new McpServerService(this, 'Resource', {
      cluster: props.cluster,
      image: spec.image,
      port: spec.port,
      allowFrom: ec2.Peer.ipv4(LATTICE_DATA_PLANE_CIDR),
      vpcSubnets: props.network.workloadSubnets,
      logKey: props.logKey,
      environment: {
        ...spec.environment,
        [LATTICE_SERVER_ENV.port]: String(spec.port),
        [LATTICE_SERVER_ENV.path]: spec.path,
        [LATTICE_SERVER_ENV.signingKeyArn]: props.gatewaySigningKey.keyArn,
        [LATTICE_SERVER_ENV.issuer]: props.gatewayIssuer,
        [LATTICE_SERVER_ENV.audience]: this.url,
      },
      secrets: Object.fromEntries(Object.entries(spec.secrets).map(([name, secret]) => [name, ecs.Secret.fromSecretsManager(secret)])),
      cpu: spec.cpu,
      memoryLimitMiB: spec.memoryMiB,
      desiredCount: spec.desiredCount,
      maxCapacity: spec.maxCount,
    });
    spec.awsAccess.forEach((statement) => this.service.taskRole.addToPrincipalPolicy(statement));
    // Verification needs the public key only: the server can neither sign nor call kms:Verify.
    props.gatewaySigningKey.grant(this.service.taskRole, 'kms:GetPublicKey');
    this.lattice.registerEcsService(this.service.service, 'mcp');
  }
}
