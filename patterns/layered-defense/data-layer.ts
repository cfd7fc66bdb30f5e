import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { declarePrinciples } from '../../lib/core/controls';
import { KeyRing } from '../../lib/encryption';
import { LogArchive, SecureLogGroup } from '../../lib/logging';

/** Properties of the DataLayer. */
export interface DataLayerProps {
  /** The pattern's keys. */
  readonly keys: KeyRing;
  /** The account's log archive (from the baseline). */
  readonly archive: LogArchive;
  /** The gateway's audit log group. */
  readonly auditLog: SecureLogGroup;
}

/**
 * Layer 5 of the seed's layered defense: what is kept, and who can read it. Every log group,
 * topic, queue, secret and Lambda environment of the pattern is encrypted with a customer
 * managed KMS key that rotates yearly (logs, data and secrets keys), and key administrators are
 * denied every cryptographic use of them; the gateway signs upstream tokens with a non-exportable
 * KMS key; audit payloads are envelope-encrypted under the data key with the gateway's
 * encryption context before they reach the audit log group, kept at least a year; and the
 * account's log archive holds CloudTrail and access logs under S3 Object Lock.
 *
 * It owns no resource: the keys belong to the platform and the archive to the account
 * baseline; both are named here.
 */
export class DataLayer extends Construct {
  /** Keys of the pattern: `logs`, `data`, `secrets` (symmetric, rotating) and `signing` (ECC). */
  public readonly keys: KeyRing;
  /** The Object Lock log archive bucket of the account. */
  public readonly logArchive: s3.IBucket;
  /** The gateway's audit records, with KMS-encrypted payloads. */
  public readonly auditLog: SecureLogGroup;

  constructor(scope: Construct, id: string, props: DataLayerProps) {
    super(scope, id);
    this.keys = props.keys;
    this.logArchive = props.archive.bucket;
    this.auditLog = props.auditLog;
    declarePrinciples(this, 'defense-in-depth/data');
  }
}
