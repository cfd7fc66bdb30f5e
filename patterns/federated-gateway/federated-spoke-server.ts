import { CfnOutput } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { FederatedUpstreamEndpoint } from './federated-upstream';
import { latticeServiceName, pascalCase } from './private/physical-names';
import { MCP_PORT_NAME, McpServerService } from '../../lib/compute';
import { SecureLogGroup } from '../../lib/logging';
import { LATTICE_DATA_PLANE_CIDR, McpLatticeService } from '../../lib/mesh';
import { SegmentedVpc } from '../../lib/network';
import { McpServerSpec } from '../shared/mcp-server-spec';

/** Properties of a FederatedSpokeServer. */
export interface FederatedSpokeServerProps {
  /** Prefix of the Lattice service name. */
  readonly projectName: string;
  /** The server to run. */
  readonly spec: McpServerSpec;
  /** The spoke's VPC. */
  readonly network: SegmentedVpc;
  /** The spoke's cluster. */
  readonly cluster: ecs.ICluster;
  /** Key of the container logs and the Lattice access logs. */
  readonly logKey: kms.IKey;
  /** Retention of the container logs. */
  readonly logRetention: logs.RetentionDays;
  /** The hub gateway's task role: the only principal the Lattice auth policy names. */
  readonly gatewayRole: iam.IRole;
}

/**
 * One MCP server of a spoke: Fargate tasks in the isolated workload tier that admit only the
 * VPC Lattice data plane on the server port, published as a Lattice service whose auth policy
 * names only the hub gateway's role. The task role gets exactly the spec's `awsAccess`.
 * Outputs the URL and service ARN a hub in another account is configured with.
 */
export class FederatedSpokeServer extends Construct {
  /** The Fargate service. */
  public readonly service: McpServerService;
  /** The VPC Lattice service publishing it. */
  public readonly lattice: McpLatticeService;
  /** What the hub needs to reach this server. */
  public readonly endpoint: FederatedUpstreamEndpoint;

  constructor(scope: Construct, id: string, props: FederatedSpokeServerProps) {
    super(scope, id);
    const spec = props.spec;
    this.service = new McpServerService(this, 'Service', {
      cluster: props.cluster,
      image: spec.image,
      port: spec.port,
      allowFrom: ec2.Peer.ipv4(LATTICE_DATA_PLANE_CIDR),
      vpcSubnets: props.network.workloadSubnets,
      logGroup: new SecureLogGroup(this, 'Logs', { encryptionKey: props.logKey, retention: props.logRetention }),
      environment: { ...spec.environment },
      secrets: Object.fromEntries(Object.entries(spec.secrets).map(([name, secret]) => [name, ecs.Secret.fromSecretsManager(secret)])),
      cpu: spec.cpu,
      memoryLimitMiB: spec.memoryMiB,
      desiredCount: spec.desiredCount,
      maxCapacity: spec.maxCount,
    });
    spec.awsAccess.forEach((statement) => this.service.taskRole.addToPrincipalPolicy(statement));

    this.lattice = new McpLatticeService(this, 'Lattice', {
      name: latticeServiceName(props.projectName, spec.name),
      vpc: props.network.vpc,
      port: spec.port,
      mcpPath: spec.path,
      logKey: props.logKey,
      allowedPrincipals: [props.gatewayRole],
      // Not associated here: the hub associates it with its service network, so the hub alone
      // decides which services join (see FederatedGatewayHubStack).
    });
    this.lattice.registerEcsService(this.service.service, MCP_PORT_NAME);
    this.endpoint = { server: spec.name, url: this.lattice.url, serviceArn: this.lattice.serviceArn };

    const key = pascalCase(spec.name);
    new CfnOutput(this, 'Url', {
      key: `${key}Url`,
      value: this.endpoint.url,
      description: `VPC Lattice URL of the MCP server ${spec.name} (the hub gateway's upstream URL)`,
    });
    new CfnOutput(this, 'ServiceArn', {
      key: `${key}ServiceArn`,
      value: this.endpoint.serviceArn,
      description: `ARN of the VPC Lattice service of the MCP server ${spec.name} (shared with the hub account)`,
    });
  }
}
