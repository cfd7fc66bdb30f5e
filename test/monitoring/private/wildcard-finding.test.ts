import { App, Aws, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { accountWideResourceFinding, wildcardResourceFinding } from '../../../lib/monitoring/private/wildcard-finding';

const stack = new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-east-1' } });
const cluster = new ecs.Cluster(stack, 'Cluster');

test('renders references the way cdk-nag flattens them', () => {
  const tasks = stack.formatArn({ service: 'ecs', resource: 'task', resourceName: `${cluster.clusterName}/*` });

  expect(wildcardResourceFinding(stack, tasks))
    .toBe(`AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:us-east-1:111111111111:task/<${stack.getLogicalId(cluster.node.defaultChild as ecs.CfnCluster)}>/*]`);
});

test('renders attributes as <Id.Attribute>', () => {
  expect(wildcardResourceFinding(stack, `${cluster.clusterArn}/*`))
    .toBe(`AwsSolutions::AwsSolutions-IAM5[Resource::<${stack.getLogicalId(cluster.node.defaultChild as ecs.CfnCluster)}.Arn>/*]`);
});

test('names the action in findings of the Mcp pack', () => {
  expect(accountWideResourceFinding(stack, 'ec2:CreateTags', `arn:${Aws.PARTITION}:ec2:${Aws.REGION}:${Aws.ACCOUNT_ID}:network-interface/*`))
    .toBe('Mcp::Mcp-IamNoWildcardPermissions[Action::ec2:CreateTags::Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:network-interface/*]');
});

test('keeps a plain string as it is', () => {
  expect(wildcardResourceFinding(stack, '*')).toBe('AwsSolutions::AwsSolutions-IAM5[Resource::*]');
});
