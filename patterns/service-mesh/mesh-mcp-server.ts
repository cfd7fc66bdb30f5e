import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { McpServerService } from '../../lib/compute';
import { declarePrinciples } from '../../lib/core/controls';
import { SecureLogGroup } from '../../lib/logging';
import { ServiceConnectEndpoint, ServiceConnectMesh } from '../../lib/servicemesh';
import { gatewayUpstreamService } from '../shared/gateway-upstream-service';
import { McpServerSpec } from '../shared/mcp-server-spec';

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
    this.service = gatewayUpstreamService(this, 'Resource', {
      spec,
      cluster: props.cluster,
      vpcSubnets: props.vpcSubnets,
      // A security group, not a prefix: the rule names the gateway's tasks and nothing else in
      // the VPC, and McpServerService opens the gateway's egress to this port in the same step.
      allowFrom: props.gatewaySecurityGroup,
      logGroup,
      gatewayIssuer: props.gatewayIssuer,
      audience: props.url,
      verificationKey: { key: props.gatewaySigningKey },
    });

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
