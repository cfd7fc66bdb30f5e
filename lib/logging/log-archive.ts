import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { declarePrinciples } from '../core/controls';
import {
  acknowledgeAccessLogsSink,
  acknowledgeSingleRegionCopy,
  acknowledgeSseS3AccessLogsBucket,
  archiveLifecycleRule,
  denyObjectDeletion,
  validateLogArchiveProps,
} from './private/log-archive-settings';

/** Properties of a LogArchive. */
export interface LogArchiveProps {
  /** KMS key that encrypts the archive objects by default (e.g. `KeyRing.logs`). */
  readonly encryptionKey: kms.IKey;
  /**
   * Object Lock mode of the default retention. GOVERNANCE lets principals holding
   * `s3:BypassGovernanceRetention` shorten it; COMPLIANCE lets nobody, not even the root user.
   * @default s3.ObjectLockMode.GOVERNANCE
   */
  readonly objectLockMode?: s3.ObjectLockMode;
  /**
   * How long every new object version is locked against deletion and overwrite; whole days, at least one.
   * @default Duration.days(365)
   */
  readonly objectLockRetention?: Duration;
  /**
   * Age at which objects move to S3 Glacier Flexible Retrieval.
   * @default Duration.days(90)
   */
  readonly transitionToGlacierAfter?: Duration;
  /**
   * Age at which objects move to S3 Glacier Deep Archive; later than the Glacier transition.
   * @default Duration.days(365)
   */
  readonly transitionToDeepArchiveAfter?: Duration;
  /**
   * Age at which objects expire: at least 365 days, the Object Lock retention and later than
   * the Deep Archive transition.
   * @default - objects never expire
   */
  readonly expireAfter?: Duration;
}

/** Prefix of the archive bucket's own server access logs in the access-log bucket. */
export const ARCHIVE_ACCESS_LOGS_PREFIX = 'log-archive/';

/**
 * The account's log archive: a bucket for audit logs (CloudTrail and any other writer) that is
 * KMS-encrypted, versioned, Object Locked, reachable only over TLS 1.2 or later, private, never
 * deleted and moved to colder storage as it ages; and a separate bucket for access logs (the
 * archive's own S3 server access logs, load balancer access logs) hardened the same way except
 * where those log deliveries leave no choice: SSE-S3 encryption and no Object Lock.
 *
 * Nobody may delete objects from either bucket: only the lifecycle rules expire them.
 * Compose it once per account, in the baseline stack.
 */
export class LogArchive extends Construct {
  /** The archive bucket (SSE-KMS, Object Lock). */
  public readonly bucket: s3.Bucket;
  /**
   * The access-log bucket (SSE-S3). S3 server access logging and Elastic Load Balancing
   * access logs support only SSE-S3 destinations; pass it to `ApplicationLoadBalancer.logAccessLogs`.
   */
  public readonly accessLogsBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: LogArchiveProps) {
    super(scope, id);
    const objectLockMode = props.objectLockMode ?? s3.ObjectLockMode.GOVERNANCE;
    const objectLockRetention = props.objectLockRetention ?? Duration.days(365);
    const transitionToGlacierAfter = props.transitionToGlacierAfter ?? Duration.days(90);
    const transitionToDeepArchiveAfter = props.transitionToDeepArchiveAfter ?? Duration.days(365);
    const { expireAfter } = props;
    validateLogArchiveProps(this, { objectLockRetention, transitionToGlacierAfter, transitionToDeepArchiveAfter, expireAfter });

    // Server access logs are delivered under a bucket policy scoped to the source bucket, never
    // through the legacy log-delivery ACL, whatever feature flags the app sets.
    this.node.setContext(cxapi.S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);

    const lifecycleRules = [archiveLifecycleRule({ transitionToGlacierAfter, transitionToDeepArchiveAfter, expireAfter })];
    const hardened = {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      lifecycleRules,
      removalPolicy: RemovalPolicy.RETAIN,
    };

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', { ...hardened, encryption: s3.BucketEncryption.S3_MANAGED });
    acknowledgeSseS3AccessLogsBucket(this.accessLogsBucket);
    acknowledgeAccessLogsSink(this.accessLogsBucket);

    this.bucket = new s3.Bucket(this, 'Resource', {
      ...hardened,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      objectLockEnabled: true,
      objectLockDefaultRetention: objectLockMode === s3.ObjectLockMode.COMPLIANCE
        ? s3.ObjectLockRetention.compliance(objectLockRetention)
        : s3.ObjectLockRetention.governance(objectLockRetention),
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: ARCHIVE_ACCESS_LOGS_PREFIX,
    });

    denyObjectDeletion(this.bucket);
    denyObjectDeletion(this.accessLogsBucket);
    acknowledgeSingleRegionCopy(this.bucket);
    acknowledgeSingleRegionCopy(this.accessLogsBucket);

    declarePrinciples(this, 'secure-by-default/logging', 'secure-by-default/encryption', 'defense-in-depth/data', 'observability');
  }

  /**
   * Lets CloudTrail deliver the files of the trail `trailArn` (and only that trail:
   * `aws:SourceArn`) under `<keyPrefix>/AWSLogs/<account>/`.
   */
  public allowCloudTrail(trailArn: string, keyPrefix?: string): void {
    const cloudTrail = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
    const account = Stack.of(this).account;
    this.bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudTrailAclCheck',
      principals: [cloudTrail],
      actions: ['s3:GetBucketAcl'],
      resources: [this.bucket.bucketArn],
      conditions: { StringEquals: { 'aws:SourceArn': trailArn } },
    }));
    this.bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudTrailWrite',
      principals: [cloudTrail],
      actions: ['s3:PutObject'],
      resources: [this.bucket.arnForObjects(`${keyPrefix ? `${keyPrefix}/` : ''}AWSLogs/${account}/*`)],
      conditions: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': trailArn } },
    }));
  }

  /** Lets `grantee` read archive objects (and decrypt them with the archive key). */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return this.bucket.grantRead(grantee);
  }

  /** Lets `grantee` add objects to the archive (and encrypt them with the archive key). */
  public grantPut(grantee: iam.IGrantable): iam.Grant {
    return this.bucket.grantPut(grantee);
  }
}
