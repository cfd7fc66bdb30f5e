import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * The data perimeter every endpoint enforces: a request passes only if the caller is a
 * principal of the deploying account AND the resource belongs to the deploying account.
 * The first condition stops credentials brought from elsewhere (a personal account) from
 * using the endpoint; the second stops this account's principals from writing data to
 * buckets, tables or queues of other accounts. This is the account-scoped form of the
 * `AllowRequestsByOrgsIdentitiesToOrgsResources` statement in AWS's data perimeter
 * policy examples (aws-samples/data-perimeter-policy-examples).
 */
export function accountPerimeterStatement(stack: Stack): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'AllowThisAccountPrincipalsToThisAccountResources',
    principals: [new iam.AnyPrincipal()],
    actions: ['*'],
    resources: ['*'],
    conditions: {
      StringEquals: {
        'aws:PrincipalAccount': stack.account,
        'aws:ResourceAccount': stack.account,
      },
    },
  });
}

/**
 * The one exception the S3 gateway endpoint needs. ECR stores image layers in an
 * AWS-owned bucket and hands the client a presigned URL signed by an ECR service account,
 * so the S3 request carries neither this account as principal nor as resource owner:
 * without this statement every image pull from a task in these subnets fails. The grant
 * is read-only and limited to that one regional bucket
 * (https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html#ecr-minimum-s3-perms).
 */
export function ecrImageLayerStatement(stack: Stack): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'AllowEcrImageLayersFromTheAwsOwnedBucket',
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:GetObject'],
    resources: [`arn:${stack.partition}:s3:::prod-${stack.region}-starport-layer-bucket/*`],
  });
}
