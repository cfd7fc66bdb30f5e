import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AlarmTopic } from './alarm-topic';
import { CisCloudTrailAlarmId } from './cis-cloudtrail-alarms';
import { LogArchive } from './log-archive';
import { SecureLogGroup } from './secure-log-group';
import { declarePrinciples } from '../core/controls';
import { addKeyPolicyStatements, cloudTrailKeyStatements } from '../encryption/key-policy-statements';
import { acknowledge } from '../gate/acknowledge';
import { createCisAlarms } from './private/cis-alarm-factory';
import { flatten } from '../gate/rules/private/template';

/** Properties of an AuditTrail. */
export interface AuditTrailProps {
  /** Where the trail delivers its log and digest files. */
  readonly archive: LogArchive;
  /**
   * Symmetric KMS key for the trail's files, its log group and the default alarm topic
   * (e.g. `KeyRing.logs`); CloudTrail is allowed to use it for this trail only.
   */
  readonly encryptionKey: kms.IKey;
  /**
   * Trail name: 3 to 128 letters, digits, '.', '_' or '-', starting and ending with a letter
   * or digit, no two separators in a row. It must be known at synth time, because the key and
   * bucket policies name the trail (`aws:SourceArn`).
   * @default - '<stack name>-audit-trail'
   */
  readonly trailName?: string;
  /**
   * Key prefix of the trail's files in the archive bucket, without leading or trailing '/'.
   * @default 'cloudtrail'
   */
  readonly s3KeyPrefix?: string;
  /**
   * Retention of the trail's CloudWatch Logs log group; at least 365 days.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Topic the CIS alarms notify. Its key and access policy must let CloudWatch alarms publish.
   * @default - an `AlarmTopic` encrypted with `encryptionKey`
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * CloudWatch namespace of the CIS metrics.
   * @default 'CISBenchmark'
   */
  readonly metricNamespace?: string;
}

/**
 * The account's audit trail: a multi-region CloudTrail trail of all management events (read
 * and write, global services included) with log file validation, encrypted with a customer
 * managed key, delivered to the `LogArchive` and to a `SecureLogGroup`, where the CIS AWS
 * Foundations Benchmark metric filters feed alarms that notify an encrypted, TLS-only topic.
 * Compose it once per account, in the baseline stack.
 */
export class AuditTrail extends Construct {
  /** The trail. */
  public readonly trail: cloudtrail.CfnTrail;
  /** ARN of the trail, known at synth time. */
  public readonly trailArn: string;
  /** The log group that receives the trail's events. */
  public readonly logGroup: logs.ILogGroup;
  /** The topic the CIS alarms notify. */
  public readonly alarmTopic: sns.ITopic;
  /** The CIS alarms, by identifier. */
  public readonly alarms: Readonly<Record<CisCloudTrailAlarmId, cloudwatch.Alarm>>;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const trailName = props.trailName ?? `${stack.stackName}-audit-trail`;
    const s3KeyPrefix = props.s3KeyPrefix ?? 'cloudtrail';
    const metricNamespace = props.metricNamespace ?? 'CISBenchmark';
    this.validate(trailName, s3KeyPrefix);

    this.trailArn = stack.formatArn({ service: 'cloudtrail', resource: 'trail', resourceName: trailName });
    addKeyPolicyStatements(this, props.encryptionKey, ...cloudTrailKeyStatements(props.encryptionKey, this.trailArn));
    props.archive.allowCloudTrail(this.trailArn, s3KeyPrefix);

    const logGroup = new SecureLogGroup(this, 'LogGroup', { encryptionKey: props.encryptionKey, retention: props.logRetention }).logGroup;
    this.logGroup = logGroup;
    const { role: logsRole, policy: logsPolicy } = this.createLogsRole(logGroup);

    this.trail = new cloudtrail.CfnTrail(this, 'Resource', {
      trailName,
      isLogging: true,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      eventSelectors: [{ includeManagementEvents: true, readWriteType: 'All' }],
      kmsKeyId: props.encryptionKey.keyArn,
      s3BucketName: props.archive.bucket.bucketName,
      s3KeyPrefix,
      cloudWatchLogsLogGroupArn: logGroup.logGroupArn,
      cloudWatchLogsRoleArn: logsRole.roleArn,
    });
    // CloudTrail checks the bucket policy and the role when the trail is created.
    if (props.archive.bucket.policy) {
      this.trail.node.addDependency(props.archive.bucket.policy);
    }
    this.trail.node.addDependency(logsPolicy);

    this.alarmTopic = props.alarmTopic ?? new AlarmTopic(this, 'AlarmTopic', { encryptionKey: props.encryptionKey }).topic;
    this.alarms = createCisAlarms(this, logGroup, metricNamespace, this.alarmTopic);

    declarePrinciples(this, 'secure-by-default/logging', 'secure-by-default/monitoring', 'defense-in-depth/monitoring', 'observability');
  }

  /** The role CloudTrail assumes to write to the log group, limited to its own log streams. */
  private createLogsRole(logGroup: logs.ILogGroup): { role: iam.Role; policy: iam.ManagedPolicy } {
    const stack = Stack.of(this);
    // CloudTrail names its streams '<account>_CloudTrail_<region>', one per region of the trail.
    const streams = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: `${logGroup.logGroupName}:log-stream:${stack.account}_CloudTrail_*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const role = new iam.Role(this, 'LogsRole', {
      assumedBy: new iam.ServicePrincipal('cloudtrail.amazonaws.com'),
      description: 'Lets CloudTrail write the audit trail to its CloudWatch Logs log group',
    });
    // A customer managed policy rather than an inline one: it is versioned and reviewable on its own.
    const policy = new iam.ManagedPolicy(this, 'LogsPolicy', {
      description: 'Create and write the log streams of the audit trail, and nothing else',
      statements: [new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [streams] })],
      roles: [role],
    });
    acknowledge(policy, {
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::${flatten(stack.resolve(streams))}]`,
      reason: 'CloudTrail creates one log stream per region of the multi-region trail, named <account>_CloudTrail_<region>; '
        + 'the wildcard stands for the region suffix, in this log group only, as in the CloudTrail role policy AWS documents.',
    });
    return { role, policy };
  }

  private validate(trailName: string, s3KeyPrefix: string): void {
    const problems: string[] = [];
    if (!Token.isUnresolved(trailName) && !isValidTrailName(trailName)) {
      problems.push(`trailName must be 3 to 128 letters, digits, '.', '_' or '-', start and end with a letter or digit and have no two separators in a row, got '${trailName}'`);
    }
    if (!Token.isUnresolved(s3KeyPrefix) && (s3KeyPrefix.length === 0 || s3KeyPrefix.length > 200 || /^\/|\/$/.test(s3KeyPrefix))) {
      problems.push(`s3KeyPrefix must be 1 to 200 characters without a leading or trailing '/', got '${s3KeyPrefix}'`);
    }
    if (problems.length > 0) {
      throw new Error(`AuditTrail ${this.node.path}:\n  - ${problems.join('\n  - ')}`);
    }
  }
}

function isValidTrailName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$/.test(name)
    && !/[._-]{2}/.test(name)
    && !/^\d{1,3}(\.\d{1,3}){3}$/.test(name);
}
