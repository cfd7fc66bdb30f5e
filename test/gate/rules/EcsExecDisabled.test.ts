import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { NagMessageLevel } from 'cdk-nag';
import { mcpFindings, testStack } from './findings';
import { EcsExecDisabled, McpChecks } from '../../../lib/gate';

function service(enableExecuteCommand?: boolean) {
  const stack = testStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: ['us-east-1a', 'us-east-1b'] });
  const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Task');
  taskDefinition.addContainer('mcp', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/mcp/server:1') });
  new ecs.FargateService(stack, 'Service', { cluster: new ecs.Cluster(stack, 'Cluster', { vpc }), taskDefinition, enableExecuteCommand });
  return stack;
}

describe('EcsExecDisabled', () => {
  test('a service without ECS Exec is compliant', () => {
    expect(mcpFindings(service(), EcsExecDisabled)).toEqual([]);
  });

  test('reports a service with ECS Exec, at warning level', () => {
    const stack = service(true);
    expect(mcpFindings(stack, EcsExecDisabled)).toEqual(['Mcp-EcsExecDisabled at Test/Service/Service']);
    expect(EcsExecDisabled.level).toBe(NagMessageLevel.WARN);
    expect(new McpChecks(undefined, { rules: [EcsExecDisabled] }).validateScope(stack).violations[0].severity).toBe('warning');
  });
});
