import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { KeyRing } from '../../lib/encryption';
import { AuditTrail, LogArchive } from '../../lib/logging';
import { SecurityMonitoring } from '../../lib/monitoring';

/** Properties of the AccountBaselineStack. */
export interface AccountBaselineStackProps extends StackProps {
  /**
   * Retention of the trail's log group.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Object Lock mode of the log archive.
   * @default s3.ObjectLockMode.GOVERNANCE
   */
  readonly archiveObjectLockMode?: s3.ObjectLockMode;
  /**
   * How long archived log objects are locked.
   * @default Duration.days(365)
   */
  readonly archiveObjectLockRetention?: Duration;
  /**
   * An existing GuardDuty detector of this account and region (e.g. managed by the organization).
   * @default - a detector is created
   */
  readonly existingGuardDutyDetectorId?: string;
  /**
   * Enable Security Hub and its standards here.
   * @default true
   */
  readonly enableSecurityHub?: boolean;
}

/**
 * What an account and region need once, whatever patterns run there: the log archive, the
 * multi-region CloudTrail trail with the CIS alarms, GuardDuty and Security Hub with their
 * findings routed to an encrypted topic. Patterns reference it instead of creating
 * account-level singletons of their own (two patterns in one account would collide or pay twice).
 */
export class AccountBaselineStack extends Stack {
  /** Keys of the baseline (logs key encrypts archive objects, trail, topics). */
  public readonly keys: KeyRing;
  /** The log archive: Object Lock, KMS, TLS-only; and its SSE-S3 access-log bucket. */
  public readonly archive: LogArchive;
  /** CloudTrail with the CIS metric filters and alarms. */
  public readonly trail: AuditTrail;
  /** GuardDuty, Security Hub and the findings topic. */
  public readonly monitoring: SecurityMonitoring;

  constructor(scope: Construct, id: string, props: AccountBaselineStackProps = {}) {
    super(scope, id, props);
    this.keys = new KeyRing(this, 'Keys');
    this.archive = new LogArchive(this, 'LogArchive', {
      encryptionKey: this.keys.logs,
      objectLockMode: props.archiveObjectLockMode,
      objectLockRetention: props.archiveObjectLockRetention,
    });
    this.trail = new AuditTrail(this, 'AuditTrail', {
      archive: this.archive,
      encryptionKey: this.keys.logs,
      logRetention: props.logRetention,
    });
    this.monitoring = new SecurityMonitoring(this, 'SecurityMonitoring', {
      encryptionKey: this.keys.logs,
      existingDetectorId: props.existingGuardDutyDetectorId,
      enableSecurityHub: props.enableSecurityHub,
    });
  }

  /** Where load balancers of this account write access logs (SSE-S3, as ELB requires). */
  public get accessLogsBucket(): s3.IBucket {
    return this.archive.accessLogsBucket;
  }

  /** Where security findings and incident-response notifications go. */
  public get findingsTopic(): sns.ITopic {
    return this.monitoring.findingsTopic;
  }
}
