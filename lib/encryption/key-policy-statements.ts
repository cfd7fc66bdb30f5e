import { Annotations, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';

/**
 * What a key administrator may do: manage the key's life cycle, policy, aliases, tags and
 * grants. Named one by one (no `kms:Create*`, which would include `kms:CreateGrant`, a way to
 * hand oneself the use of the key) and without any cryptographic operation.
 */
export const KEY_ADMINISTRATION_ACTIONS: readonly string[] = [
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:DeleteAlias',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:EnableKey',
  'kms:EnableKeyRotation',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListKeyRotations',
  'kms:ListResourceTags',
  'kms:PutKeyPolicy',
  'kms:RevokeGrant',
  'kms:RotateKeyOnDemand',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateAlias',
  'kms:UpdateKeyDescription',
];

/**
 * Every use of key material, plus `kms:CreateGrant` (which delegates that use). Key
 * administrators are explicitly denied these, so even an administrator whose IAM policy
 * allows `kms:*` cannot read what the key protects or sign with it.
 */
export const CRYPTOGRAPHIC_ACTIONS: readonly string[] = [
  'kms:CreateGrant',
  'kms:Decrypt',
  'kms:DeriveSharedSecret',
  'kms:Encrypt',
  'kms:GenerateDataKey*',
  'kms:GenerateMac',
  'kms:ReEncrypt*',
  'kms:Sign',
  'kms:Verify',
  'kms:VerifyMac',
];

/**
 * Key policy statement that lets CloudWatch Logs use a key for the log groups of this account
 * and region only: CloudWatch Logs passes the log group ARN as encryption context
 * (`aws:logs:arn`), so the key cannot encrypt log groups of another account.
 */
export function cloudWatchLogsKeyStatement(scope: IConstruct): iam.PolicyStatement {
  const stack = Stack.of(scope);
  return new iam.PolicyStatement({
    sid: 'AllowCloudWatchLogsOfThisAccount',
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: {
      ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*` },
    },
  });
}

/**
 * Key policy statements that let CloudTrail encrypt the log and digest files of one trail
 * (`aws:SourceArn`) for this account (`aws:cloudtrail:arn` encryption context), and describe
 * the key when the trail is created or updated. Reading the files needs a separate grant.
 */
export function cloudTrailKeyStatements(scope: IConstruct, trailArn: string): iam.PolicyStatement[] {
  const stack = Stack.of(scope);
  const cloudTrail = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
  return [
    new iam.PolicyStatement({
      sid: 'AllowCloudTrailToEncryptLogs',
      principals: [cloudTrail],
      actions: ['kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'aws:SourceArn': trailArn },
        StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${stack.partition}:cloudtrail:*:${stack.account}:trail/*` },
      },
    }),
    new iam.PolicyStatement({
      sid: 'AllowCloudTrailToDescribeKey',
      principals: [cloudTrail],
      actions: ['kms:DescribeKey'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceArn': trailArn } },
    }),
  ];
}

/**
 * Key policy statement that lets CloudWatch alarms of this account and region publish to SNS
 * topics encrypted with the key. Alarms publish as the service principal, never through a
 * role, so only the key policy can allow it; `aws:SourceAccount` and `aws:SourceArn` keep
 * alarms of other accounts (the confused deputy) out.
 */
export function cloudWatchAlarmsKeyStatement(scope: IConstruct): iam.PolicyStatement {
  const stack = Stack.of(scope);
  return new iam.PolicyStatement({
    sid: 'AllowCloudWatchAlarmsOfThisAccount',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    resources: ['*'],
    conditions: {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:*` },
    },
  });
}

/**
 * Adds `statements` to the policy of `key`; identical statements are merged, so adding the same
 * statement for several constructs is harmless. The policy of an imported key cannot be changed
 * from this app: `scope` then carries a warning naming the statements the key's owner must add,
 * because the service would otherwise be refused the key at deployment or, worse, at run time.
 */
export function addKeyPolicyStatements(scope: IConstruct, key: kms.IKey, ...statements: iam.PolicyStatement[]): void {
  const missing = statements.filter((statement) => !key.addToResourcePolicy(statement).statementAdded);
  if (missing.length > 0) {
    Annotations.of(scope).addWarningV2('mcp-kit:keyPolicyNotManaged',
      `The policy of the imported key ${key.node.path} cannot be changed by this app; add these statements to it: `
      + missing.map((statement) => statement.sid ?? JSON.stringify(statement.toStatementJson())).join(', '));
  }
}

/**
 * Denies `kms:CreateGrant` to everyone unless the grant is for an AWS resource or the caller is
 * an AWS service (AWS Control Tower CT.KMS.PR.3). The services that use the kit's keys (Secrets
 * Manager, ECS, Verified Access) create their grants that way; a principal allowed to create
 * grants through IAM still cannot hand the use of a key to a principal of its choice.
 */
export function denyGrantsNotForAwsServicesStatement(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'DenyGrantsNotForAwsServices',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    // Both keys false (or absent) → deny; a grant made by or for an AWS service is not matched.
    conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
  });
}
