import { CfnOutput, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as vpclattice from 'aws-cdk-lib/aws-vpclattice';
import { Construct } from 'constructs';
import { FederatedUpstreamEndpoint, LatticeUpstreamAccess } from './federated-upstream';
import { checkSigningKeyAlias, nameGatewayRole } from './hub-references';
import { endpointProblems } from './private/federation-problems';
import { serviceNetworkName } from './private/physical-names';
import { McpSecurityGateway } from '../../lib/gateway';
import { McpServiceNetwork } from '../../lib/mesh';
import { McpPatternProps } from '../shared/mcp-pattern-props';
import { McpPatternStack } from '../shared/mcp-pattern-stack';
import { McpPlatform } from '../shared/mcp-platform';

/** Properties of a FederatedGatewayHubStack. */
export interface FederatedGatewayHubStackProps extends McpPatternProps {
  /**
   * Where each of `servers` is published, exactly one per server: `FederatedGatewaySpokeStack.endpoints`
   * for a spoke of this account and region, or the values a spoke in another account output.
   * Every service must be in this stack's region.
   */
  readonly endpoints: readonly FederatedUpstreamEndpoint[];
}

/**
 * The hub of the federated security gateway: the WAF-fronted load balancer, identity, and the
 * MCP security gateway (Cedar policy store, audit log) of McpPlatform, plus a VPC Lattice
 * service network with `AWS_IAM` auth that only principals of this account may use. The hub
 * associates every spoke's Lattice service with its network and calls it through the
 * network's association with the hub VPC, which admits only the gateway on 443. The gateway
 * has one upstream per server and an identity policy for exactly those MCP endpoints; its
 * task role has a fixed name that the spokes' auth policies name.
 *
 * The spokes' services join the network by association from the hub rather than by sharing
 * the network with the spokes: a shared network would let every spoke account attach its
 * own VPCs and services to it. Here membership is decided in the hub's template alone.
 */
export class FederatedGatewayHubStack extends McpPatternStack {
  /** Keys, VPC, cluster, identity, front door and gateway. */
  public readonly platform: McpPlatform;
  /** The service network the spokes' services join. */
  public readonly serviceNetwork: McpServiceNetwork;
  /** Guards the hub VPC's association with the service network: HTTPS from the gateway only. */
  public readonly latticeClients: ec2.SecurityGroup;
  /** The MCP security gateway. */
  public readonly gateway: McpSecurityGateway;

  constructor(scope: Construct, id: string, props: FederatedGatewayHubStackProps) {
    super(scope, id, props);
    const problems = endpointProblems(props.servers, props.endpoints, this.region);
    if (problems.length > 0) {
      throw new Error(`FederatedGatewayHubStack ${this.node.path}: invalid properties:\n  - ${problems.join('\n  - ')}`);
    }

    this.platform = new McpPlatform(this, 'Platform', props);
    const vpc = this.platform.network.vpc;
    this.serviceNetwork = new McpServiceNetwork(this, 'ServiceNetwork', {
      name: serviceNetworkName(props.projectName),
      logKey: this.platform.keys.logs,
    });
    this.latticeClients = new ec2.SecurityGroup(this, 'LatticeClients', {
      vpc,
      description: 'VPC Lattice service network association: HTTPS from the MCP security gateway only',
      allowAllOutbound: false,
    });
    this.serviceNetwork.associateVpc('HubVpc', vpc, this.latticeClients);

    // One scope per server, named after it, so ids stay put when servers come and go.
    const upstreams = props.servers.map((server) => {
      const endpoint = props.endpoints.find((e) => e.server === server.name)!;
      new vpclattice.CfnServiceNetworkServiceAssociation(new Construct(this, server.name), 'Association', {
        serviceNetworkIdentifier: this.serviceNetwork.serviceNetworkId,
        serviceIdentifier: endpoint.serviceArn,
      });
      return { name: server.name, url: endpoint.url, access: new LatticeUpstreamAccess(endpoint.serviceArn, server.path, this.region) };
    });
    this.gateway = this.platform.addGateway(upstreams);
    nameGatewayRole(this.gateway.taskRole, props.projectName);
    checkSigningKeyAlias(this.platform.keys.signing, props.projectName);
    // Servers in other accounts verify the gateway's tokens with this key's public key.
    const spokeAccounts = [...new Set(props.endpoints
      .filter((endpoint) => !Token.isUnresolved(endpoint.serviceArn))
      .map((endpoint) => endpoint.serviceArn.split(':')[4]))]
      .filter((account) => account !== this.account);
    if (spokeAccounts.length > 0) {
      this.platform.keys.signing.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'SpokeAccountsReadTheTokenVerificationKey',
        principals: spokeAccounts.map((account) => new iam.AccountPrincipal(account)),
        actions: ['kms:GetPublicKey'],
        resources: ['*'],
      }));
    }
    this.latticeClients.connections.allowFrom(this.gateway, ec2.Port.tcp(443), 'MCP requests from the gateway to the spokes');

    new CfnOutput(this, 'GatewayRoleArn', {
      key: 'GatewayRoleArn',
      value: this.gateway.taskRole.roleArn,
      description: 'The only principal the spokes\' VPC Lattice auth policies name',
    });
    new CfnOutput(this, 'ServiceNetworkArn', {
      key: 'ServiceNetworkArn',
      value: this.serviceNetwork.serviceNetworkArn,
      description: 'VPC Lattice service network the spokes\' MCP services are associated with',
    });
  }
}
