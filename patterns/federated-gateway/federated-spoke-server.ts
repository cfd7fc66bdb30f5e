import { CfnOutput, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { FederatedUpstreamEndpoint } from './federated-upstream';
import { latticeServiceName, pascalCase } from './private/physical-names';
import { MCP_PORT_NAME, McpServerService } from '../../lib/compute';
import { acknowledge } from '../../lib/gate';
import { SecureLogGroup } from '../../lib/logging';
import { LATTICE_DATA_PLANE_CIDR, McpLatticeService } from '../../lib/mesh';
import { SegmentedVpc } from '../../lib/network';
import { gatewayUpstreamService } from '../shared/gateway-upstream-service';
import { McpServerSpec } from '../shared/mcp-server-spec';

/** What the servers of a spoke trust of the hub, known without a reference to the hub's stack. */
export interface FederatedHubTrust {
  /** Account of the hub. */
  readonly account: string;
  /** The gateway's task role: the only principal the Lattice auth policies name. */
  readonly gatewayRole: iam.IRole;
  /** `iss` of the gateway's tokens: its public MCP URL. */
  readonly gatewayIssuer: string;
  /** Alias of the gateway's signing key (`alias/…`). */
  readonly signingKeyAlias: string;
  /** Alias ARN of that key: the key servers read the public key of. */
  readonly signingKeyAliasArn: string;
}

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
  /** The hub: whose requests Lattice admits and whose tokens the server accepts. */
  readonly hub: FederatedHubTrust;
}

/**
 * One MCP server of a spoke: Fargate tasks in the isolated workload tier that admit only the
 * VPC Lattice data plane on the server port, published as a Lattice service whose auth policy
 * names only the hub gateway's role. Behind Lattice's IAM check, the server accepts only tokens
 * the gateway minted for its own URL, verified with the public key of the hub's signing key.
 * The task role gets the spec's `awsAccess` and the right to read that public key, nothing else.
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
    this.lattice = new McpLatticeService(this, 'Lattice', {
      name: latticeServiceName(props.projectName, spec.name),
      vpc: props.network.vpc,
      port: spec.port,
      mcpPath: spec.path,
      logKey: props.logKey,
      allowedPrincipals: [props.hub.gatewayRole],
      // Not associated here: the hub associates it with its service network, so the hub alone
      // decides which services join (see FederatedGatewayHubStack).
    });
    this.endpoint = { server: spec.name, url: this.lattice.url, serviceArn: this.lattice.serviceArn };

    this.service = gatewayUpstreamService(this, 'Service', {
      spec,
      cluster: props.cluster,
      allowFrom: ec2.Peer.ipv4(LATTICE_DATA_PLANE_CIDR),
      vpcSubnets: props.network.workloadSubnets,
      logGroup: new SecureLogGroup(this, 'Logs', { encryptionKey: props.logKey, retention: props.logRetention }),
      gatewayIssuer: props.hub.gatewayIssuer,
      audience: this.endpoint.url,
      verificationKey: { aliasArn: props.hub.signingKeyAliasArn, readPublicKey: readHubVerificationKey(this, props.hub) },
    });
    acknowledgeHubKeyWildcard(this.service.taskRole, props.hub);
    this.lattice.registerEcsService(this.service.service, MCP_PORT_NAME);

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

/**
 * `kms:GetPublicKey` on the hub's signing key, identified by its alias: its key id is known
 * only to the hub's stack. Any key of the hub account, but only one aliased as the gateway's
 * signing key, and only its public key.
 */
export function readHubVerificationKey(scope: Construct, hub: FederatedHubTrust): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'ReadTheGatewayTokenVerificationKey',
    actions: ['kms:GetPublicKey'],
    resources: [Stack.of(scope).formatArn({ service: 'kms', account: hub.account, resource: 'key', resourceName: '*' })],
    conditions: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': [hub.signingKeyAlias] } },
  });
}

/**
 * The key id is not known outside the hub's stack, so the statement names every key of the hub
 * account and lets the alias condition pick the one. Acknowledged for exactly that resource.
 */
function acknowledgeHubKeyWildcard(role: iam.IRole, hub: FederatedHubTrust): void {
  const stack = Stack.of(role);
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  const account = Token.isUnresolved(hub.account) ? '<AWS::AccountId>' : hub.account;
  const resource = `arn:<AWS::Partition>:kms:${region}:${account}:key/*`;
  const reason = 'Reads only the public key (kms:GetPublicKey) of the one hub key aliased as the gateway signing key '
    + '(kms:ResourceAliases condition); the key id exists only in the hub stack, which cannot be referenced from a spoke';
  acknowledge(role,
    { id: `AwsSolutions::AwsSolutions-IAM5[Resource::${resource}]`, reason },
    { id: `Mcp::Mcp-IamNoWildcardPermissions[Action::kms:GetPublicKey::Resource::${resource}]`, reason });
}
