import { Aws, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { accountWideResourceFinding, wildcardResourceFinding } from './wildcard-finding';
import { acknowledge } from '../../gate';

/** What the quarantine function may touch. */
export interface QuarantineScope {
  readonly cluster: ecs.ICluster;
  readonly vpc: ec2.IVpc;
  readonly quarantineSecurityGroup: ec2.ISecurityGroup;
  readonly stopTask: boolean;
}

/** The wildcard resources the permissions cannot avoid, for granular acknowledgements. */
export interface QuarantineWildcards {
  /** `task/<cluster>/*`: task ids are only known when a finding arrives. */
  readonly tasks: string;
  /** `network-interface/*`: Fargate creates one ENI per task at run time. */
  readonly networkInterfaces: string;
}

/**
 * The least privilege that isolates one task: read and (optionally) stop tasks of one cluster,
 * read ENIs, tag ENIs of one VPC with quarantine tags only, and swap an ENI's groups, where the
 * only group that may be attached is the quarantine group (EC2 authorises the swap on both the
 * ENI and every group attached, and a group attaches only to ENIs of its own VPC).
 */
export function quarantineStatements(scope: Construct, target: QuarantineScope): {
  statements: iam.PolicyStatement[];
  wildcards: QuarantineWildcards;
} {
  const stack = Stack.of(scope);
  const vpcArn = stack.formatArn({ service: 'ec2', resource: 'vpc', resourceName: target.vpc.vpcId });
  const wildcards: QuarantineWildcards = {
    tasks: stack.formatArn({ service: 'ecs', resource: 'task', resourceName: `${target.cluster.clusterName}/*` }),
    networkInterfaces: stack.formatArn({ service: 'ec2', resource: 'network-interface', resourceName: '*' }),
  };
  const statements = [
    new iam.PolicyStatement({
      sid: 'ReadAndContainTasksOfTheProtectedCluster',
      actions: target.stopTask ? ['ecs:DescribeTasks', 'ecs:StopTask'] : ['ecs:DescribeTasks'],
      resources: [wildcards.tasks],
      conditions: { ArnEquals: { 'ecs:cluster': target.cluster.clusterArn } },
    }),
    new iam.PolicyStatement({
      // A quarantine request may name a service: its running tasks are listed, then isolated.
      // ecs:ListTasks authorizes on container instances, which Fargate tasks have none of; the
      // cluster condition is what limits it.
      sid: 'ListTasksOfTheProtectedCluster',
      actions: ['ecs:ListTasks'],
      resources: ['*'],
      conditions: { ArnEquals: { 'ecs:cluster': target.cluster.clusterArn } },
    }),
    new iam.PolicyStatement({
      // Describe* actions support no resource-level permissions; limited to this region.
      sid: 'ReadNetworkInterfaces',
      actions: ['ec2:DescribeNetworkInterfaces'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:RequestedRegion': Aws.REGION } },
    }),
    new iam.PolicyStatement({
      sid: 'RecordQuarantineOnNetworkInterfacesOfTheVpc',
      actions: ['ec2:CreateTags'],
      resources: [wildcards.networkInterfaces],
      conditions: {
        'ArnEquals': { 'ec2:Vpc': vpcArn },
        'ForAllValues:StringLike': { 'aws:TagKeys': ['mcp-kit:quarantine-*'] },
        'Null': { 'aws:TagKeys': 'false' },
      },
    }),
    new iam.PolicyStatement({
      sid: 'SwapGroupsOfNetworkInterfacesOfTheVpc',
      actions: ['ec2:ModifyNetworkInterfaceAttribute'],
      resources: [wildcards.networkInterfaces],
      conditions: { ArnEquals: { 'ec2:Vpc': vpcArn } },
    }),
    new iam.PolicyStatement({
      sid: 'AttachOnlyTheQuarantineGroup',
      actions: ['ec2:ModifyNetworkInterfaceAttribute'],
      resources: [stack.formatArn({ service: 'ec2', resource: 'security-group', resourceName: target.quarantineSecurityGroup.securityGroupId })],
    }),
  ];
  return { statements, wildcards };
}

/**
 * Acknowledges, on `policy` and finding by finding, the wildcards `quarantineStatements` cannot
 * avoid. Each names one resource (and, for the Mcp pack, one action), so an action or resource
 * added to the policy later is reported again.
 */
export function acknowledgeQuarantineWildcards(policy: Construct, wildcards: QuarantineWildcards): void {
  const perTaskInterfaces = 'Fargate creates a network interface per task at run time, so no interface ARN is known in advance; '
    + 'the statement is limited to interfaces of the cluster VPC (ec2:Vpc)';
  const describeOnly = 'ec2:DescribeNetworkInterfaces supports no resource-level permissions; it is read-only and limited to this region '
    + 'with aws:RequestedRegion.';
  const listTasks = 'ecs:ListTasks authorizes on container instances, which Fargate tasks do not have; it only lists task ARNs and is '
    + 'limited to the protected cluster with ecs:cluster.';
  acknowledge(policy,
    {
      id: wildcardResourceFinding(policy, wildcards.tasks),
      reason: 'Task ids are only known when a finding arrives; the resource is limited to tasks of the protected cluster and conditioned on ecs:cluster.',
    },
    {
      id: wildcardResourceFinding(policy, wildcards.networkInterfaces),
      reason: `${perTaskInterfaces}, to quarantine tag keys, and the only security group that may be attached is the quarantine group.`,
    },
    {
      id: accountWideResourceFinding(policy, 'ec2:ModifyNetworkInterfaceAttribute', wildcards.networkInterfaces),
      reason: `${perTaskInterfaces}, and the only security group it may attach is the quarantine group (a separate statement names it).`,
    },
    {
      id: accountWideResourceFinding(policy, 'ec2:CreateTags', wildcards.networkInterfaces),
      reason: `${perTaskInterfaces}, and to tag keys starting with mcp-kit:quarantine- (aws:TagKeys).`,
    },
    { id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]', reason: `${describeOnly} ${listTasks}` },
    { id: 'Mcp::Mcp-IamNoWildcardPermissions[Action::ec2:DescribeNetworkInterfaces::Resource::*]', reason: describeOnly },
    { id: 'Mcp::Mcp-IamNoWildcardPermissions[Action::ecs:ListTasks::Resource::*]', reason: listTasks },
  );
}
