import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { declarePrinciples } from '../core/controls';

/** Properties of a KeyRing. */
export interface KeyRingProps {
  /**
   * Alias prefix; keys are aliased `alias/<prefix>/<purpose>`.
   * @default - the stack name
   */
  readonly aliasPrefix?: string;
  /**
   * Principals allowed to administer the keys (never to use them).
   * @default - no extra administrators; the account root keeps the key manageable
   */
  readonly administrators?: iam.IPrincipal[];
  /**
   * What happens to the keys when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Customer managed KMS keys, one per purpose: `logs` (CloudWatch Logs, SNS, S3 log
 * archive), `data`, `secrets`, and an asymmetric ECC_NIST_P256 `signing` key that the MCP
 * gateway uses to mint audience-bound tokens. Symmetric keys rotate yearly; all are retained.
 */
export class KeyRing extends Construct {
  /** Encrypts log groups, log archive objects and alarm topics. */
  public readonly logs: kms.Key;
  /** Encrypts application data. */
  public readonly data: kms.Key;
  /** Encrypts Secrets Manager secrets. */
  public readonly secrets: kms.Key;
  /** ECC_NIST_P256 SIGN_VERIFY key for token signing; no rotation (asymmetric). */
  public readonly signing: kms.Key;

  constructor(scope: Construct, id: string, props: KeyRingProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const aliasPrefix = props.aliasPrefix ?? stack.stackName;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const administrators = props.administrators ?? [];

    const symmetric = (purpose: string, description: string): kms.Key => {
      const key = new kms.Key(this, purpose.charAt(0).toUpperCase() + purpose.slice(1), {
        alias: `alias/${aliasPrefix}/${purpose}`,
        description,
        enableKeyRotation: true,
        removalPolicy,
      });
      administrators.forEach((admin) => key.grantAdmin(admin));
      return key;
    };

    this.logs = symmetric('logs', 'Encrypts MCP kit log groups, log archive objects and alarm topics');
    this.data = symmetric('data', 'Encrypts MCP kit application data');
    this.secrets = symmetric('secrets', 'Encrypts MCP kit secrets in Secrets Manager');
    this.signing = new kms.Key(this, 'Signing', {
      alias: `alias/${aliasPrefix}/signing`,
      description: 'Signs audience-bound tokens minted by the MCP security gateway',
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      removalPolicy,
    });
    administrators.forEach((admin) => this.signing.grantAdmin(admin));

    // CloudWatch Logs may use the logs key only for log groups of this account and region.
    this.logs.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudWatchLogsOfThisAccount',
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: {
        ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*` },
      },
    }));

    declarePrinciples(this, 'secure-by-default/encryption', 'defense-in-depth/data', 'isolation/data');
  }
}
