import { Template } from 'aws-cdk-lib/assertions';

/** What a `Ref` or `Fn::GetAtt` of a resource stands for once deployed. */
function deployedValue(template: Template, logicalId: string, attribute?: string): string {
  const resources = template.toJSON().Resources as Record<string, { Type: string }>;
  const type = resources[logicalId]?.Type;
  if (type === 'AWS::KMS::Key' && attribute === 'Arn') return `arn:aws:kms:us-east-1:111111111111:key/${logicalId.toLowerCase()}`;
  if (type === 'AWS::Events::EventBus' && attribute === 'Arn') return `arn:aws:events:us-east-1:111111111111:event-bus/${logicalId}`;
  if (type === 'AWS::VerifiedPermissions::PolicyStore' && attribute === 'PolicyStoreId') return `PS${logicalId}`;
  if (type === undefined) throw new Error(`template has no resource ${logicalId}`);
  return attribute ? `${logicalId}.${attribute}` : `ref-${logicalId}`;
}

/**
 * Evaluate a CloudFormation value built of `Fn::Join`, `Ref` and `Fn::GetAtt` into the string
 * it becomes at deployment, with plausible stand-ins for attributes (KMS key and event bus ARNs are ARNs).
 */
export function deployedString(template: Template, value: unknown): string {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    if ('Fn::Join' in object) {
      const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
      return parts.map((part) => deployedString(template, part)).join(separator);
    }
    if ('Ref' in object) return deployedValue(template, object.Ref as string);
    if ('Fn::GetAtt' in object) {
      const [logicalId, attribute] = object['Fn::GetAtt'] as [string, string];
      return deployedValue(template, logicalId, attribute);
    }
  }
  throw new Error(`cannot evaluate ${JSON.stringify(value)}`);
}

/** The one resource of `type` whose logical id matches `idPattern`, with its logical id. */
export function onlyResource(template: Template, type: string, idPattern: RegExp = /./): { id: string; properties: Record<string, unknown> } {
  const found = Object.entries(template.findResources(type)).filter(([id]) => idPattern.test(id));
  if (found.length !== 1) throw new Error(`expected one ${type} matching ${idPattern}, found ${found.map(([id]) => id).join(', ') || 'none'}`);
  return { id: found[0][0], properties: found[0][1].Properties };
}

/** The gateway's configuration document as deployed in its SSM parameter. */
export function deployedConfig(template: Template): string {
  return deployedString(template, onlyResource(template, 'AWS::SSM::Parameter').properties.Value);
}
