import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';

/**
 * Denies `kms:CreateGrant` on `keys` unless the grant is for an AWS resource or the caller is
 * an AWS service (AWS Control Tower CT.KMS.PR.3). The services that use these keys (CloudWatch
 * Logs, Secrets Manager, ECS, Verified Access) create their grants that way; a principal that
 * is allowed to create grants cannot hand the use of a key to a principal of its choice.
 */
export function denyGrantsOutsideAwsServices(keys: readonly kms.IKey[]): void {
  for (const key of keys) {
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'DenyGrantsNotForAwsServices',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    }));
  }
}
