import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { IConstruct } from 'constructs';

/** Resource types whose `Ref` is a Secrets Manager secret ARN. */
const SECRET_RESOURCE_TYPES = new Set(['AWS::SecretsManager::Secret', 'AWS::SecretsManager::SecretTargetAttachment']);

/** Where an ECS secret is read from. */
export type SecretSource = 'secrets-manager' | 'ssm-parameter' | 'unrecognised';

/**
 * Where `secret` comes from, judged by its ARN: a literal or formatted ARN names its service;
 * a reference is followed to the resource it points to, anywhere in the app. Anything that
 * cannot be shown to be a Secrets Manager secret is not one.
 */
export function secretSource(scope: IConstruct, secret: ecs.Secret): SecretSource {
  const stack = Stack.of(scope);
  const resolved: unknown = Token.isUnresolved(secret.arn) ? stack.resolve(secret.arn) : secret.arn;
  const text = JSON.stringify(resolved);
  if (text.includes(':ssm:')) return 'ssm-parameter';
  if (text.includes(':secretsmanager:')) return 'secrets-manager';
  const referenced = logicalIdsReferenced(resolved);
  if (referenced.length === 0) return 'unrecognised';
  const secrets = scope.node.root.node.findAll()
    .filter((c): c is CfnResource => CfnResource.isCfnResource(c) && SECRET_RESOURCE_TYPES.has(c.cfnResourceType))
    .map((c) => Stack.of(c).resolve(c.logicalId) as string);
  return referenced.some((id) => secrets.includes(id)) ? 'secrets-manager' : 'unrecognised';
}

/** Logical ids named by `Ref` anywhere inside a resolved CloudFormation value. */
function logicalIdsReferenced(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(logicalIdsReferenced);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) =>
      key === 'Ref' && typeof inner === 'string' ? [inner] : logicalIdsReferenced(inner));
  }
  return [];
}
