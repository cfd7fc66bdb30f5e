import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { declaredPrinciples } from '../../lib/core';
import { KeyRing } from '../../lib/encryption';
import { QUARANTINE_EVENT_DETAIL_TYPE, QUARANTINE_EVENT_SOURCE, SecurityMonitoring, TaskQuarantine, TaskQuarantineProps } from '../../lib/monitoring';
import * as runtime from '../../runtime/incident-response/src/quarantine-request';
import { cfnGuardStacks, formatGuardFailures } from '../support/cfn-guard';
import { expectGateClean } from '../support/gate';

const partitionArn = (rest: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] });

/** A stack with the kit's account baseline and a cluster whose name is a CloudFormation reference. */
function fixture() {
  const stack = new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-east-1' } });
  const keys = new KeyRing(stack, 'Keys');
  const monitoring = new SecurityMonitoring(stack, 'Monitoring', { encryptionKey: keys.logs });
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0',
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'],
  });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENHANCED });
  return { stack, keys, monitoring, vpc, cluster };
}

function withQuarantine(props: Partial<TaskQuarantineProps> = {}) {
  const f = fixture();
  const quarantine = new TaskQuarantine(f.stack, 'Quarantine', {
    cluster: f.cluster,
    encryptionKey: f.keys.logs,
    notificationTopic: f.monitoring.findingsTopic,
    ...props,
  });
  return { ...f, quarantine, template: Template.fromStack(f.stack) };
}

/** Logical ids of the fixture's main resources, for exact references. */
function ids(f: ReturnType<typeof withQuarantine>) {
  const id = (construct: { node: { defaultChild?: unknown } }) => f.stack.getLogicalId(construct.node.defaultChild as kms.CfnKey);
  return {
    cluster: id(f.cluster),
    key: id(f.keys.logs),
    topic: id(f.monitoring.findingsTopic),
    queue: id(f.quarantine.deadLetterQueue),
    group: id(f.quarantine.quarantineSecurityGroup),
    handler: id(f.quarantine.handler),
  };
}

describe('with the defaults', () => {
  // One synthesis (and one esbuild bundle) for all the fine-grained assertions below.
  const f = withQuarantine();
  const id = ids(f);

  test('runs the bundled handler on Node.js 22, outside the VPC', () => {
    f.template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Architectures: ['arm64'],
      VpcConfig: Match.absent(),
    });
  });

  test('configures the handler with the cluster, the VPC and the quarantine group, encrypted with the key', () => {
    f.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          CLUSTER_ARN: { 'Fn::GetAtt': [id.cluster, 'Arn'] },
          VPC_ID: 'vpc-0123456789abcdef0',
          QUARANTINE_SECURITY_GROUP_ID: { 'Fn::GetAtt': [id.group, 'GroupId'] },
          STOP_TASK: 'false',
        },
      },
      KmsKeyArn: { 'Fn::GetAtt': [id.key, 'Arn'] },
    });
  });

  test('reserves concurrency and sends failed events to the encrypted dead-letter queue', () => {
    f.template.hasResourceProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: 2,
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [id.queue, 'Arn'] } },
    });
    f.template.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: { 'Fn::GetAtt': [id.key, 'Arn'] } });
  });

  test('logs to an encrypted log group kept a year', () => {
    f.template.hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^QuarantineLogs') } } });
    f.template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [id.key, 'Arn'] }, RetentionInDays: 365 });
  });

  test('reports every success and every failure to the notification topic', () => {
    f.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: id.handler },
      DestinationConfig: { OnSuccess: { Destination: { Ref: id.topic } }, OnFailure: { Destination: { Ref: id.topic } } },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
    });
  });

  // proves: isolation/network
  test('creates a quarantine group in the VPC that allows no traffic in or out', () => {
    f.template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      VpcId: 'vpc-0123456789abcdef0',
      SecurityGroupIngress: Match.absent(),
      // The one rule CDK writes to remove EC2's default allow-all egress: it matches no packet.
      SecurityGroupEgress: [{ CidrIp: '255.255.255.255/32', IpProtocol: 'icmp', FromPort: 252, ToPort: 86, Description: 'Disallow all traffic' }],
    });
    f.template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    f.template.resourceCountIs('AWS::EC2::SecurityGroupEgress', 0);
  });

  test('lets the handler read tasks of the protected cluster only, and never stop them', () => {
    f.template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Sid: 'ReadAndContainTasksOfTheProtectedCluster',
          Effect: 'Allow',
          Action: 'ecs:DescribeTasks',
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecs:us-east-1:111111111111:task/', { Ref: id.cluster }, '/*']] },
          Condition: { ArnEquals: { 'ecs:cluster': { 'Fn::GetAtt': [id.cluster, 'Arn'] } } },
        }]),
      },
    });
    expect(JSON.stringify(f.template.findResources('AWS::IAM::ManagedPolicy'))).not.toContain('ecs:StopTask');
  });

  test('lets the handler list the tasks of a service only in the protected cluster', () => {
    f.template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Sid: 'ListTasksOfTheProtectedCluster',
          Effect: 'Allow',
          Action: 'ecs:ListTasks',
          Resource: '*',
          Condition: { ArnEquals: { 'ecs:cluster': { 'Fn::GetAtt': [id.cluster, 'Arn'] } } },
        }]),
      },
    });
  });

  test('lets the handler swap groups only of interfaces in the VPC, and attach only the quarantine group', () => {
    f.template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'SwapGroupsOfNetworkInterfacesOfTheVpc',
            Effect: 'Allow',
            Action: 'ec2:ModifyNetworkInterfaceAttribute',
            Resource: partitionArn(':ec2:us-east-1:111111111111:network-interface/*'),
            Condition: { ArnEquals: { 'ec2:Vpc': partitionArn(':ec2:us-east-1:111111111111:vpc/vpc-0123456789abcdef0') } },
          },
          {
            Sid: 'AttachOnlyTheQuarantineGroup',
            Effect: 'Allow',
            Action: 'ec2:ModifyNetworkInterfaceAttribute',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:us-east-1:111111111111:security-group/', { 'Fn::GetAtt': [id.group, 'GroupId'] }]] },
          },
        ]),
      },
    });
  });

  test('lets the handler write quarantine tags only, on interfaces of the VPC', () => {
    f.template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Sid: 'RecordQuarantineOnNetworkInterfacesOfTheVpc',
          Effect: 'Allow',
          Action: 'ec2:CreateTags',
          Resource: partitionArn(':ec2:us-east-1:111111111111:network-interface/*'),
          Condition: {
            'ArnEquals': { 'ec2:Vpc': partitionArn(':ec2:us-east-1:111111111111:vpc/vpc-0123456789abcdef0') },
            'ForAllValues:StringLike': { 'aws:TagKeys': ['mcp-kit:quarantine-*'] },
            'Null': { 'aws:TagKeys': 'false' },
          },
        }]),
      },
    });
  });

  test('lets the handler describe interfaces in this region only', () => {
    f.template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Sid: 'ReadNetworkInterfaces',
          Effect: 'Allow',
          Action: 'ec2:DescribeNetworkInterfaces',
          Resource: '*',
          Condition: { StringEquals: { 'aws:RequestedRegion': { Ref: 'AWS::Region' } } },
        }]),
      },
    });
  });

  test('lets the handler report to the topic and write to its queue, with KMS limited to each', () => {
    f.template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Effect: 'Allow', Action: 'sns:Publish', Resource: { Ref: id.topic } },
          {
            Effect: 'Allow',
            Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
            Resource: { 'Fn::GetAtt': [id.key, 'Arn'] },
            Condition: { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': { Ref: id.topic } } },
          },
          { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [id.queue, 'Arn'] } },
          {
            Effect: 'Allow',
            Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
            Resource: { 'Fn::GetAtt': [id.key, 'Arn'] },
            Condition: { StringEquals: { 'kms:EncryptionContext:aws:sqs:arn': { 'Fn::GetAtt': [id.queue, 'Arn'] } } },
          },
        ]),
      },
    });
  });

  test('keeps every permission in the managed policy: no inline policy, no AWS managed policy', () => {
    f.template.resourceCountIs('AWS::IAM::Policy', 0);
    f.template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })] },
      ManagedPolicyArns: Match.absent(),
    });
  });

  // proves: defense-in-depth/monitoring
  test('quarantines tasks of the cluster on GuardDuty findings of severity 7 and above', () => {
    f.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.guardduty'],
        'detail-type': ['GuardDuty Finding'],
        'detail': {
          severity: [{ numeric: ['>=', 7] }],
          resource: {
            resourceType: ['ECSCluster'],
            ecsClusterDetails: { arn: [{ 'Fn::GetAtt': [id.cluster, 'Arn'] }], taskDetails: { arn: [{ exists: true }] } },
          },
        },
      },
      Targets: [Match.objectLike({
        Arn: { 'Fn::GetAtt': [id.handler, 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [id.queue, 'Arn'] } },
      })],
    });
  });

  test('quarantines on requests from this account on the default bus', () => {
    f.template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: Match.absent(),
      EventPattern: { 'source': ['mcp-kit.incident'], 'detail-type': ['Quarantine Task'], 'account': ['111111111111'] },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [id.handler, 'Arn'] } })],
    });
  });

  test('declares the principles it implements', () => {
    expect(declaredPrinciples(f.quarantine)).toEqual(expect.arrayContaining(['defense-in-depth/monitoring', 'isolation/network', 'secure-by-default/fail-secure']));
  });
});

test('grants a requester PutEvents for quarantine requests on the default bus only', () => {
  const f = fixture();
  const quarantine = new TaskQuarantine(f.stack, 'Quarantine', { cluster: f.cluster, encryptionKey: f.keys.logs, notificationTopic: f.monitoring.findingsTopic });
  const gateway = new iam.Role(f.stack, 'GatewayTaskRole', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });

  quarantine.grantRequestQuarantine(gateway);

  Template.fromStack(f.stack).hasResourceProperties('AWS::IAM::Policy', {
    Roles: [{ Ref: f.stack.getLogicalId(gateway.node.defaultChild as iam.CfnRole) }],
    PolicyDocument: {
      Statement: [{
        Effect: 'Allow',
        Action: 'events:PutEvents',
        Resource: partitionArn(':events:us-east-1:111111111111:event-bus/default'),
        Condition: { StringEquals: { 'events:source': 'mcp-kit.incident', 'events:detail-type': 'Quarantine Task' } },
      }],
    },
  });
});

test('uses the event names the handler accepts', () => {
  expect(QUARANTINE_EVENT_SOURCE).toBe(runtime.QUARANTINE_EVENT_SOURCE);
  expect(QUARANTINE_EVENT_DETAIL_TYPE).toBe(runtime.QUARANTINE_EVENT_DETAIL_TYPE);
});

describe('with stopTask, a custom threshold and a dedicated request bus', () => {
  const f = fixture();
  const incidentBus = new events.EventBus(f.stack, 'IncidentBus');
  const quarantine = new TaskQuarantine(f.stack, 'Quarantine', {
    cluster: f.cluster,
    encryptionKey: f.keys.logs,
    notificationTopic: f.monitoring.findingsTopic,
    stopTask: true,
    severityThreshold: 8.5,
    eventBus: incidentBus,
    reservedConcurrency: 5,
  });
  const requester = new iam.Role(f.stack, 'Requester', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
  quarantine.grantRequestQuarantine(requester);
  const template = Template.fromStack(f.stack);
  const busId = f.stack.getLogicalId(incidentBus.node.defaultChild as events.CfnEventBus);

  test('may also stop tasks of the cluster, and says so in its configuration', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'ReadAndContainTasksOfTheProtectedCluster', Action: ['ecs:DescribeTasks', 'ecs:StopTask'] })]) },
    });
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ STOP_TASK: 'true' }) }, ReservedConcurrentExecutions: 5 });
  });

  test('quarantines from the configured severity', () => {
    template.hasResourceProperties('AWS::Events::Rule', { EventPattern: { detail: Match.objectLike({ severity: [{ numeric: ['>=', 8.5] }] }) } });
  });

  test('listens for requests on the dedicated bus and grants PutEvents on it', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: busId },
      EventPattern: Match.objectLike({ source: ['mcp-kit.incident'] }),
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'events:PutEvents', Resource: { 'Fn::GetAtt': [busId, 'Arn'] } })] },
    });
  });

  test('is gate clean', () => {
    expectGateClean(quarantine);
  });
});

test('fails naming every invalid prop', () => {
  const f = fixture();
  const importedKey = kms.Key.fromKeyArn(f.stack, 'Imported', 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab');

  expect(() => new TaskQuarantine(f.stack, 'Quarantine', {
    cluster: f.cluster,
    encryptionKey: importedKey,
    notificationTopic: f.monitoring.findingsTopic,
    severityThreshold: 0.5,
    reservedConcurrency: 0,
  })).toThrow([
    'Invalid TaskQuarantine Test/Quarantine:',
    '  - severityThreshold must be between 1 and 10, got 0.5',
    '  - reservedConcurrency must be a whole number of at least 1, got 0',
    '  - encryptionKey must be a key whose policy this app manages (e.g. KeyRing.logs), got the imported key Test/Imported: '
      + 'EventBridge could not write undelivered events to the encrypted dead-letter queue',
  ].join('\n'));
});

test('fails for a fractional reserved concurrency', () => {
  const f = fixture();

  expect(() => new TaskQuarantine(f.stack, 'Quarantine', {
    cluster: f.cluster,
    encryptionKey: f.keys.logs,
    notificationTopic: f.monitoring.findingsTopic,
    reservedConcurrency: 1.5,
  })).toThrow('reservedConcurrency must be a whole number of at least 1, got 1.5');
});

describe('gate', () => {
  test('passes for a stack with the account baseline and a quarantine with the defaults', () => {
    const f = fixture();
    const quarantine = new TaskQuarantine(f.stack, 'Quarantine', { cluster: f.cluster, encryptionKey: f.keys.logs, notificationTopic: f.monitoring.findingsTopic });

    expectGateClean(f.stack);
    // Control Tower proactive controls, for this construct's resources only (the fixture's key ring is another block's concern).
    const failures = cfnGuardStacks([f.stack]).filter((failure) => failure.constructPath?.startsWith(`${quarantine.node.path}/`));
    expect(formatGuardFailures(failures)).toEqual('');
  });

  test('passes with an imported cluster and topic', () => {
    const stack = new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-east-1' } });
    const keys = new KeyRing(stack, 'Keys');
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a'], privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaaa'] });
    const cluster = ecs.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'mcp', vpc });
    const topic = sns.Topic.fromTopicAttributes(stack, 'Topic', { topicArn: 'arn:aws:sns:us-east-1:111111111111:findings', keyArn: keys.logs.keyArn });
    new TaskQuarantine(stack, 'Quarantine', { cluster, encryptionKey: keys.logs, notificationTopic: topic });

    expectGateClean(stack);
    // The imported topic's key is known, so the handler can still publish to it.
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
          Condition: { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': 'arn:aws:sns:us-east-1:111111111111:findings' } },
        })]),
      },
    });
  });
});
