import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { McpRule } from '../mcp-rule';
import { isTrue, renderedProperties } from './private/template';

/**
 * ECS services must not enable ECS Exec (`EnableExecuteCommand`). WARN level: it is sometimes a
 * deliberate choice in a debugging environment, and like every gate finding it still fails
 * synth until it is acknowledged on the service.
 */
export const EcsExecDisabled: McpRule = {
  id: 'EcsExecDisabled',
  info: 'The ECS service enables ECS Exec, an interactive shell into its running tasks.',
  explanation:
    'ECS Exec opens a shell inside the MCP server, next to its tokens and secrets, that goes around the ' +
    'gateway, its authorization policy and its audit trail; anyone with `ecs:ExecuteCommand` on the cluster ' +
    'gets it. Leave `enableExecuteCommand` off; debug from logs and traces, or in a separate environment.',
  level: NagMessageLevel.WARN,
  principles: ['isolation/process', 'zero-trust/least-privilege', 'observability'],
  nist80053: ['AC-6', 'AC-17', 'CM-7'],
  evaluate: (node: CfnResource) => {
    if (node.cfnResourceType !== 'AWS::ECS::Service') {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return isTrue(renderedProperties(node).EnableExecuteCommand, 'EnableExecuteCommand')
      ? NagRuleCompliance.NON_COMPLIANT
      : NagRuleCompliance.COMPLIANT;
  },
};
