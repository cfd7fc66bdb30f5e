import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { McpServerService } from '../../lib/compute';
import { declarePrinciples } from '../../lib/core/controls';
import { SecureLogGroup } from '../../lib/logging';
import { ServiceConnectEndpoint, ServiceConnectMesh } from '../../lib/servicemesh';
import { McpServerSpec } from '../shared/mcp-server-spec';

/**
 * Environment variables the pattern sets on every MCP server: where it listens, and whose
 * tokens it accepts (the contract of `runtime/sample-mcp-server`). A server spec may not set them.
 */
export const MESH_SERVER_ENV = {
  /** Container port, so that the server listens where the mesh sends traffic. */
  port: 'PORT',
  /** Path of the Streamable HTTP endpoint. */
  path: 'MCP_PATH',
  /** ARN of the KMS key whose public key verifies the gateway's tokens. */
  signingKeyArn: 'GATEWAY_SIGNING_KEY_ARN',
  /** `iss` of the gateway's tokens: the gateway's public URL. */
  issuer: 'GATEWAY_ISSUER',
  /** `aud` the server requires: its own upstream URL in the gateway. */
  audience: 'SERVER_AUDIENCE',
} as const;

/** Properties of a MeshMcpServer. */
export interface MeshMcpServerProps {
  /** What to run. Its `name` is the server's alias in the mesh. */
  readonly spec: McpServerSpec;
  /** Cluster of the pattern (e.g. `SecureCluster.cluster`). */
  readonly cluster: ecs.ICluster;
  /** Private workload subnets in at least two zones. */
  readonly vpcSubnets: ec2.SubnetSelection;
  /** The mesh the server joins with TLS. */
  readonly mesh: ServiceConnectMesh;
  /** Security group of the MCP security gateway: the only peer the server admits. */
  readonly gatewaySecurityGroup: ec2.SecurityGroup;
  /** Key the gateway signs upstream tokens with; the server may only read its public key. */
  readonly gatewaySigningKey: kms.IKey;
  /** `iss` of the gateway's tokens (the gateway's `publicUrl`). */
  readonly gatewayIssuer: string;
  /**
   * The URL the gateway was given for this server, `MeshMcpServer.urlOf(spec)`; the server
   * accepts only tokens minted for it.
   */
  readonly url: string;
  /** Key of the server's container log group (e.g. `KeyRing.logs`). */
  readonly logKey: kms.IKey;
  /** Retention of the container log group; at least a year. */
  readonly logRetention: logs.RetentionDays;
}

/**
 * One MCP server of the service mesh pattern: an `McpServerService` that admits only the
 * gateway's security group on its port, published in the Service Connect mesh with TLS from
 * the mesh CA under its name, whose task role holds the spec's `awsAccess` and the right to
 * read the gateway signing key's public key, and nothing else. It is told, through its
 * environment, to accept only tokens the gateway minted for its own URL: the gateway decides
 * which calls may go through, and the server checks again that each call comes from the gateway
 * and was meant for it, so a caller that bypasses the gateway inside the VPC gets nothing.
 */
export class MeshMcpServer extends Construct {
  /**
   * The URL the gateway calls for `spec`, `http://<name>:<port><path>`: plain HTTP to the
   * Service Connect proxy in the gateway's own task, which carries it to this server's proxy
   * over TLS. The gateway must be created before the servers (they admit only its security
   * group), so it learns their URLs from here; the constructor checks the mesh agrees.
   */
  public static urlOf(spec: McpServerSpec): string {
    return `http://${spec.name}:${spec.port}${spec.path}`;
  }

  /** The Fargate service running the server. */
  public readonly service: McpServerService;
  /** Where the mesh publishes the server. */
  public readonly endpoint: ServiceConnectEndpoint;
  /** The Streamable HTTP endpoint the gateway calls, also the audience of its tokens. */
  public readonly url: string;
  /** Alias of the server in the mesh (its name), the `DiscoveryName` of its Service Connect metrics. */
  public readonly alias: string;

  constructor(scope: Construct, id: string, props: MeshMcpServerProps) {
    super(scope, id);
    const spec = props.spec;
    this.alias = spec.name;
    this.url = props.url;

    const logGroup = new SecureLogGroup(this, 'Logs', { encryptionKey: props.logKey, retention: props.logRetention });
    this.service = new McpServerService(this, 'Resource', {
      cluster: props.cluster,
      vpcSubnets: props.vpcSubnets,
      image: spec.image,
      port: spec.port,
      // A security group, not a prefix: the rule names the gateway's tasks and nothing else in
      // the VPC, and McpServerService opens the gateway's egress to this port in the same step.
      allowFrom: props.gatewaySecurityGroup,
      logGroup,
      environment: {
        ...spec.environment,
        [MESH_SERVER_ENV.port]: String(spec.port),
        [MESH_SERVER_ENV.path]: spec.path,
        [MESH_SERVER_ENV.signingKeyArn]: props.gatewaySigningKey.keyArn,
        [MESH_SERVER_ENV.issuer]: props.gatewayIssuer,
        [MESH_SERVER_ENV.audience]: props.url,
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

    this.endpoint = props.mesh.addServer(this.service.service, { alias: spec.name, port: spec.port });
    if (`${this.endpoint.url}${spec.path}` !== props.url) {
      throw new Error(`MeshMcpServer ${this.node.path}: the mesh publishes the server at '${this.endpoint.url}${spec.path}', `
        + `but the gateway was given '${props.url}'; pass url: MeshMcpServer.urlOf(spec)`);
    }

    declarePrinciples(this,
      'zero-trust/continuous-verification',
      'zero-trust/micro-segmentation',
      'defense-in-depth/authorization',
      'secure-by-default/encryption',
    );
  }
}
