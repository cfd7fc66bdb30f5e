import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { declaredPrinciples } from '../../lib/core';
import { KeyRing } from '../../lib/encryption';
import { listAcknowledgements } from '../../lib/gate';
import { ARCHIVE_ACCESS_LOGS_PREFIX, LogArchive, LogArchiveProps } from '../../lib/logging';
import { expectControlTowerClean } from '../support/cfn-guard';
import { expectGateClean } from '../support/gate';

interface Fixture {
  readonly stack: Stack;
  readonly keys: KeyRing;
  readonly archive: LogArchive;
  readonly template: () => Template;
  /** `{ 'Fn::GetAtt': [<bucket>, 'Arn'] }` of the archive or access-log bucket. */
  readonly arnOf: (bucket: s3.IBucket) => unknown;
}

function fixture(props: Partial<LogArchiveProps> = {}): Fixture {
  const stack = new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-east-1' } });
  const keys = new KeyRing(stack, 'Keys');
  const archive = new LogArchive(stack, 'Archive', { encryptionKey: keys.logs, ...props });
  return {
    stack,
    keys,
    archive,
    template: () => Template.fromStack(stack),
    arnOf: (bucket) => ({ 'Fn::GetAtt': [stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket), 'Arn'] }),
  };
}

function bucketProperties(f: Fixture, bucket: s3.IBucket): Record<string, unknown> {
  return f.template().toJSON().Resources[f.stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket)].Properties;
}

function policyStatements(f: Fixture, bucket: s3.IBucket): Array<Record<string, unknown>> {
  const policies = f.template().findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: f.stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket) } } });
  return Object.values(policies)[0].Properties.PolicyDocument.Statement;
}

const ARCHIVE_LIFECYCLE = {
  Id: 'ArchiveToColderStorage',
  Status: 'Enabled',
  AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
  Transitions: [{ StorageClass: 'GLACIER', TransitionInDays: 90 }, { StorageClass: 'DEEP_ARCHIVE', TransitionInDays: 365 }],
  NoncurrentVersionTransitions: [{ StorageClass: 'GLACIER', TransitionInDays: 90 }, { StorageClass: 'DEEP_ARCHIVE', TransitionInDays: 365 }],
};

describe('LogArchive', () => {
  describe('archive bucket', () => {
    test('is encrypted with the given key, versioned, private and owned by the bucket owner', () => {
      const f = fixture();
      expect(bucketProperties(f, f.archive.bucket)).toMatchObject({
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [f.stack.getLogicalId(f.keys.logs.node.defaultChild as kms.CfnKey), 'Arn'] } } }] },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      });
      expect(f.archive.bucket.node.id).toBe('Resource');
    });

    // proves: defense-in-depth/data
    test('locks new objects in governance mode for 365 days by default', () => {
      const f = fixture();
      expect(bucketProperties(f, f.archive.bucket)).toMatchObject({
        ObjectLockEnabled: true,
        ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 365 } } },
      });
    });

    test('locks in compliance mode for the retention given', () => {
      const f = fixture({ objectLockMode: s3.ObjectLockMode.COMPLIANCE, objectLockRetention: Duration.days(2555) });
      expect(bucketProperties(f, f.archive.bucket)).toMatchObject({
        ObjectLockConfiguration: { Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2555 } } },
      });
    });

    test('logs its server access to the access-log bucket', () => {
      const f = fixture();
      expect(bucketProperties(f, f.archive.bucket).LoggingConfiguration).toEqual({
        DestinationBucketName: { Ref: f.stack.getLogicalId(f.archive.accessLogsBucket.node.defaultChild as s3.CfnBucket) },
        LogFilePrefix: ARCHIVE_ACCESS_LOGS_PREFIX,
      });
    });

    // proves: secure-by-default/encryption, defense-in-depth/data
    test('refuses plain HTTP, TLS before 1.2 and object deletion to everyone', () => {
      const f = fixture();
      const bucketAndObjects = [f.arnOf(f.archive.bucket), { 'Fn::Join': ['', [f.arnOf(f.archive.bucket), '/*']] }];
      expect(policyStatements(f, f.archive.bucket)).toEqual([
        { Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Resource: bucketAndObjects, Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
        { Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Resource: bucketAndObjects, Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } },
        { Sid: 'DenyObjectDeletion', Effect: 'Deny', Principal: { AWS: '*' }, Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'], Resource: bucketAndObjects[1] },
      ]);
    });

    test('moves current and noncurrent versions to Glacier then Deep Archive, and never expires them by default', () => {
      const f = fixture();
      const rules = (bucketProperties(f, f.archive.bucket).LifecycleConfiguration as { Rules: unknown[] }).Rules;
      expect(rules).toEqual([ARCHIVE_LIFECYCLE]);
    });

    test('expires current and noncurrent versions when asked to', () => {
      const f = fixture({
        transitionToGlacierAfter: Duration.days(30),
        transitionToDeepArchiveAfter: Duration.days(180),
        expireAfter: Duration.days(2555),
      });
      expect(bucketProperties(f, f.archive.bucket).LifecycleConfiguration).toEqual({
        Rules: [{
          ...ARCHIVE_LIFECYCLE,
          Transitions: [{ StorageClass: 'GLACIER', TransitionInDays: 30 }, { StorageClass: 'DEEP_ARCHIVE', TransitionInDays: 180 }],
          NoncurrentVersionTransitions: [{ StorageClass: 'GLACIER', TransitionInDays: 30 }, { StorageClass: 'DEEP_ARCHIVE', TransitionInDays: 180 }],
          ExpirationInDays: 2555,
          NoncurrentVersionExpiration: { NoncurrentDays: 2555 },
        }],
      });
    });
  });

  describe('access-log bucket', () => {
    test('uses SSE-S3, the only encryption server access logs and load balancer logs accept, and no Object Lock', () => {
      const f = fixture();
      const properties = bucketProperties(f, f.archive.accessLogsBucket);
      expect(properties).toMatchObject({
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LifecycleConfiguration: { Rules: [ARCHIVE_LIFECYCLE] },
      });
      expect(properties.ObjectLockEnabled).toBeUndefined();
      expect(properties.AccessControl).toBeUndefined();
    });

    test('takes server access logs of the archive bucket only, through a bucket policy, over TLS 1.2+, and refuses deletion', () => {
      const f = fixture();
      const logs = f.arnOf(f.archive.accessLogsBucket);
      const bucketAndObjects = [logs, { 'Fn::Join': ['', [logs, '/*']] }];
      expect(policyStatements(f, f.archive.accessLogsBucket)).toEqual([
        { Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Resource: bucketAndObjects, Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
        { Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Resource: bucketAndObjects, Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } },
        {
          Effect: 'Allow',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: { 'Fn::Join': ['', [logs, `/${ARCHIVE_ACCESS_LOGS_PREFIX}*`]] },
          Condition: { ArnLike: { 'aws:SourceArn': f.arnOf(f.archive.bucket) }, StringEquals: { 'aws:SourceAccount': '111111111111' } },
        },
        { Sid: 'DenyObjectDeletion', Effect: 'Deny', Principal: { AWS: '*' }, Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'], Resource: bucketAndObjects[1] },
      ]);
    });

    test('uses the bucket policy even where the app asks for the legacy log-delivery ACL', () => {
      const stack = new Stack(new App({ context: { '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': false } }), 'Test');
      const archive = new LogArchive(stack, 'Archive', { encryptionKey: new KeyRing(stack, 'Keys').logs });
      const logicalId = stack.getLogicalId(archive.accessLogsBucket.node.defaultChild as s3.CfnBucket);
      const properties = Template.fromStack(stack).toJSON().Resources[logicalId].Properties;
      expect(properties.AccessControl).toBeUndefined();
      expect(properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    });

    test('is accepted as the access-log target of an Application Load Balancer', () => {
      // GIVEN
      const f = fixture();
      const vpc = new ec2.Vpc(f.stack, 'Vpc', { availabilityZones: ['us-east-1a', 'us-east-1b'], natGateways: 0 });
      const alb = new elbv2.ApplicationLoadBalancer(f.stack, 'Alb', { vpc });
      // WHEN
      alb.logAccessLogs(f.archive.accessLogsBucket, 'alb');
      // THEN
      f.template().hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        LoadBalancerAttributes: Match.arrayWith([{ Key: 'access_logs.s3.bucket', Value: { Ref: f.stack.getLogicalId(f.archive.accessLogsBucket.node.defaultChild as s3.CfnBucket) } }]),
      });
      expect(policyStatements(f, f.archive.accessLogsBucket)).toContainEqual(expect.objectContaining({
        Action: 's3:PutObject',
        Resource: { 'Fn::Join': ['', [f.arnOf(f.archive.accessLogsBucket), '/alb/AWSLogs/111111111111/*']] },
      }));
    });
  });

  test('retains both buckets on stack deletion and replacement', () => {
    const buckets = fixture().template().findResources('AWS::S3::Bucket');
    expect(Object.values(buckets).map((b) => [b.DeletionPolicy, b.UpdateReplacePolicy])).toEqual([['Retain', 'Retain'], ['Retain', 'Retain']]);
  });

  test('allowCloudTrail lets that trail alone check the ACL and write under its prefix', () => {
    // GIVEN
    const f = fixture();
    const trailArn = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/audit';
    // WHEN
    f.archive.allowCloudTrail(trailArn, 'cloudtrail');
    // THEN
    const statements = policyStatements(f, f.archive.bucket);
    expect(statements).toContainEqual({
      Sid: 'AllowCloudTrailAclCheck',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:GetBucketAcl',
      Resource: f.arnOf(f.archive.bucket),
      Condition: { StringEquals: { 'aws:SourceArn': trailArn } },
    });
    expect(statements).toContainEqual({
      Sid: 'AllowCloudTrailWrite',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: { 'Fn::Join': ['', [f.arnOf(f.archive.bucket), '/cloudtrail/AWSLogs/111111111111/*']] },
      Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': trailArn } },
    });
  });

  test('grantRead and grantPut give S3 and KMS access to the archive only', () => {
    // GIVEN
    const f = fixture();
    const reader = new iam.Role(f.stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    const writer = new iam.Role(f.stack, 'Writer', { assumedBy: new iam.AccountRootPrincipal() });
    // WHEN
    f.archive.grantRead(reader);
    f.archive.grantPut(writer);
    // THEN
    const key = { 'Fn::GetAtt': [f.stack.getLogicalId(f.keys.logs.node.defaultChild as kms.CfnKey), 'Arn'] };
    const objects = { 'Fn::Join': ['', [f.arnOf(f.archive.bucket), '/*']] };
    f.template().hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: f.stack.getLogicalId(reader.node.defaultChild as iam.CfnRole) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: Match.arrayWith(['s3:GetObject*']), Resource: [f.arnOf(f.archive.bucket), objects] }),
          Match.objectLike({ Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: key }),
        ]),
      },
    });
    f.template().hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: f.stack.getLogicalId(writer.node.defaultChild as iam.CfnRole) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: Match.arrayWith(['s3:PutObject']), Resource: objects }),
          Match.objectLike({ Action: Match.arrayWith(['kms:GenerateDataKey*']), Resource: key }),
        ]),
      },
    });
  });

  test('acknowledges only the findings the access-log deliveries and the single-region design impose', () => {
    const f = fixture();
    const acknowledged = listAcknowledgements(f.stack).map(({ id, path }) => `${path} ${id}`).sort();
    expect(acknowledged).toEqual([
      'Test/Archive/AccessLogs HIPAA.Security::HIPAA.Security-S3BucketReplicationEnabled',
      'Test/Archive/AccessLogs HIPAA.Security::HIPAA.Security-S3DefaultEncryptionKMS',
      'Test/Archive/AccessLogs NIST.800.53.R5::NIST.800.53.R5-S3BucketReplicationEnabled',
      'Test/Archive/AccessLogs NIST.800.53.R5::NIST.800.53.R5-S3DefaultEncryptionKMS',
      'Test/Archive/AccessLogs PCI.DSS.321::PCI.DSS.321-S3BucketReplicationEnabled',
      'Test/Archive/AccessLogs PCI.DSS.321::PCI.DSS.321-S3DefaultEncryptionKMS',
      'Test/Archive/AccessLogs cdk-validator-cfnguard::s3_bucket_default_encryption_kms_check',
      'Test/Archive/AccessLogs cdk-validator-cfnguard::s3_bucket_logging_enabled_check',
      'Test/Archive/AccessLogs cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check',
      'Test/Archive/Resource HIPAA.Security::HIPAA.Security-S3BucketReplicationEnabled',
      'Test/Archive/Resource NIST.800.53.R5::NIST.800.53.R5-S3BucketReplicationEnabled',
      'Test/Archive/Resource PCI.DSS.321::PCI.DSS.321-S3BucketReplicationEnabled',
    ]);
  });

  describe('validation', () => {
    const attempt = (props: Partial<LogArchiveProps>) => () => fixture(props);

    test('fails for an Object Lock retention of 0 days', () => {
      expect(attempt({ objectLockRetention: Duration.days(0) })).toThrow(/objectLockRetention must be at least 1 day, got 0 days/);
    });

    test('fails for a retention that is not a whole number of days', () => {
      expect(attempt({ objectLockRetention: Duration.hours(36) })).toThrow(/objectLockRetention must be a whole number of days, got 1 day 12 hours/);
    });

    test('fails when Deep Archive does not come after Glacier', () => {
      expect(attempt({ transitionToGlacierAfter: Duration.days(200), transitionToDeepArchiveAfter: Duration.days(200) })).toThrow(
        /transitionToDeepArchiveAfter must be later than transitionToGlacierAfter \(200 days\), got 200 days/,
      );
    });

    test('fails for an expiry below the log retention floor or the Object Lock retention', () => {
      expect(attempt({ expireAfter: Duration.days(300), transitionToDeepArchiveAfter: Duration.days(200) })).toThrow(/expireAfter must be at least 365 days/);
      expect(attempt({ expireAfter: Duration.days(400), objectLockRetention: Duration.days(730) })).toThrow(/expireAfter must be at least 730 days/);
    });

    test('fails listing every problem at once', () => {
      expect(attempt({ objectLockRetention: Duration.days(0), transitionToGlacierAfter: Duration.days(0), expireAfter: Duration.days(100) })).toThrow(
        /LogArchive Test\/Archive:\n {2}- objectLockRetention[\s\S]*\n {2}- transitionToGlacierAfter[\s\S]*\n {2}- expireAfter must be at least 365[\s\S]*\n {2}- expireAfter must be later/,
      );
    });
  });

  test('declares the principles it implements', () => {
    expect(declaredPrinciples(fixture().archive)).toEqual(['secure-by-default/logging', 'secure-by-default/encryption', 'defense-in-depth/data', 'observability']);
  });

  describe('passes the gate', () => {
    test('with defaults', () => {
      expectGateClean(fixture().stack);
    });

    test('in compliance mode with expiry', () => {
      const f = fixture({ objectLockMode: s3.ObjectLockMode.COMPLIANCE, objectLockRetention: Duration.days(2555), expireAfter: Duration.days(3650) });
      expectGateClean(f.stack);
    });

    test('with a CloudTrail delivery', () => {
      const f = fixture();
      f.archive.allowCloudTrail('arn:aws:cloudtrail:us-east-1:111111111111:trail/audit');
      expectGateClean(f.stack);
    });
  });

  test('passes the Control Tower proactive controls', () => {
    const f = fixture();
    f.archive.allowCloudTrail('arn:aws:cloudtrail:us-east-1:111111111111:trail/audit');
    expectControlTowerClean(f.stack);
  });
});
