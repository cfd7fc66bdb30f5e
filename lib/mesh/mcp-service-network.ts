import { Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as ram from 'aws-cdk-lib/aws-ram';
import * as vpclattice from 'aws-cdk-lib/aws-vpclattice';
import { Construct } from 'constructs';
import { declarePrinciples } from '../core/controls';
import { latticeAccessLogs } from './private/access-logs';

/** Properties of an McpServiceNetwork. */
export interface McpServiceNetworkProps {
  /** Name of the service network (lowercase letters, digits, '-'; 3 to 63 characters). */
  readonly name: string;
  /** Key for the access-log group (e.g. `KeyRing.logs`). */
  readonly logKey: kms.IKey;
  /**
   * Accounts whose IAM principals may invoke services through this network. The deploying
   * account is always included.
   * @default - only the deploying account
   */
  readonly principalAccounts?: string[];
  /**
   * Accounts the network is shared with through AWS RAM (spoke accounts that associate services).
   * @default - not shared
   */
  readonly shareWithAccounts?: string[];
}

/**
 * A VPC Lattice service network for private MCP traffic: IAM authentication on every request
 * (`AWS_IAM`), an auth policy limited to named accounts, access logs, and optional sharing
 * with spoke accounts over AWS RAM (never with principals outside the organization's list).
 */
export class McpServiceNetwork extends Construct {
  /** The L1 service network. */
  public readonly serviceNetwork: vpclattice.CfnServiceNetwork;
  /** ARN, to associate services from other accounts. */
  public readonly serviceNetworkArn: string;
  /** Identifier, for associations in this account. */
  public readonly serviceNetworkId: string;

  constructor(scope: Construct, id: string, props: McpServiceNetworkProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const accountPattern = /^\d{12}$/;
    const problems: string[] = [];
    if (!Token.isUnresolved(props.name) && !/^(?!svcn-)[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$/.test(props.name)) {
      problems.push(`name must be 3-63 lowercase letters, digits or '-', got '${props.name}'`);
    }
    for (const [field, accounts] of [['principalAccounts', props.principalAccounts], ['shareWithAccounts', props.shareWithAccounts]] as const) {
      (accounts ?? []).filter((a) => !Token.isUnresolved(a) && !accountPattern.test(a))
        .forEach((a) => problems.push(`${field} must contain 12-digit account ids, got '${a}'`));
    }
    if (problems.length > 0) {
      throw new Error(`McpServiceNetwork ${this.node.path}:\n  - ${problems.join('\n  - ')}`);
    }

    this.serviceNetwork = new vpclattice.CfnServiceNetwork(this, 'Resource', { name: props.name, authType: 'AWS_IAM' });
    this.serviceNetworkArn = this.serviceNetwork.attrArn;
    this.serviceNetworkId = this.serviceNetwork.attrId;

    const accounts = [stack.account, ...(props.principalAccounts ?? [])];
    new vpclattice.CfnAuthPolicy(this, 'AuthPolicy', {
      resourceIdentifier: this.serviceNetworkId,
      policy: {
        Version: '2012-10-17',
        Statement: [{
          Sid: 'OnlyAuthenticatedPrincipalsOfNamedAccounts',
          Effect: 'Allow',
          Principal: '*',
          Action: 'vpc-lattice-svcs:Invoke',
          Resource: '*',
          Condition: {
            StringEquals: { 'aws:PrincipalAccount': accounts },
            StringNotEqualsIgnoreCase: { 'aws:PrincipalType': 'anonymous' },
          },
        }],
      },
    });
    latticeAccessLogs(this, this.serviceNetworkId, props.logKey, props.name);

    if (props.shareWithAccounts && props.shareWithAccounts.length > 0) {
      new ram.CfnResourceShare(this, 'Share', {
        name: `${props.name}-share`,
        resourceArns: [this.serviceNetworkArn],
        principals: props.shareWithAccounts,
        allowExternalPrincipals: false,
      });
    }
    declarePrinciples(this, 'zero-trust/continuous-verification', 'isolation/network', 'observability');
  }

  /** Let workloads in `vpc` reach services of this network, through `securityGroup`. */
  public associateVpc(id: string, vpc: ec2.IVpc, securityGroup: ec2.ISecurityGroup): vpclattice.CfnServiceNetworkVpcAssociation {
    return new vpclattice.CfnServiceNetworkVpcAssociation(this, id, {
      serviceNetworkIdentifier: this.serviceNetworkId,
      vpcIdentifier: vpc.vpcId,
      securityGroupIds: [securityGroup.securityGroupId],
    });
  }
}
