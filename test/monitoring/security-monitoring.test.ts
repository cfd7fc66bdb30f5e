import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { declaredPrinciples } from '../../lib/core';
import { KeyRing } from '../../lib/encryption';
import { SecurityHubSeverity, SecurityMonitoring, SecurityMonitoringProps } from '../../lib/monitoring';
import { cfnGuardStacks, formatGuardFailures } from '../support/cfn-guard';
import { expectGateClean } from '../support/gate';

function newStack(): Stack {
  return new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-east-1' } });
}

function monitoring(props: Partial<SecurityMonitoringProps> = {}, stack = newStack()) {
  const keys = new KeyRing(stack, 'Keys');
  const construct = new SecurityMonitoring(stack, 'Monitoring', { encryptionKey: keys.logs, ...props });
  return { stack, keys, construct, template: Template.fromStack(stack) };
}

const partitionArn = (rest: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] });

describe('GuardDuty', () => {
  // proves: secure-by-default/monitoring, defense-in-depth/monitoring
  test('creates a retained detector with Runtime Monitoring and the ECS Fargate agent managed by GuardDuty', () => {
    const { template } = monitoring();

    template.resourceCountIs('AWS::GuardDuty::Detector', 1);
    template.hasResource('AWS::GuardDuty::Detector', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        Enable: true,
        FindingPublishingFrequency: 'FIFTEEN_MINUTES',
        // The API refuses a detector that sets both features and the legacy data sources.
        DataSources: Match.absent(),
        Features: [
          { Name: 'S3_DATA_EVENTS', Status: 'ENABLED' },
          { Name: 'EKS_AUDIT_LOGS', Status: 'ENABLED' },
          { Name: 'EBS_MALWARE_PROTECTION', Status: 'ENABLED' },
          { Name: 'RDS_LOGIN_EVENTS', Status: 'ENABLED' },
          { Name: 'LAMBDA_NETWORK_LOGS', Status: 'ENABLED' },
          {
            Name: 'RUNTIME_MONITORING',
            Status: 'ENABLED',
            AdditionalConfiguration: [
              { Name: 'ECS_FARGATE_AGENT_MANAGEMENT', Status: 'ENABLED' },
              { Name: 'EKS_ADDON_MANAGEMENT', Status: 'DISABLED' },
              { Name: 'EC2_AGENT_MANAGEMENT', Status: 'DISABLED' },
            ],
          },
        ],
      },
    });
  });

  test('exposes the id of the detector it creates', () => {
    const { stack, construct } = monitoring();

    expect(stack.resolve(construct.detectorId)).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(construct.detector!), 'Id'] });
  });

  test('uses an existing detector instead of creating one', () => {
    const { template, construct } = monitoring({ existingDetectorId: '12abc34d567e8fa901bc2d34e56789f0' });

    template.resourceCountIs('AWS::GuardDuty::Detector', 0);
    expect(construct.detector).toBeUndefined();
    expect(construct.detectorId).toBe('12abc34d567e8fa901bc2d34e56789f0');
  });
});

describe('Security Hub', () => {
  test('is enabled without default standards and retained', () => {
    const { template } = monitoring();

    template.hasResource('AWS::SecurityHub::Hub', {
      DeletionPolicy: 'Retain',
      Properties: { EnableDefaultStandards: false, ControlFindingGenerator: 'SECURITY_CONTROL', AutoEnableControls: true },
    });
  });

  // proves: secure-by-default/monitoring
  test('subscribes AWS Foundational Security Best Practices and CIS v3.0.0 by regional ARN, after the hub', () => {
    const { stack, construct, template } = monitoring();
    const hubId = stack.getLogicalId(construct.hub!);

    template.resourceCountIs('AWS::SecurityHub::Standard', 2);
    template.hasResource('AWS::SecurityHub::Standard', {
      DependsOn: [hubId],
      Properties: { StandardsArn: partitionArn(':securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0') },
    });
    template.hasResource('AWS::SecurityHub::Standard', {
      DependsOn: [hubId],
      Properties: { StandardsArn: partitionArn(':securityhub:us-east-1::standards/cis-aws-foundations-benchmark/v/3.0.0') },
    });
  });

  test('takes the region of the standards ARNs from the stack, a token when it is environment-agnostic', () => {
    const { template } = monitoring({}, new Stack(new App(), 'Test'));

    template.hasResourceProperties('AWS::SecurityHub::Standard', {
      StandardsArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':securityhub:', { Ref: 'AWS::Region' }, '::standards/cis-aws-foundations-benchmark/v/3.0.0']] },
    });
  });

  test('is left alone when enabled elsewhere, while its findings are still routed', () => {
    const { template } = monitoring({ enableSecurityHub: false });

    template.resourceCountIs('AWS::SecurityHub::Hub', 0);
    template.resourceCountIs('AWS::SecurityHub::Standard', 0);
    template.hasResourceProperties('AWS::Events::Rule', { EventPattern: { source: ['aws.securityhub'] } });
  });
});

describe('finding routing', () => {
  // proves: defense-in-depth/monitoring
  test('routes GuardDuty findings of severity 7 and above by default', () => {
    const { template } = monitoring();

    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'source': ['aws.guardduty'], 'detail-type': ['GuardDuty Finding'], 'detail': { severity: [{ numeric: ['>=', 7] }] } },
    });
  });

  test('routes GuardDuty findings from a configured threshold', () => {
    const { template } = monitoring({ guardDutySeverityThreshold: 4.5 });

    template.hasResourceProperties('AWS::Events::Rule', { EventPattern: { detail: { severity: [{ numeric: ['>=', 4.5] }] } } });
  });

  test('routes new, active HIGH and CRITICAL Security Hub findings that do not come from GuardDuty', () => {
    const { template } = monitoring();

    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['aws.securityhub'],
        'detail-type': ['Security Hub Findings - Imported'],
        'detail': {
          findings: {
            Severity: { Label: ['HIGH', 'CRITICAL'] },
            Workflow: { Status: ['NEW'] },
            RecordState: ['ACTIVE'],
            ProductName: [{ 'anything-but': ['GuardDuty'] }],
          },
        },
      },
    });
  });

  test('routes Security Hub findings from a configured minimum severity', () => {
    const { template } = monitoring({ securityHubMinimumSeverity: SecurityHubSeverity.MEDIUM });

    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { detail: { findings: { Severity: { Label: ['MEDIUM', 'HIGH', 'CRITICAL'] } } } },
    });
  });

  test.each(['aws.guardduty', 'aws.securityhub'])('delivers %s findings to the topic through a role, with retries and the dead-letter queue', (source) => {
    const { stack, construct, template } = monitoring();

    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: [source] },
      Targets: [{
        Id: 'Target0',
        Arn: { Ref: stack.getLogicalId(construct.findingsTopic.node.defaultChild as sns.CfnTopic) },
        RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MonitoringDeliveryRole'), 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [stack.getLogicalId(construct.deadLetterQueue.node.defaultChild as sqs.CfnQueue), 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
      }],
    });
  });
});

describe('findings topic', () => {
  test('is encrypted with the given key', () => {
    const { stack, keys, template } = monitoring();

    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [stack.getLogicalId(keys.logs.node.defaultChild as kms.CfnKey), 'Arn'] } });
  });

  test('accepts TLS only, lets CloudWatch alarms of this account publish, and grants nothing to the EventBridge service principal', () => {
    const { stack, construct, template } = monitoring();
    const topic = { Ref: stack.getLogicalId(construct.findingsTopic.node.defaultChild as sns.CfnTopic) };

    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: [
          { Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
          {
            Sid: 'AllowCloudWatchAlarmsOfThisAccount',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: topic,
            Condition: {
              StringEquals: { 'aws:SourceAccount': '111111111111' },
              ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:us-east-1:111111111111:alarm:*']] } },
            },
          },
        ],
      },
    });
  });

  test('lets CloudWatch alarms use the topic key', () => {
    const { stack, keys, template } = monitoring();

    const keyPolicy = template.toJSON().Resources[stack.getLogicalId(keys.logs.node.defaultChild as kms.CfnKey)].Properties.KeyPolicy;
    expect(keyPolicy.Statement).toContainEqual(expect.objectContaining({
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    }));
  });

  test('is published to by a role only EventBridge of this account can assume, with exact KMS actions', () => {
    const { template } = monitoring();

    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{ Principal: { Service: 'events.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } } }],
      },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          { Effect: 'Allow', Action: 'sns:Publish', Resource: { Ref: Match.stringLikeRegexp('^Monitoring') } },
          {
            Effect: 'Allow',
            Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
            Condition: { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': { Ref: Match.stringLikeRegexp('^Monitoring') } } },
          },
        ],
      },
    });
    // CDK's own grant (an inline policy with kms:GenerateDataKey*) must not be there.
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });
});

describe('dead-letter queue', () => {
  test('is encrypted with the given key, TLS-only and keeps messages 14 days', () => {
    const { template } = monitoring();

    template.hasResource('AWS::SQS::Queue', {
      DeletionPolicy: 'Retain',
      Properties: { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^KeysLogs'), 'Arn'] }, MessageRetentionPeriod: 1209600 },
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  test('can be written by EventBridge: the key policy allows it for queues of this account only', () => {
    const { template } = monitoring();

    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([{
          Sid: 'AllowEventBridgeDeadLettersOfThisAccount',
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
          Resource: '*',
          Condition: { ArnLike: { 'kms:EncryptionContext:aws:sqs:arn': partitionArn(':sqs:us-east-1:111111111111:*') } },
        }]),
      },
    });
  });
});

test('declares the monitoring principles', () => {
  const { construct } = monitoring();

  expect(declaredPrinciples(construct)).toEqual(expect.arrayContaining(['defense-in-depth/monitoring', 'secure-by-default/monitoring']));
});

test('fails naming every invalid prop', () => {
  const stack = newStack();
  const importedKey = kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab');

  expect(() => new SecurityMonitoring(stack, 'Monitoring', { encryptionKey: importedKey, guardDutySeverityThreshold: 0, existingDetectorId: 'detector-1' }))
    .toThrow([
      'Invalid SecurityMonitoring Test/Monitoring:',
      '  - guardDutySeverityThreshold must be between 1 and 10, got 0',
      "  - existingDetectorId must be a GuardDuty detector id (32 lowercase hexadecimal characters), got 'detector-1'",
      '  - encryptionKey must be a key whose policy this app manages (e.g. KeyRing.logs), got the imported key Test/Imported: '
        + 'EventBridge could not write undelivered events to the encrypted dead-letter queue',
    ].join('\n'));
});

test('fails for a GuardDuty threshold above 10', () => {
  expect(() => monitoring({ guardDutySeverityThreshold: 10.5 })).toThrow('guardDutySeverityThreshold must be between 1 and 10, got 10.5');
});

describe('gate', () => {
  test('passes with the defaults', () => {
    expectGateClean(monitoring().stack);
  });

  test('passes the Control Tower proactive controls', () => {
    const { stack, construct } = monitoring();

    // Only this construct's resources: the key ring of the fixture is another block's concern.
    const failures = cfnGuardStacks([stack]).filter((failure) => failure.constructPath?.startsWith(`${construct.node.path}/`));
    expect(formatGuardFailures(failures)).toEqual('');
  });

  test('passes with an existing detector and Security Hub managed elsewhere', () => {
    expectGateClean(monitoring({ existingDetectorId: '12abc34d567e8fa901bc2d34e56789f0', enableSecurityHub: false }).stack);
  });
});
