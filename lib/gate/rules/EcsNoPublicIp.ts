import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { McpRule } from '../mcp-rule';
import { asList, literalOf, renderedProperties, TemplateValue, valueAt } from './private/template';

/**
 * ECS services, task sets and scheduled ECS tasks (EventBridge rules and schedules) must not
 * give tasks a public IP address.
 */
export const EcsNoPublicIp: McpRule = {
  id: 'EcsNoPublicIp',
  info: 'The ECS service, task set or scheduled task assigns a public IP address to its tasks.',
  explanation:
    'A task with a public IP is reachable from, and reaches, the internet without passing the gateway, the WAF ' +
    'or the egress controls: an MCP server that bypasses the perimeter is a shadow server (OWASP MCP09). Run tasks ' +
    'in private subnets (`assignPublicIp: false`) and reach them through the load balancer or VPC Lattice.',
  level: NagMessageLevel.ERROR,
  principles: ['isolation/network', 'zero-trust/micro-segmentation', 'defense-in-depth/network'],
  nist80053: ['AC-4', 'SC-7', 'SC-7(3)'],
  evaluate: (node: CfnResource) => {
    const configurations = awsVpcConfigurations(node);
    if (configurations === undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const assignsPublicIp = configurations.some(
      (configuration) => literalOf(valueAt(configuration, 'AssignPublicIp'), 'AssignPublicIp') === 'ENABLED',
    );
    return assignsPublicIp ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  },
};

/** The awsvpc network configurations `node` launches tasks with, or undefined if it launches none. */
function awsVpcConfigurations(node: CfnResource): TemplateValue[] | undefined {
  switch (node.cfnResourceType) {
    case 'AWS::ECS::Service':
    case 'AWS::ECS::TaskSet':
      return [valueAt(renderedProperties(node), 'NetworkConfiguration', 'AwsvpcConfiguration')];
    case 'AWS::Events::Rule': {
      // EventBridge spells it AwsVpcConfiguration; ecs-patterns ScheduledFargateTask uses this path.
      const ecsTargets = asList(valueAt(renderedProperties(node), 'Targets'))
        .map((target) => valueAt(target, 'EcsParameters', 'NetworkConfiguration', 'AwsVpcConfiguration'))
        .filter((configuration) => configuration !== undefined);
      return ecsTargets.length > 0 ? ecsTargets : undefined;
    }
    case 'AWS::Scheduler::Schedule':
      return [valueAt(renderedProperties(node), 'Target', 'EcsParameters', 'NetworkConfiguration', 'AwsvpcConfiguration')];
    default:
      return undefined;
  }
}
