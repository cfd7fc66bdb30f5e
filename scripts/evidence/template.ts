/** The parts of a CloudFormation template the evidence generators read. */

/** One resource of a template. */
export interface CfnResourceEntry {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

/** A synthesized CloudFormation template. */
export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResourceEntry>;
}

/** A resource with its logical id. */
export interface LocatedResource extends CfnResourceEntry {
  readonly logicalId: string;
}

/** The resources of `template`, in template order, optionally of the given types only. */
export function resourcesOf(template: CfnTemplate, ...types: string[]): LocatedResource[] {
  return Object.entries(template.Resources ?? {})
    .filter(([, resource]) => types.length === 0 || types.includes(resource.Type))
    .map(([logicalId, resource]) => ({ logicalId, ...resource }));
}

/**
 * The logical id a value points at: `{ Ref: X }` or `{ 'Fn::GetAtt': [X, attr] }` gives X.
 * Anything else (a literal, an import, a join) points at no resource of the template.
 */
export function referencedId(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const ref = (value as { Ref?: unknown }).Ref;
  if (typeof ref === 'string' && !ref.startsWith('AWS::')) return ref;
  const getAtt = (value as { 'Fn::GetAtt'?: unknown })['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  return undefined;
}

/** The logical ids referenced anywhere inside `value` (depth-first, in order, without repeats). */
export function referencedIds(value: unknown): string[] {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    const id = referencedId(node);
    if (id) {
      found.add(id);
      return;
    }
    if (Array.isArray(node)) node.forEach(visit);
    else if (typeof node === 'object' && node !== null) Object.values(node).forEach(visit);
  };
  visit(value);
  return [...found];
}

/** `value` as an array: a list stays a list, a missing value is empty, anything else is one item. */
export function listOf(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** A property read along a path of keys, e.g. `prop(r, 'NetworkConfiguration', 'AwsvpcConfiguration', 'Subnets')`. */
export function prop(resource: CfnResourceEntry, ...keys: string[]): unknown {
  let value: unknown = resource.Properties;
  for (const key of keys) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * The logical ids referenced under encryption properties of a resource: any property whose name
 * speaks of KMS, encryption or SSE (`KmsKeyId`, `KMSMasterKeyID`, `BucketEncryption`…). A key
 * ARN passed elsewhere (an environment variable, a policy) is a use, not an encryption.
 */
export function encryptionKeyRefs(resource: CfnResourceEntry): string[] {
  const found = new Set<string>();
  const visit = (node: unknown, underEncryption: boolean): void => {
    if (underEncryption) {
      referencedIds(node).forEach((id) => found.add(id));
    } else if (Array.isArray(node)) {
      node.forEach((item) => visit(item, false));
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node)) visit(value, /kms|encrypt|sse/i.test(key));
    }
  };
  visit(resource.Properties, false);
  return [...found];
}
