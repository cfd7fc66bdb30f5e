import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { McpRule } from '../mcp-rule';
import { renderedProperties } from './private/template';

/** CloudWatch Logs log groups must be encrypted with a customer managed KMS key. */
export const LogGroupKmsEncrypted: McpRule = {
  id: 'LogGroupKmsEncrypted',
  info: 'The log group is not encrypted with a customer managed KMS key.',
  explanation:
    'MCP logs carry tool arguments, tool results and identities: prompts, documents and personal data. A ' +
    'customer managed key puts every read behind a KMS grant that is logged in CloudTrail and can be revoked. ' +
    'Use `SecureLogGroup` with `KeyRing.logs`.',
  level: NagMessageLevel.ERROR,
  principles: ['secure-by-default/encryption', 'defense-in-depth/data'],
  nist80053: ['AU-9', 'SC-28', 'SC-28(1)'],
  evaluate: (node: CfnResource) => {
    if (node.cfnResourceType !== 'AWS::Logs::LogGroup') {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return renderedProperties(node).KmsKeyId === undefined ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  },
};
