import { Environment, Stack, StackProps, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ram from 'aws-cdk-lib/aws-ram';
import { Construct } from 'constructs';
import { FederatedHubTrust, FederatedSpokeServer, readHubVerificationKey } from './federated-spoke-server';
import { FederatedUpstreamEndpoint } from './federated-upstream';
import { federatedGatewayRoleArn, hubSigningKeyAlias, hubSigningKeyAliasArn } from './hub-references';
import { spokeProblems } from './private/federation-problems';
import { SecureCluster } from '../../lib/compute';
import { KeyRing } from '../../lib/encryption';
import { LATTICE_DATA_PLANE_CIDR } from '../../lib/mesh';
import { EgressMode, SegmentedVpc } from '../../lib/network';
import { McpNetworkSpec } from '../shared/mcp-pattern-props';
import { McpServerSpec } from '../shared/mcp-server-spec';

/** Properties of a FederatedGatewaySpokeStack. */
export interface FederatedGatewaySpokeStackProps extends StackProps {
  /** Name of the kit deployment; prefixes aliases and Lattice service names, names the hub's gateway role. */
  readonly projectName: string;
  /** Name of the spoke (lowercase letters, digits and '-'). */
  readonly spokeName: string;
  /**
   * Account and region of the hub. The region must be the spoke's: VPC Lattice service networks
   * are regional.
   * @default - the spoke's own account and region
   */
  readonly hubEnv?: Environment;
  /** `iss` of the hub gateway's tokens: its public MCP URL, `https://<endpoint domain>/mcp`. */
  readonly gatewayIssuer: string;
  /** The spoke's VPC. Ranges may overlap the hub's: Lattice does not route between the VPCs. */
  readonly network: McpNetworkSpec;
  /** The MCP servers this spoke runs, at least one. */
  readonly servers: readonly McpServerSpec[];
  /** Retention of the spoke's log groups (at least one year). */
  readonly logRetention: logs.RetentionDays;
  /**
   * Internet egress of the servers. `'none'` leaves the VPC without an internet gateway: images
   * must come from this account's ECR (directory images built by CDK do), and AWS APIs are
   * reached through VPC endpoints. `'nat'` is the explicit decision to let servers reach the
   * internet on 443.
   * @default 'none'
   */
  readonly egress?: EgressMode;
}

/**
 * A spoke of the federated security gateway: MCP servers in their own account's VPC, reached
 * only through VPC Lattice services whose auth policies name only the hub gateway's role.
 * No load balancer, no public IP; with the default egress, no internet gateway either. In an
 * account other than the hub's, the services are shared with the hub account over AWS RAM
 * (never outside the organization) and the hub associates them with its service network.
 */
export class FederatedGatewaySpokeStack extends Stack {
  /** Keys of the spoke (logs of the servers and of Lattice). */
  public readonly keys: KeyRing;
  /** The spoke's VPC: isolated workload tier that admits the Lattice data plane on the server ports. */
  public readonly network: SegmentedVpc;
  /** The spoke's ECS cluster. */
  public readonly cluster: SecureCluster;
  /** The servers, in the order given. */
  public readonly servers: readonly FederatedSpokeServer[];
  /** Where each server is published, for the hub. */
  public readonly endpoints: readonly FederatedUpstreamEndpoint[];
  /** The RAM share of the services with the hub account, when the hub is in another account. */
  public readonly resourceShare?: ram.CfnResourceShare;
  private readonly configuredZones: string[];

  constructor(scope: Construct, id: string, props: FederatedGatewaySpokeStackProps) {
    super(scope, id, props);
    this.configuredZones = [...props.network.availabilityZones];
    const egress = props.egress ?? 'none';
    const hubAccount = props.hubEnv?.account ?? this.account;
    const problems = spokeProblems({
      spokeName: props.spokeName,
      servers: props.servers,
      spokeAccount: this.account,
      spokeRegion: this.region,
      hubAccount,
      hubRegion: props.hubEnv?.region ?? this.region,
    });
    if (problems.length > 0) {
      throw new Error(`FederatedGatewaySpokeStack ${this.node.path}: invalid properties:\n  - ${problems.join('\n  - ')}`);
    }

    this.keys = new KeyRing(this, 'Keys', { aliasPrefix: `${props.projectName}-${props.spokeName}` });
    this.network = new SegmentedVpc(this, 'Network', {
      cidr: props.network.cidr,
      availabilityZones: [...props.network.availabilityZones],
      egress,
      internetFacing: false,
      flowLogEncryptionKey: this.keys.logs,
      flowLogRetention: props.logRetention,
      workloadPorts: [...new Set(props.servers.map((s) => s.port))].sort((a, b) => a - b),
      // Lattice health checks and requests arrive from its data-plane range, not from the hub.
      workloadClientCidrs: [LATTICE_DATA_PLANE_CIDR],
    });
    this.cluster = new SecureCluster(this, 'Cluster', { vpc: this.network.vpc });

    const hub: FederatedHubTrust = {
      account: hubAccount,
      gatewayRole: iam.Role.fromRoleArn(this, 'HubGatewayRole', federatedGatewayRoleArn(this, hubAccount, props.projectName), { mutable: false }),
      gatewayIssuer: props.gatewayIssuer,
      signingKeyAlias: hubSigningKeyAlias(props.projectName),
      signingKeyAliasArn: hubSigningKeyAliasArn(this, hubAccount, props.projectName),
    };
    this.servers = props.servers.map((spec) => new FederatedSpokeServer(this, spec.name, {
      projectName: props.projectName,
      spec,
      network: this.network,
      cluster: this.cluster.cluster,
      logKey: this.keys.logs,
      logRetention: props.logRetention,
      hub,
    }));
    this.endpoints = this.servers.map((server) => server.endpoint);

    if (!Token.isUnresolved(hubAccount) && hubAccount !== this.account) {
      // The endpoints keep requests inside this account; the one exception is reading the
      // public key of the hub's signing key.
      const readKey = readHubVerificationKey(this, hub);
      readKey.addAnyPrincipal();
      readKey.addCondition('StringEquals', { 'aws:PrincipalAccount': this.account });
      this.network.endpoints.interfaceEndpoints.Kms.addToPolicy(readKey);
      this.resourceShare = new ram.CfnResourceShare(this, 'ShareWithHub', {
        name: `${props.projectName}-${props.spokeName}-mcp-services`,
        resourceArns: this.endpoints.map((endpoint) => endpoint.serviceArn),
        principals: [hubAccount],
        allowExternalPrincipals: false,
      });
    }
  }

  /** The configured availability zones (no lookup). */
  public get availabilityZones(): string[] {
    return this.configuredZones;
  }
}
