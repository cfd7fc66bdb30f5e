import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import {
  cloudTrailKeyStatements,
  cloudWatchAlarmsKeyStatement,
  cloudWatchLogsKeyStatement,
  CRYPTOGRAPHIC_ACTIONS,
  denyGrantsNotForAwsServicesStatement,
  KEY_ADMINISTRATION_ACTIONS,
} from './key-policy-statements';
import { declarePrinciples } from '../core/controls';

/** Properties of a KeyRing. */
export interface KeyRingProps {
  /**
   * Alias prefix; keys are aliased `alias/<prefix>/<purpose>`.
   * @default - the stack name
   */
  readonly aliasPrefix?: string;
  /**
   * Principals that administer the keys: key administration actions only, and an explicit
   * deny of every cryptographic operation, so an administrator can never read what the keys
   * protect nor sign tokens. Do not list the role that deploys workloads using the keys: it
   * would be denied the `kms:CreateGrant` and `kms:GenerateDataKey*` that deployment needs.
   * @default - no named administrators; the keys are managed through IAM policies of the account
   */
  readonly administrators?: iam.IPrincipal[];
  /**
   * Automatic rotation period of the symmetric keys, from 90 to 365 days.
   * @default Duration.days(365)
   */
  readonly rotationPeriod?: Duration;
  /**
   * Waiting period before a key scheduled for deletion is deleted, from 7 to 30 days.
   * @default Duration.days(30)
   */
  readonly pendingWindow?: Duration;
  /**
   * What happens to the keys when the stack is deleted. Anything but RETAIN makes data
   * encrypted under the keys unreadable once the pending window ends.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Customer managed KMS keys of one account and region, one per purpose: `logs` (log groups,
 * log archive, alarm topics), `data`, `secrets`, and the asymmetric ECC_NIST_P256 `signing`
 * key with which the MCP gateway mints audience-bound tokens. Symmetric keys rotate; all
 * keys are retained. Compose it once per account, in the baseline stack.
 *
 * Each key policy has three parts. The account statement (`EnableIamPolicies`, the AWS
 * default key policy) delegates access decisions to IAM: without it, IAM policies — and
 * therefore every `grant*` method of the kit — have no effect, and a key whose named
 * principals are gone can only be recovered by AWS Support. Use of the keys is then granted
 * per principal and per key ARN through `grant*` methods. Named `administrators` get key
 * administration only, with cryptographic use explicitly denied. Service principals get
 * statements limited to this account by source or encryption-context conditions. Every key
 * denies `kms:CreateGrant` unless the grant is made by or for an AWS service, so no principal
 * can delegate the use of a key to a principal of its choice (CT.KMS.PR.3).
 */
export class KeyRing extends Construct {
  /** Encrypts log groups, log archive objects and alarm topics. */
  public readonly logs: kms.Key;
  /** Encrypts application data. */
  public readonly data: kms.Key;
  /** Encrypts Secrets Manager secrets. */
  public readonly secrets: kms.Key;
  /** ECC_NIST_P256 SIGN_VERIFY key for token signing; asymmetric keys cannot rotate. */
  public readonly signing: kms.Key;

  constructor(scope: Construct, id: string, props: KeyRingProps = {}) {
    super(scope, id);
    const aliasPrefix = props.aliasPrefix ?? Stack.of(this).stackName;
    const administrators = props.administrators ?? [];
    const rotationPeriod = props.rotationPeriod ?? Duration.days(365);
    const pendingWindow = props.pendingWindow ?? Duration.days(30);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.validate(aliasPrefix, rotationPeriod, pendingWindow);

    const createKey = (keyId: string, purpose: string, options: kms.KeyProps): kms.Key => new kms.Key(this, keyId, {
      alias: `alias/${aliasPrefix}/${purpose}`,
      policy: keyPolicy(administrators),
      pendingWindow,
      removalPolicy,
      ...options,
    });
    const symmetric = { enableKeyRotation: true, rotationPeriod };

    this.logs = createKey('Logs', 'logs', { ...symmetric, description: 'Encrypts MCP kit log groups, log archive objects and alarm topics' });
    this.data = createKey('Data', 'data', { ...symmetric, description: 'Encrypts MCP kit application data' });
    this.secrets = createKey('Secrets', 'secrets', { ...symmetric, description: 'Encrypts MCP kit secrets in Secrets Manager' });
    this.signing = createKey('Signing', 'signing', {
      description: 'Signs audience-bound tokens minted by the MCP security gateway',
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
    });

    this.logs.addToResourcePolicy(cloudWatchLogsKeyStatement(this));

    declarePrinciples(this, 'secure-by-default/encryption', 'defense-in-depth/data', 'isolation/data', 'zero-trust/least-privilege');
  }

  /** Lets `grantee` sign with the signing key (`kms:Sign` on that key only). */
  public grantSign(grantee: iam.IGrantable): iam.Grant {
    return this.signing.grant(grantee, 'kms:Sign');
  }

  /** Lets `grantee` read the signing key's public key and verify signatures with it. */
  public grantVerify(grantee: iam.IGrantable): iam.Grant {
    return this.signing.grant(grantee, 'kms:GetPublicKey', 'kms:Verify');
  }

  /**
   * Lets CloudTrail encrypt the files of the trail `trailArn` with the logs key. The trail's
   * name must be known at synth time: the ARN cannot come from the trail resource itself,
   * which depends on the key.
   */
  public allowCloudTrail(trailArn: string): void {
    cloudTrailKeyStatements(this, trailArn).forEach((statement) => this.logs.addToResourcePolicy(statement));
  }

  /** Lets CloudWatch alarms of this account publish to SNS topics encrypted with the logs key. */
  public allowCloudWatchAlarms(): void {
    this.logs.addToResourcePolicy(cloudWatchAlarmsKeyStatement(this));
  }

  private validate(aliasPrefix: string, rotationPeriod: Duration, pendingWindow: Duration): void {
    const problems: string[] = [];
    if (!Token.isUnresolved(aliasPrefix) && (!/^[a-zA-Z0-9/_-]+$/.test(aliasPrefix) || /^aws(\/|$)/.test(aliasPrefix))) {
      problems.push(`aliasPrefix must contain only letters, digits, '/', '_' and '-' and not start with 'aws', got '${aliasPrefix}'`);
    }
    if (!rotationPeriod.isUnresolved() && !isWholeDaysBetween(rotationPeriod, 90, 365)) {
      problems.push(`rotationPeriod must be a whole number of days from 90 to 365, got ${rotationPeriod.toHumanString()}`);
    }
    if (!pendingWindow.isUnresolved() && !isWholeDaysBetween(pendingWindow, 7, 30)) {
      problems.push(`pendingWindow must be a whole number of days from 7 to 30, got ${pendingWindow.toHumanString()}`);
    }
    if (problems.length > 0) {
      throw new Error(`KeyRing ${this.node.path}:\n  - ${problems.join('\n  - ')}`);
    }
  }
}

function isWholeDaysBetween(duration: Duration, min: number, max: number): boolean {
  const days = duration.toDays({ integral: false });
  return Number.isInteger(days) && days >= min && days <= max;
}

/**
 * A fresh key policy document (each key needs its own) with the account statement, the guard
 * that keeps grants for AWS services, and the administrator statements.
 */
function keyPolicy(administrators: readonly iam.IPrincipal[]): iam.PolicyDocument {
  const policy = new iam.PolicyDocument({
    statements: [new iam.PolicyStatement({
      sid: 'EnableIamPolicies',
      principals: [new iam.AccountRootPrincipal()],
      actions: ['kms:*'],
      resources: ['*'],
    }), denyGrantsNotForAwsServicesStatement()],
  });
  if (administrators.length > 0) {
    policy.addStatements(
      new iam.PolicyStatement({
        sid: 'AllowKeyAdministration',
        principals: [...administrators],
        actions: [...KEY_ADMINISTRATION_ACTIONS],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'DenyCryptographicUseByKeyAdministrators',
        effect: iam.Effect.DENY,
        principals: [...administrators],
        actions: [...CRYPTOGRAPHIC_ACTIONS],
        resources: ['*'],
      }),
    );
  }
  return policy;
}
