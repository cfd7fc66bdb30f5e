import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { acknowledge } from '../../gate/acknowledge';
import { MIN_LOG_RETENTION_DAYS } from '../secure-log-group';

/** The durations of a LogArchive, defaults applied. */
export interface ArchiveDurations {
  readonly objectLockRetention: Duration;
  readonly transitionToGlacierAfter: Duration;
  readonly transitionToDeepArchiveAfter: Duration;
  readonly expireAfter?: Duration;
}

/** Throws once, listing every problem, if the durations cannot make a sound archive. */
export function validateLogArchiveProps(scope: IConstruct, durations: ArchiveDurations): void {
  const problems: string[] = [];
  const days = (name: keyof ArchiveDurations): number | undefined => {
    const duration = durations[name];
    if (duration === undefined || duration.isUnresolved()) {
      return undefined;
    }
    const value = duration.toDays({ integral: false });
    if (!Number.isInteger(value)) {
      problems.push(`${name} must be a whole number of days, got ${duration.toHumanString()}`);
    }
    return value;
  };
  const lock = days('objectLockRetention');
  const glacier = days('transitionToGlacierAfter');
  const deepArchive = days('transitionToDeepArchiveAfter');
  const expiry = days('expireAfter');

  if (lock !== undefined && lock < 1) {
    problems.push(`objectLockRetention must be at least 1 day, got ${lock} days`);
  }
  if (glacier !== undefined && glacier < 1) {
    problems.push(`transitionToGlacierAfter must be at least 1 day, got ${glacier} days`);
  }
  if (glacier !== undefined && deepArchive !== undefined && deepArchive <= glacier) {
    problems.push(`transitionToDeepArchiveAfter must be later than transitionToGlacierAfter (${glacier} days), got ${deepArchive} days`);
  }
  if (expiry !== undefined) {
    const floor = Math.max(MIN_LOG_RETENTION_DAYS, lock ?? 0);
    if (expiry < floor) {
      problems.push(`expireAfter must be at least ${floor} days (the kit's log retention floor and the Object Lock retention), got ${expiry} days`);
    }
    if (deepArchive !== undefined && expiry <= deepArchive) {
      problems.push(`expireAfter must be later than transitionToDeepArchiveAfter (${deepArchive} days), got ${expiry} days`);
    }
  }
  if (problems.length > 0) {
    throw new Error(`LogArchive ${scope.node.path}:\n  - ${problems.join('\n  - ')}`);
  }
}

/** Current and noncurrent versions go to Glacier, then Deep Archive, then (optionally) expire. */
export function archiveLifecycleRule(durations: Omit<ArchiveDurations, 'objectLockRetention'>): s3.LifecycleRule {
  return {
    id: 'ArchiveToColderStorage',
    abortIncompleteMultipartUploadAfter: Duration.days(7),
    transitions: [
      { storageClass: s3.StorageClass.GLACIER, transitionAfter: durations.transitionToGlacierAfter },
      { storageClass: s3.StorageClass.DEEP_ARCHIVE, transitionAfter: durations.transitionToDeepArchiveAfter },
    ],
    noncurrentVersionTransitions: [
      { storageClass: s3.StorageClass.GLACIER, transitionAfter: durations.transitionToGlacierAfter },
      { storageClass: s3.StorageClass.DEEP_ARCHIVE, transitionAfter: durations.transitionToDeepArchiveAfter },
    ],
    expiration: durations.expireAfter,
    noncurrentVersionExpiration: durations.expireAfter,
  };
}

/**
 * Denies deleting objects and object versions to everyone. Lifecycle expiration is not subject
 * to bucket policies, so logs still age out as configured; anyone who wants to delete a log by
 * hand must first change the bucket policy, which the CIS bucket-policy alarm reports.
 */
export function denyObjectDeletion(bucket: s3.IBucket): void {
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'DenyObjectDeletion',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
    resources: [bucket.arnForObjects('*')],
  }));
}

const PACKS_WITH_S3_RULES = ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'] as const;

/**
 * Cross-region replication findings, acknowledged on one bucket of the archive. The archive
 * holds a single copy by design: it is one account's stack in one region, and the second copy
 * of audit logs belongs in a separate account that this account's administrators cannot touch.
 */
export function acknowledgeSingleRegionCopy(bucket: s3.IBucket): void {
  acknowledge(bucket, ...PACKS_WITH_S3_RULES.map((pack) => ({
    id: `${pack}::${pack}-S3BucketReplicationEnabled`,
    reason: 'Single-region archive by design: objects are versioned and protected against deletion (bucket policy, '
      + 'Object Lock on the archive bucket) and S3 stores them across at least three Availability Zones. A second copy '
      + 'of audit logs belongs in a separate log-archive account (an organization trail or replication configured there), '
      + 'which this account-level stack cannot and should not create.',
  })));
}

/**
 * SSE-KMS findings, acknowledged on the access-log bucket only: S3 server access logging and
 * Elastic Load Balancing access logs deliver only to buckets whose default encryption is SSE-S3.
 */
export function acknowledgeSseS3AccessLogsBucket(bucket: s3.IBucket): void {
  const reason = 'S3 server access logging and Elastic Load Balancing access logs can only be delivered to a bucket whose '
    + 'default encryption is SSE-S3 (AES-256); SSE-KMS is not supported for these destinations. The bucket is encrypted '
    + 'at rest with SSE-S3, TLS-only, private, versioned and protected against deletion; every other log uses SSE-KMS.';
  acknowledge(bucket,
    ...PACKS_WITH_S3_RULES.map((pack) => ({ id: `${pack}::${pack}-S3DefaultEncryptionKMS`, reason })),
    { id: 'cdk-validator-cfnguard::s3_bucket_default_encryption_kms_check', reason });
}

/**
 * Control Tower findings that a log sink cannot meet, acknowledged on the access-log bucket:
 * it is where server access logs end, and log deliveries refuse a default Object Lock retention.
 */
export function acknowledgeAccessLogsSink(bucket: s3.IBucket): void {
  acknowledge(bucket,
    {
      id: 'cdk-validator-cfnguard::s3_bucket_logging_enabled_check',
      reason: 'This bucket is the destination of the kit\'s server access logs: logging it to itself would log its own log '
        + 'deliveries without end, and another bucket would need a sink of its own. Reads and policy changes of it are in '
        + 'CloudTrail, and the CIS bucket-policy alarm reports changes to its policy.',
    },
    {
      id: 'cdk-validator-cfnguard::s3_bucket_object_lock_enabled_check',
      reason: 'S3 server access logging does not deliver to a bucket with an Object Lock default retention, and Object Lock '
        + 'without one protects nothing. Instead the bucket is versioned and its policy denies DeleteObject and '
        + 'DeleteObjectVersion to every principal; only the lifecycle rules expire its objects.',
    });
}
