import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sm from 'aws-cdk-lib/aws-secretsmanager';
import { IConstruct } from 'constructs';
import { ASSET_IMAGE_DIRECTORY, computeFixture, IMAGE, mcpServer } from './fixture';
import { McpServerService, SecureCluster } from '../../lib/compute';
import { declaredPrinciples } from '../../lib/core';
import { listAcknowledgements } from '../../lib/gate';
import { SecureLogGroup } from '../../lib/logging';
import { expectControlTowerClean } from '../support/cfn-guard';
import { expectGateClean } from '../support/gate';
import { standInVpc, testStack } from '../support/stand-ins';

const ref = (construct: IConstruct) => ({ Ref: Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement) });
const arnOf = (construct: IConstruct) => ({ 'Fn::GetAtt': [Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement), 'Arn'] });

describe('McpServerService container', () => {
  // proves: isolation/process
  test('runs read-only, non-root, unprivileged, with every capability dropped and an init process', () => {
    // GIVEN
    const fixture = computeFixture();

    // WHEN
    mcpServer(fixture);

    // THEN
    Template.fromStack(fixture.stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({
        Name: 'mcp-server',
        Essential: true,
        ReadonlyRootFilesystem: true,
        User: '1000:1000',
        Privileged: false,
        LinuxParameters: { Capabilities: { Drop: ['ALL'], Add: Match.absent() }, InitProcessEnabled: true },
        PortMappings: [{ Name: 'mcp', ContainerPort: 8080, Protocol: 'tcp', AppProtocol: 'http' }],
        Memory: 512,
        Environment: Match.absent(),
        Secrets: Match.absent(),
      })],
      RequiresCompatibilities: ['FARGATE'],
      NetworkMode: 'awsvpc',
      Cpu: '256',
      Memory: '512',
    });
  });

  test('writes only to a task-local /tmp volume', () => {
    const fixture = computeFixture();
    mcpServer(fixture);
    Template.fromStack(fixture.stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
      Volumes: [{ Name: 'tmp', Host: Match.absent(), EFSVolumeConfiguration: Match.absent() }],
      ContainerDefinitions: [Match.objectLike({ MountPoints: [{ ContainerPath: '/tmp', SourceVolume: 'tmp', ReadOnly: false }] })],
    });
  });

  // proves: secure-by-default/logging, secure-by-default/encryption
  test('logs in blocking mode to a KMS-encrypted log group kept a year', () => {
    const fixture = computeFixture();
    const server = mcpServer(fixture);
    const template = Template.fromStack(fixture.stack);
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: arnOf(fixture.keys.logs), RetentionInDays: 365 });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({
        LogConfiguration: { LogDriver: 'awslogs', Options: Match.objectLike({ 'awslogs-group': ref(server.logGroup.logGroup), 'mode': 'blocking' }) },
      })],
    });
  });

  test('uses a given log group instead of creating one', () => {
    const fixture = computeFixture();
    const logGroup = new SecureLogGroup(fixture.subject, 'SharedLogs', { encryptionKey: fixture.keys.logs });
    const server = mcpServer(fixture, { logKey: undefined, logGroup });
    expect(server.logGroup).toBe(logGroup);
    Template.fromStack(fixture.stack).resourceCountIs('AWS::Logs::LogGroup', 1);
  });

  test('runs as another non-root user when asked', () => {
    const fixture = computeFixture();
    mcpServer(fixture, { user: '10001:10001' });
    Template.fromStack(fixture.stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ User: '10001:10001' })],
    });
  });
});

describe('McpServerService network', () => {
  // proves: isolation/network
  test('runs tasks without public IPs in the workload subnets of both zones, behind its own group', () => {
    const fixture = computeFixture();
    const server = mcpServer(fixture);
    const workloadSubnets = fixture.vpc.selectSubnets({ subnetGroupName: 'Workload' }).subnets.map(ref);
    Template.fromStack(fixture.stack).hasResourceProperties('AWS::ECS::Service', {
      LaunchType: 'FARGATE',
      PlatformVersion: 'LATEST',
      NetworkConfiguration: {
        AwsvpcConfiguration: {
          AssignPublicIp: 'DISABLED',
          Subnets: workloadSubnets,
          SecurityGroups: [{ 'Fn::GetAtt': [Stack.of(server).getLogicalId(server.securityGroup.node.defaultChild as CfnElement), 'GroupId'] }],
        },
      },
    });
    expect(workloadSubnets).toHaveLength(2);
  });

  // proves: zero-trust/micro-segmentation
  test('admits only the named peer, only on the service port', () => {
    const fixture = computeFixture();
    const server = mcpServer(fixture);
    const template = Template.fromStack(fixture.stack);
    const groupId = { 'Fn::GetAtt': [Stack.of(server).getLogicalId(server.securityGroup.node.defaultChild as CfnElement), 'GroupId'] };
    template.resourcePropertiesCountIs('AWS::EC2::SecurityGroupIngress', { GroupId: groupId }, 1);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: groupId,
      SourceSecurityGroupId: { 'Fn::GetAtt': [Stack.of(server).getLogicalId(fixture.gateway.node.defaultChild as CfnElement), 'GroupId'] },
      IpProtocol: 'tcp',
      FromPort: 8080,
      ToPort: 8080,
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'MCP server tasks: ingress from one named peer on the service port',
      SecurityGroupIngress: Match.absent(),
    });
  });

  test('sends only HTTPS by default, everything when asked', () => {
    const https = computeFixture();
    mcpServer(https);
    Template.fromStack(https.stack).hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'MCP server tasks: ingress from one named peer on the service port',
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: Match.anyValue() }],
    });

    const open = computeFixture();
    mcpServer(open, { allowAllOutbound: true });
    Template.fromStack(open.stack).hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'MCP server tasks: ingress from one named peer on the service port',
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '0.0.0.0/0', IpProtocol: '-1' })],
    });
  });

  test('pins the Fargate platform version when asked', () => {
    const fixture = computeFixture();
    mcpServer(fixture, { platformVersion: ecs.FargatePlatformVersion.VERSION1_4 });
    Template.fromStack(fixture.stack).hasResourceProperties('AWS::ECS::Service', { PlatformVersion: '1.4.0' });
  });
});

describe('McpServerService roles', () => {
  // proves: zero-trust/least-privilege, secure-by-default/minimal-permissions
  test('give the task role no permission and keep it apart from the execution role', () => {
    const fixture = computeFixture();
    const server = mcpServer(fixture);
    const template = Template.fromStack(fixture.stack);
    expect(server.taskRole).not.toBe(server.executionRole);
    template.hasResourceProperties('AWS::IAM::Role', {
      Description: 'MCP server task role: no permissions unless granted',
      Policies: Match.absent(),
      ManagedPolicyArns: Match.absent(),
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({
          Principal: { Service: 'ecs-tasks.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' }, ArnLike: { 'aws:SourceArn': Match.anyValue() } },
        })],
      },
    });
    template.resourcePropertiesCountIs('AWS::IAM::ManagedPolicy', { Roles: [ref(server.taskRole)] }, 0);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      TaskRoleArn: arnOf(server.taskRole),
      ExecutionRoleArn: arnOf(server.executionRole),
    });
  });

  test('put grants to the service in a managed policy of the task role, never inline', () => {
    const fixture = computeFixture();
    const server = mcpServer(fixture);
    const data = new sm.Secret(fixture.stack, 'Data');

    data.grantRead(server);

    const template = Template.fromStack(fixture.stack);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [ref(server.taskRole)],
      PolicyDocument: { Statement: [Match.objectLike({ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: ref(data) })] },
    });
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('let the execution role write logs and read secrets, nothing else for a public image', () => {
    const fixture = computeFixture();
    const secret = new sm.Secret(fixture.stack, 'ApiKey');
    const server = mcpServer(fixture, { secrets: { UPSTREAM_API_KEY: ecs.Secret.fromSecretsManager(secret) } });
    const template = Template.fromStack(fixture.stack);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [ref(server.executionRole)],
      PolicyDocument: {
        Statement: [
          { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: arnOf(server.logGroup.logGroup) },
          { Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Effect: 'Allow', Resource: ref(secret) },
        ],
      },
    });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ Secrets: [{ Name: 'UPSTREAM_API_KEY', ValueFrom: ref(secret) }] })],
    });
  });
});

describe('McpServerService deployment and scaling', () => {
  test('runs two tasks, rolls back failed deployments and never opens ECS Exec', () => {
    const fixture = computeFixture();
    mcpServer(fixture);
    Template.fromStack(fixture.stack).hasResourceProperties('AWS::ECS::Service', {
      DesiredCount: 2,
      EnableExecuteCommand: false,
      AvailabilityZoneRebalancing: 'ENABLED',
      DeploymentConfiguration: Match.objectLike({
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
        MinimumHealthyPercent: 100,
        MaximumPercent: 200,
      }),
    });
  });

  test('scales on CPU between two and four tasks by default', () => {
    const fixture = computeFixture();
    mcpServer(fixture);
    const template = Template.fromStack(fixture.stack);
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 2,
      MaxCapacity: 4,
      ScalableDimension: 'ecs:service:DesiredCount',
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        TargetValue: 60,
      }),
    });
  });

  test('takes explicit capacity bounds and target', () => {
    const fixture = computeFixture();
    mcpServer(fixture, { desiredCount: 3, minCapacity: 3, maxCapacity: 10, targetCpuUtilizationPercent: 45 });
    const template = Template.fromStack(fixture.stack);
    template.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 3 });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 3, MaxCapacity: 10 });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({ TargetValue: 45 }),
    });
  });

  test('adds a health check only when given', () => {
    const fixture = computeFixture();
    mcpServer(fixture, { healthCheck: { command: ['CMD', 'node', '-e', 'process.exit(0)'] } });
    Template.fromStack(fixture.stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ HealthCheck: Match.objectLike({ Command: ['CMD', 'node', '-e', 'process.exit(0)'] }) })],
    });
  });
});

describe('McpServerService gate', () => {
  test('defaults pass the gate', () => {
    const fixture = computeFixture();
    mcpServer(fixture);
    expectGateClean(fixture.subject);
  });

  test('an ECR image, Secrets Manager secrets and plain environment pass the gate', () => {
    // GIVEN: an upstream API key issued by a third party, outside the subject (rotated by its issuer).
    const fixture = computeFixture();
    const apiKey = new sm.Secret(fixture.stack, 'UpstreamApiKey', { encryptionKey: fixture.keys.secrets });

    // WHEN
    mcpServer(fixture, {
      image: ecs.ContainerImage.fromAsset(ASSET_IMAGE_DIRECTORY),
      secrets: { UPSTREAM_API_KEY: ecs.Secret.fromSecretsManager(apiKey) },
      environment: { LOG_LEVEL: 'info', UPSTREAM_URL: 'https://api.example.com' },
    });

    // THEN
    expectGateClean(fixture.subject);
  });

  test('acknowledges the ECR token wildcard only when the image is in ECR', () => {
    const acknowledgedIds = (server: IConstruct) => listAcknowledgements(server).map((a) => a.id);

    expect(acknowledgedIds(mcpServer(computeFixture()))).toEqual([]);

    const ecrImageServer = mcpServer(computeFixture(), { image: ecs.ContainerImage.fromAsset(ASSET_IMAGE_DIRECTORY) });
    expect(acknowledgedIds(ecrImageServer)).toEqual([
      'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      'Mcp::Mcp-IamNoWildcardPermissions[Action::ecr:GetAuthorizationToken::Resource::*]',
    ]);
  });
});

describe('McpServerService Control Tower checks', () => {
  test('a stack with the service and its cluster passes the Control Tower proactive controls', () => {
    // GIVEN: a stack of only the VPC, cluster, gateway group and service (the KeyRing is checked by its own tests)
    const stack = testStack('Guard');
    const vpc = standInVpc(stack);
    const cluster = new SecureCluster(stack, 'Cluster', { vpc });

    // WHEN
    new McpServerService(stack, 'Server', {
      cluster: cluster.cluster,
      image: IMAGE,
      port: 8080,
      allowFrom: new ec2.SecurityGroup(stack, 'Gateway', { vpc }),
      vpcSubnets: { subnetGroupName: 'Workload' },
      logKey: kms.Key.fromKeyArn(stack, 'LogKey', 'arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555'),
    });

    // THEN
    expectControlTowerClean(stack);
  });
});

describe('McpServerService principles', () => {
  test('declares process and network isolation and minimal permissions', () => {
    const server = mcpServer(computeFixture());
    expect(declaredPrinciples(server)).toEqual(expect.arrayContaining([
      'isolation/process', 'isolation/network', 'zero-trust/micro-segmentation', 'secure-by-default/minimal-permissions',
    ]));
  });
});
