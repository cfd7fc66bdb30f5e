import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/*
 * Granular finding ids render a resource the way cdk-nag flattens template values: `Ref` to
 * `<Id>`, `Fn::GetAtt` to `<Id.Attr>`, `Fn::Join` joined. Acknowledging the exact id names the
 * one resource (and action) that needs the wildcard and nothing else; a wrong rendering shows up
 * as an unacknowledged finding in the gate tests.
 */

/** The AwsSolutions-IAM5 finding id for a wildcard `resource`. */
export function wildcardResourceFinding(scope: IConstruct, resource: string): string {
  return `AwsSolutions::AwsSolutions-IAM5[Resource::${flatten(Stack.of(scope).resolve(resource))}]`;
}

/** The Mcp-IamNoWildcardPermissions finding id for `action` on an account-wide `resource`. */
export function accountWideResourceFinding(scope: IConstruct, action: string, resource: string): string {
  return `Mcp::Mcp-IamNoWildcardPermissions[Action::${action}::Resource::${flatten(Stack.of(scope).resolve(resource))}]`;
}

function flatten(node: unknown): string {
  if (typeof node === 'string') {
    return node;
  }
  if (Array.isArray(node)) {
    return JSON.stringify(node);
  }
  if (node !== null && typeof node === 'object') {
    const intrinsic = node as Record<string, unknown>;
    if (Array.isArray(intrinsic['Fn::Join'])) {
      const [delimiter, items] = intrinsic['Fn::Join'] as [string, unknown[]];
      return items.map(flatten).join(delimiter);
    }
    if (Array.isArray(intrinsic['Fn::GetAtt'])) {
      const [resource, attribute] = intrinsic['Fn::GetAtt'] as [unknown, unknown];
      return `<${flatten(resource)}.${flatten(attribute)}>`;
    }
    if ('Ref' in intrinsic) {
      return `<${flatten(intrinsic.Ref)}>`;
    }
  }
  return JSON.stringify(node);
}
