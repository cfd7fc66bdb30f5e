import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { McpRule } from '../mcp-rule';
import { literalOf, renderedProperties } from './private/template';

/** VPC Lattice services and service networks must authenticate callers with IAM (`AuthType: AWS_IAM`). */
export const LatticeAuthIam: McpRule = {
  id: 'LatticeAuthIam',
  info: 'The VPC Lattice service or service network does not require IAM authentication (AuthType is NONE or unset).',
  explanation:
    'With `AuthType: NONE` any workload associated with the network can call every MCP server behind it, so ' +
    'one compromised server reaches all the others. `AWS_IAM` makes Lattice verify the SigV4 identity of every ' +
    'request against an auth policy that names which callers may reach which server (and denies all without one).',
  level: NagMessageLevel.ERROR,
  principles: ['zero-trust/continuous-verification', 'zero-trust/micro-segmentation', 'defense-in-depth/authorization'],
  nist80053: ['AC-3', 'AC-4', 'IA-9'],
  evaluate: (node: CfnResource) => {
    if (node.cfnResourceType !== 'AWS::VpcLattice::Service' && node.cfnResourceType !== 'AWS::VpcLattice::ServiceNetwork') {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    // CloudFormation's default AuthType is NONE.
    const authType = literalOf(renderedProperties(node).AuthType, 'AuthType') ?? 'NONE';
    return authType === 'AWS_IAM' ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
