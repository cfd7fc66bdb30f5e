import { CfnResource } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { mcpFindings, testStack } from './findings';
import { EcsNoPublicIp } from '../../../lib/gate';

function fargate() {
  const stack = testStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: ['us-east-1a', 'us-east-1b'] });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Task');
  taskDefinition.addContainer('mcp', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/mcp/server:1') });
  return { stack, vpc, cluster, taskDefinition };
}

describe('EcsNoPublicIp', () => {
  test('a Fargate service in private subnets is compliant', () => {
    const { stack, cluster, taskDefinition } = fargate();
    new ecs.FargateService(stack, 'Service', { cluster, taskDefinition });
    expect(mcpFindings(stack, EcsNoPublicIp)).toEqual([]);
  });

  test('reports a Fargate service that assigns public IPs', () => {
    const { stack, cluster, taskDefinition } = fargate();
    new ecs.FargateService(stack, 'Service', {
      cluster,
      taskDefinition,
      assignPublicIp: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
    });
    expect(mcpFindings(stack, EcsNoPublicIp)).toEqual(['Mcp-EcsNoPublicIp at Test/Service/Service']);
  });

  test('reports a public IP set through an escape-hatch override', () => {
    const { stack, cluster, taskDefinition } = fargate();
    const service = new ecs.FargateService(stack, 'Service', { cluster, taskDefinition });
    (service.node.defaultChild as CfnResource).addPropertyOverride('NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp', 'ENABLED');
    expect(mcpFindings(stack, EcsNoPublicIp)).toEqual(['Mcp-EcsNoPublicIp at Test/Service/Service']);
  });

  test('reports a scheduled task that assigns public IPs, not one that does not', () => {
    const { stack, cluster, taskDefinition } = fargate();
    const schedule = events.Schedule.expression('rate(1 hour)');
    new events.Rule(stack, 'Private', { schedule, targets: [new targets.EcsTask({ cluster, taskDefinition })] });
    new events.Rule(stack, 'Public', {
      schedule,
      targets: [new targets.EcsTask({ cluster, taskDefinition, assignPublicIp: true, subnetSelection: { subnetType: ec2.SubnetType.PUBLIC } })],
    });
    expect(mcpFindings(stack, EcsNoPublicIp)).toEqual(['Mcp-EcsNoPublicIp at Test/Public/Resource']);
  });

  test('reports an EventBridge Scheduler schedule that runs tasks with public IPs', () => {
    const { stack, cluster, taskDefinition } = fargate();
    new scheduler.CfnSchedule(stack, 'Schedule', {
      scheduleExpression: 'rate(1 hour)',
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: cluster.clusterArn,
        roleArn: 'arn:aws:iam::111111111111:role/scheduler',
        ecsParameters: {
          taskDefinitionArn: taskDefinition.taskDefinitionArn,
          networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-public-a'], assignPublicIp: 'ENABLED' } },
        },
      },
    });
    expect(mcpFindings(stack, EcsNoPublicIp)).toEqual(['Mcp-EcsNoPublicIp at Test/Schedule']);
  });
});
