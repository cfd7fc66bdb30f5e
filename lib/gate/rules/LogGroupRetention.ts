import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { MIN_LOG_RETENTION_DAYS } from '../../logging/secure-log-group';
import { McpRule } from '../mcp-rule';
import { literalOf, renderedProperties } from './private/template';

/** CloudWatch Logs log groups must set a retention of at least 365 days. */
export const LogGroupRetention: McpRule = {
  id: 'LogGroupRetention',
  info: `The log group keeps logs for less than ${MIN_LOG_RETENTION_DAYS} days, or sets no retention at all.`,
  explanation:
    'Incident response on an AI agent needs the audit trail of tool calls for at least a year (OWASP MCP08). ' +
    'A log group without retention keeps logs forever, which is a decision nobody made: prompts and personal ' +
    'data pile up with no end. Set an explicit retention of one year or more (`SecureLogGroup` does).',
  level: NagMessageLevel.ERROR,
  principles: ['secure-by-default/logging', 'observability', 'defense-in-depth/monitoring'],
  nist80053: ['AU-11', 'SI-12'],
  evaluate: (node: CfnResource) => {
    if (node.cfnResourceType !== 'AWS::Logs::LogGroup') {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const retention = Number(literalOf(renderedProperties(node).RetentionInDays, 'RetentionInDays') ?? 0);
    return retention >= MIN_LOG_RETENTION_DAYS ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
