import { CfnResource, Stack } from 'aws-cdk-lib';

/** A value of a resolved CloudFormation template: literal, list, map or intrinsic function. */
export type TemplateValue = unknown;

/** A map of resolved CloudFormation properties. */
export type TemplateProperties = Readonly<Record<string, TemplateValue>>;

/**
 * The properties of `node` exactly as they will appear in the template: tokens resolved,
 * tags merged and escape-hatch overrides (`addPropertyOverride`) applied.
 *
 * Rules read the rendered template rather than L1 attributes so that a value set through an
 * override, or a resource declared as a plain `CfnResource`, cannot slip past the gate.
 * `_toCloudFormation()` is the same call stack synthesis makes for every resource.
 */
export function renderedProperties(node: CfnResource): TemplateProperties {
  const rendered = Stack.of(node).resolve(node._toCloudFormation()) as { Resources?: Record<string, { Properties?: TemplateProperties }> };
  const [resource] = Object.values(rendered.Resources ?? {});
  return resource?.Properties ?? {};
}

/** The resolved logical id of `node`, as intrinsic functions that point at it name it. */
export function logicalIdOf(node: CfnResource): string {
  return Stack.of(node).resolve(node.logicalId) as string;
}

/** True for `{ Ref: … }`, `{ 'Fn::…': … }` and other single-key intrinsic objects. */
export function isIntrinsic(value: TemplateValue): value is Record<string, TemplateValue> {
  if (!isMap(value)) {
    return false;
  }
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0].startsWith('Fn::'));
}

/** True for a plain JSON object (not a list). */
export function isMap(value: TemplateValue): value is Record<string, TemplateValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at `path` below `value`, or undefined when any step is missing. */
export function valueAt(value: TemplateValue, ...path: string[]): TemplateValue {
  let current = value;
  for (const key of path) {
    if (!isMap(current) || isIntrinsic(current)) {
      return undefined;
    }
    current = current[key];
  }
  return current;
}

/** A list property as a list: undefined becomes `[]`, a single value becomes `[value]`. */
export function asList(value: TemplateValue): TemplateValue[] {
  if (value === undefined) {
    return [];
  }
  return Array.isArray(value) ? value : [value];
}

/**
 * A value whose literal form decides compliance. Throws when it is an intrinsic function:
 * the pack turns the error into a finding of the calling rule, so an undecidable value fails
 * closed instead of passing.
 */
export function literalOf(value: TemplateValue, property: string): string | number | boolean | undefined {
  if (value === undefined || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  throw new Error(`${property} is ${JSON.stringify(value)}, which cannot be checked before deployment; use a literal value`);
}

/** True when the value is the literal `true` or the string `'true'` (CloudFormation accepts both). */
export function isTrue(value: TemplateValue, property: string): boolean {
  const literal = literalOf(value, property);
  return literal === true || literal === 'true';
}

/**
 * A resolved value as one string, for findings and pattern checks: `Ref`/`GetAtt` become
 * `<Name>`/`<Name.Attribute>` and `Fn::Join`/`Fn::Sub` are flattened, the same notation
 * cdk-nag uses in its granular findings (`AwsSolutions-IAM5[Resource::<Bucket.Arn>/*]`).
 */
export function flatten(value: TemplateValue): string {
  if (value === undefined || value === null) {
    return '';
  }
  if (typeof value === 'string') {
    return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  }
  if (typeof value !== 'object') {
    return String(value);
  }
  if (isIntrinsic(value)) {
    const [name, argument] = Object.entries(value)[0];
    if (name === 'Ref') {
      return `<${flatten(argument)}>`;
    }
    if (name === 'Fn::GetAtt' && Array.isArray(argument)) {
      return `<${argument.map(flatten).join('.')}>`;
    }
    if (name === 'Fn::Join' && Array.isArray(argument) && Array.isArray(argument[1])) {
      return argument[1].map(flatten).join(String(argument[0]));
    }
    if (name === 'Fn::Sub') {
      return flatten(Array.isArray(argument) ? argument[0] : argument);
    }
    if (name === 'Fn::ImportValue') {
      return `<Import:${flatten(argument)}>`;
    }
  }
  return JSON.stringify(value);
}
