import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { declaredPrinciples } from '../../lib/core';
import { KeyRing } from '../../lib/encryption';
import { listAcknowledgements } from '../../lib/gate';
import { AuditTrail, AuditTrailProps, LogArchive } from '../../lib/logging';
import { expectGateClean } from '../support/gate';

/** The CIS AWS Foundations Benchmark (v1.4.0+, section 4) filter patterns, as the benchmark states them. */
const CIS_PATTERNS: Record<string, string> = {
  UnauthorizedApiCalls: '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',
  ConsoleSignInWithoutMfa: '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
  RootAccountUsage: '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
  IamPolicyChanges: '{ ($.eventName = DeleteGroupPolicy) || ($.eventName = DeleteRolePolicy) || ($.eventName = DeleteUserPolicy) || ($.eventName = PutGroupPolicy) || ($.eventName = PutRolePolicy) || ($.eventName = PutUserPolicy) || ($.eventName = CreatePolicy) || ($.eventName = DeletePolicy) || ($.eventName = CreatePolicyVersion) || ($.eventName = DeletePolicyVersion) || ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy) || ($.eventName = AttachUserPolicy) || ($.eventName = DetachUserPolicy) || ($.eventName = AttachGroupPolicy) || ($.eventName = DetachGroupPolicy) }',
  CloudTrailConfigurationChanges: '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }',
  ConsoleAuthenticationFailures: '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
  CmkDisabledOrScheduledForDeletion: '{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }',
  S3BucketPolicyChanges: '{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }',
  AwsConfigChanges: '{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || ($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) || ($.eventName = PutConfigurationRecorder)) }',
  SecurityGroupChanges: '{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }',
  NetworkAclChanges: '{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }',
  NetworkGatewayChanges: '{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }',
  RouteTableChanges: '{ ($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable)) }',
  VpcChanges: '{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }',
};

const TRAIL_ARN = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudtrail:us-east-1:111111111111:trail/Test-audit-trail']] };

interface Fixture {
  readonly stack: Stack;
  readonly keys: KeyRing;
  readonly archive: LogArchive;
  readonly trail: AuditTrail;
  readonly template: Template;
  readonly logicalId: (construct: { node: { defaultChild?: unknown } }) => string;
}

/** A KeyRing, a LogArchive and an AuditTrail with `props` (or the props `props` makes in the stack). */
function fixture(props: Partial<AuditTrailProps> | ((stack: Stack) => Partial<AuditTrailProps>) = {}): Fixture {
  const stack = new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-east-1' } });
  const keys = new KeyRing(stack, 'Keys');
  const archive = new LogArchive(stack, 'Archive', { encryptionKey: keys.logs });
  const extra = typeof props === 'function' ? props(stack) : props;
  const trail = new AuditTrail(stack, 'Audit', { archive, encryptionKey: keys.logs, ...extra });
  return {
    stack,
    keys,
    archive,
    trail,
    template: Template.fromStack(stack),
    logicalId: (construct) => stack.getLogicalId(construct.node.defaultChild as never),
  };
}

function keyPolicy(f: Fixture): Array<Record<string, unknown>> {
  return f.template.toJSON().Resources[f.logicalId(f.keys.logs)].Properties.KeyPolicy.Statement;
}

describe('AuditTrail', () => {
  describe('trail', () => {
    // proves: secure-by-default/logging, observability
    test('logs all management events of every region, validates log files and encrypts them with the key', () => {
      const f = fixture();
      f.template.hasResource('AWS::CloudTrail::Trail', {
        Properties: {
          TrailName: 'Test-audit-trail',
          IsLogging: true,
          IsMultiRegionTrail: true,
          IncludeGlobalServiceEvents: true,
          EnableLogFileValidation: true,
          EventSelectors: [{ IncludeManagementEvents: true, ReadWriteType: 'All' }],
          KMSKeyId: { 'Fn::GetAtt': [f.logicalId(f.keys.logs), 'Arn'] },
          S3BucketName: { Ref: f.logicalId(f.archive.bucket) },
          S3KeyPrefix: 'cloudtrail',
          CloudWatchLogsLogGroupArn: { 'Fn::GetAtt': [f.stack.getLogicalId(f.trail.logGroup.node.defaultChild as logs.CfnLogGroup), 'Arn'] },
          CloudWatchLogsRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AuditLogsRole'), 'Arn'] },
          IsOrganizationTrail: Match.absent(),
        },
        // CloudTrail checks the bucket policy and the role policy when it creates the trail.
        DependsOn: Match.arrayWith([Match.stringLikeRegexp('^ArchivePolicy'), Match.stringLikeRegexp('^AuditLogsPolicy')]),
      });
      expect(f.stack.resolve(f.trail.trailArn)).toEqual(TRAIL_ARN);
      expect(f.trail.trail.node.id).toBe('Resource');
    });

    test('takes a trail name and key prefix', () => {
      const f = fixture({ trailName: 'org.audit_trail-1', s3KeyPrefix: 'logs/cloudtrail' });
      f.template.hasResourceProperties('AWS::CloudTrail::Trail', { TrailName: 'org.audit_trail-1', S3KeyPrefix: 'logs/cloudtrail' });
    });

    test('lets CloudTrail use the key for this trail only', () => {
      const statements = keyPolicy(fixture());
      expect(statements).toContainEqual({
        Sid: 'AllowCloudTrailToEncryptLogs',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:GenerateDataKey*',
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:SourceArn': TRAIL_ARN },
          StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudtrail:*:111111111111:trail/*']] } },
        },
      });
      expect(statements).toContainEqual({
        Sid: 'AllowCloudTrailToDescribeKey',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:DescribeKey',
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceArn': TRAIL_ARN } },
      });
    });

    test('lets this trail alone write to the archive, under its prefix', () => {
      const f = fixture();
      const bucketArn = { 'Fn::GetAtt': [f.logicalId(f.archive.bucket), 'Arn'] };
      f.template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: f.logicalId(f.archive.bucket) },
        PolicyDocument: {
          Statement: Match.arrayWith([
            { Sid: 'AllowCloudTrailAclCheck', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl', Resource: bucketArn, Condition: { StringEquals: { 'aws:SourceArn': TRAIL_ARN } } },
            {
              Sid: 'AllowCloudTrailWrite',
              Effect: 'Allow',
              Principal: { Service: 'cloudtrail.amazonaws.com' },
              Action: 's3:PutObject',
              Resource: { 'Fn::Join': ['', [bucketArn, '/cloudtrail/AWSLogs/111111111111/*']] },
              Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': TRAIL_ARN } },
            },
          ]),
        },
      });
    });
  });

  describe('log group', () => {
    test('is a SecureLogGroup: KMS-encrypted, kept a year by default, retained', () => {
      const f = fixture();
      f.template.resourceCountIs('AWS::Logs::LogGroup', 1);
      f.template.hasResource('AWS::Logs::LogGroup', {
        Properties: { KmsKeyId: { 'Fn::GetAtt': [f.logicalId(f.keys.logs), 'Arn'] }, RetentionInDays: 365 },
        DeletionPolicy: 'Retain',
      });
    });

    test('keeps the retention given', () => {
      fixture({ logRetention: logs.RetentionDays.FIVE_YEARS }).template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 1827 });
    });

    test('is written through a role CloudTrail assumes, limited to the trail log streams by a managed policy', () => {
      const f = fixture();
      f.template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
        Policies: Match.absent(),
      });
      f.template.resourceCountIs('AWS::IAM::Policy', 0);
      f.template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^AuditLogsRole') }],
        PolicyDocument: {
          Statement: [{
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:us-east-1:111111111111:log-group:', { Ref: f.stack.getLogicalId(f.trail.logGroup.node.defaultChild as logs.CfnLogGroup) }, ':log-stream:111111111111_CloudTrail_*']] },
          }],
        },
      });
    });
  });

  describe('CIS alarms', () => {
    // proves: defense-in-depth/monitoring, secure-by-default/monitoring
    test('creates one metric filter and one alarm per CIS recommendation, exposed by identifier', () => {
      const f = fixture();
      f.template.resourceCountIs('AWS::Logs::MetricFilter', 14);
      f.template.resourceCountIs('AWS::CloudWatch::Alarm', 14);
      expect(Object.keys(f.trail.alarms).sort()).toEqual(Object.keys(CIS_PATTERNS).sort());
    });

    const f = fixture();
    const logGroup = { Ref: f.stack.getLogicalId(f.trail.logGroup.node.defaultChild as logs.CfnLogGroup) };
    const topic = { Ref: f.stack.getLogicalId(f.trail.alarmTopic.node.defaultChild as sns.CfnTopic) };

    test.each(Object.entries(CIS_PATTERNS))('%s: filters the trail log group with the benchmark pattern', (id, pattern) => {
      f.template.hasResourceProperties('AWS::Logs::MetricFilter', {
        LogGroupName: logGroup,
        FilterPattern: pattern,
        MetricTransformations: [{ MetricName: id, MetricNamespace: 'CISBenchmark', MetricValue: '1' }],
      });
    });

    test.each(Object.keys(CIS_PATTERNS))('%s: alarms on any matching event in five minutes and notifies the topic', (id) => {
      f.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'CISBenchmark',
        MetricName: id,
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        ActionsEnabled: true,
        AlarmActions: [topic],
        AlarmDescription: Match.stringLikeRegexp('^CIS AWS Foundations 4\\.\\d+ \\(Security Hub CloudWatch\\.\\d+\\): '),
      });
    });

    test('uses the metric namespace given', () => {
      const custom = fixture({ metricNamespace: 'Mcp/Audit' });
      expect(Object.keys(custom.template.findResources('AWS::CloudWatch::Alarm', { Properties: { Namespace: 'Mcp/Audit' } }))).toHaveLength(14);
    });
  });

  describe('alarm topic', () => {
    test('is encrypted with the key, TLS-only and publishable by CloudWatch alarms of this account', () => {
      const f = fixture();
      const topicRef = { Ref: f.stack.getLogicalId(f.trail.alarmTopic.node.defaultChild as sns.CfnTopic) };
      f.template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [f.logicalId(f.keys.logs), 'Arn'] } });
      f.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [topicRef],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' }),
          ]),
        },
      });
      expect(keyPolicy(f).map((s) => s.Sid)).toContain('AllowCloudWatchAlarmsOfThisAccount');
    });

    test('is the topic given, and then none is created', () => {
      let given: sns.Topic | undefined;
      const f = fixture((stack) => {
        given = new sns.Topic(stack, 'Given', { masterKey: new kms.Key(stack, 'TopicKey', { enableKeyRotation: true }), enforceSSL: true });
        return { alarmTopic: given };
      });
      f.template.resourceCountIs('AWS::SNS::Topic', 1);
      expect(f.trail.alarmTopic).toBe(given);
      f.template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: [{ Ref: f.stack.getLogicalId(given!.node.defaultChild as sns.CfnTopic) }] });
    });
  });

  test('warns that an imported key needs the CloudTrail statements from its owner', () => {
    const stack = new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-east-1' } });
    const key = kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    const archive = new LogArchive(stack, 'Archive', { encryptionKey: new KeyRing(stack, 'Keys').logs });
    new AuditTrail(stack, 'Audit', { archive, encryptionKey: key });
    Annotations.fromStack(stack).hasWarning('/Test/Audit', Match.stringLikeRegexp('AllowCloudTrailToEncryptLogs, AllowCloudTrailToDescribeKey'));
  });

  test('acknowledges only the wildcard that stands for the regions of the trail log streams', () => {
    const f = fixture();
    const logGroup = f.stack.getLogicalId(f.trail.logGroup.node.defaultChild as logs.CfnLogGroup);
    expect(listAcknowledgements(f.trail)).toEqual([{
      path: 'Test/Audit/LogsPolicy',
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:us-east-1:111111111111:log-group:<${logGroup}>:log-stream:111111111111_CloudTrail_*]`,
      reason: expect.stringContaining('one log stream per region'),
    }]);
  });

  describe('validation', () => {
    const attempt = (props: Partial<AuditTrailProps>) => () => fixture(props);

    test.each(['ab', 'a..b', '-audit', 'audit_', 'audit trail', '192.168.0.1', 'x'.repeat(129)])('fails for the trail name %s', (trailName) => {
      expect(attempt({ trailName })).toThrow(/trailName must be 3 to 128 letters, digits, '.', '_' or '-'/);
    });

    test.each(['/cloudtrail', 'cloudtrail/', ''])('fails for the key prefix "%s"', (s3KeyPrefix) => {
      expect(attempt({ s3KeyPrefix })).toThrow(/s3KeyPrefix must be 1 to 200 characters without a leading or trailing '\/'/);
    });

    test('fails for a log retention below the floor', () => {
      expect(attempt({ logRetention: logs.RetentionDays.THREE_MONTHS })).toThrow(/retention must be at least 365 days, got 90/);
    });

    test('fails listing every problem at once', () => {
      expect(attempt({ trailName: 'a', s3KeyPrefix: '/' })).toThrow(/AuditTrail Test\/Audit:\n {2}- trailName[\s\S]*\n {2}- s3KeyPrefix/);
    });
  });

  test('declares the principles it implements', () => {
    expect(declaredPrinciples(fixture().trail)).toEqual(['secure-by-default/logging', 'secure-by-default/monitoring', 'defense-in-depth/monitoring', 'observability']);
  });

  describe('passes the gate', () => {
    test('with defaults, composed with a KeyRing and a LogArchive', () => {
      expectGateClean(fixture().stack);
    });

    test('with a custom name, prefix, retention and namespace', () => {
      expectGateClean(fixture({ trailName: 'audit', s3KeyPrefix: 'trails/audit', logRetention: logs.RetentionDays.TEN_YEARS, metricNamespace: 'Mcp/Audit' }).stack);
    });

    test('with a compliance-mode archive', () => {
      const stack = new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-east-1' } });
      const keys = new KeyRing(stack, 'Keys');
      const archive = new LogArchive(stack, 'Archive', { encryptionKey: keys.logs, objectLockMode: s3.ObjectLockMode.COMPLIANCE });
      new AuditTrail(stack, 'Audit', { archive, encryptionKey: keys.logs });
      expectGateClean(stack);
    });
  });
});
