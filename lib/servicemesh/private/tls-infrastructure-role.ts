import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { acknowledge } from '../../gate/acknowledge';
import { flatten } from '../../gate/rules/private/template';

/** What the role may use. */
export interface TlsInfrastructureRoleOptions {
  readonly certificateAuthorityArn: string;
  readonly tlsKey: kms.IKey;
}

/** The role ECS assumes and the customer managed policy that holds its permissions. */
export interface TlsInfrastructureRole {
  readonly role: iam.Role;
  readonly policy: iam.ManagedPolicy;
}

/** Only end-entity certificates: the role can never have the mesh CA sign another CA. */
const END_ENTITY_TEMPLATE = 'template/EndEntityCertificate/V1';

/**
 * The ECS infrastructure role for Service Connect TLS. It holds what the AWS managed policy
 * `AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity` (v4) grants, scoped
 * from every tagged CA in every account to this mesh's CA, and from every region and account to
 * this one, plus the use of this mesh's KMS key, which the managed policy leaves to the key
 * policy:
 *
 * - Secrets Manager, on secrets named `ecs-sc!…` only: create and tag them with the tags ECS
 *   sets, then rotate and delete the ones Secrets Manager marks as owned by Service Connect.
 *   They hold each task's TLS private key.
 * - Private CA, on the mesh CA only: describe it, read its certificate and issue end-entity
 *   certificates (never CA certificates).
 * - KMS, on the TLS key only: the four operations the Service Connect documentation lists.
 *
 * The trust policy is the one AWS documents for ECS infrastructure roles. A role cannot be
 * passed to a service of another account, and only principals allowed `iam:PassRole` on it can
 * name it in a service.
 */
export function tlsInfrastructureRole(scope: Construct, options: TlsInfrastructureRoleOptions): TlsInfrastructureRole {
  const stack = Stack.of(scope);
  const role = new iam.Role(scope, 'TlsRole', {
    assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com'),
    description: 'Lets ECS Service Connect issue TLS certificates from the mesh CA and keep their private keys in Secrets Manager',
  });

  const tlsSecrets = stack.formatArn({ service: 'secretsmanager', resource: 'secret', resourceName: 'ecs-sc!*', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  const createdByEcs = {
    ArnLike: {
      'aws:RequestTag/AmazonECSCreated': [
        stack.formatArn({ service: 'ecs', resource: 'service', resourceName: '*/*' }),
        stack.formatArn({ service: 'ecs', resource: 'task-set', resourceName: '*/*' }),
      ],
    },
    StringEquals: { 'aws:RequestTag/AmazonECSManaged': 'true' },
  };
  const policy = new iam.ManagedPolicy(scope, 'TlsPolicy', {
    description: 'Service Connect TLS for one mesh: its CA, its key, and the secrets holding task TLS keys',
    roles: [role],
    statements: [
      new iam.PolicyStatement({
        sid: 'CreateTaskKeySecrets',
        actions: ['secretsmanager:CreateSecret', 'secretsmanager:TagResource'],
        resources: [tlsSecrets],
        conditions: createdByEcs,
      }),
      new iam.PolicyStatement({
        sid: 'RotateTaskKeySecrets',
        actions: [
          'secretsmanager:DeleteSecret',
          'secretsmanager:GetSecretValue',
          'secretsmanager:PutSecretValue',
          'secretsmanager:RotateSecret',
          'secretsmanager:UpdateSecret',
          'secretsmanager:UpdateSecretVersionStage',
        ],
        resources: [tlsSecrets],
        conditions: { StringEquals: { 'secretsmanager:ResourceTag/aws:secretsmanager:owningService': 'ecs-sc' } },
      }),
      new iam.PolicyStatement({
        sid: 'DescribeTaskKeySecrets',
        actions: ['secretsmanager:DescribeSecret'],
        resources: [tlsSecrets],
      }),
      new iam.PolicyStatement({
        sid: 'ReadMeshCertificateAuthority',
        actions: ['acm-pca:DescribeCertificateAuthority', 'acm-pca:GetCertificate', 'acm-pca:GetCertificateAuthorityCertificate'],
        resources: [options.certificateAuthorityArn],
      }),
      new iam.PolicyStatement({
        sid: 'IssueEndEntityCertificates',
        actions: ['acm-pca:IssueCertificate'],
        resources: [options.certificateAuthorityArn],
        conditions: { StringEquals: { 'acm-pca:TemplateArn': `arn:${stack.partition}:acm-pca:::${END_ENTITY_TEMPLATE}` } },
      }),
      new iam.PolicyStatement({
        sid: 'UseTlsKey',
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyPair'],
        resources: [options.tlsKey.keyArn],
      }),
    ],
  });
  acknowledge(policy, {
    id: `AwsSolutions::AwsSolutions-IAM5[Resource::${flatten(stack.resolve(tlsSecrets))}]`,
    reason: 'ECS names the secrets that hold each task\'s TLS private key ecs-sc!<generated suffix> when the task starts, so no '
      + 'name is known at deployment; the ecs-sc! prefix is reserved for Service Connect, creation requires the tags ECS '
      + 'sets, and changes require the Secrets Manager owning-service tag ecs-sc, as in the AWS managed policy.',
  });
  return { role, policy };
}
