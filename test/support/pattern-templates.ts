import { CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';

/** The logical id of a CloudFormation resource, or of a construct's main resource. */
export function logicalId(construct: IConstruct): string {
  const element = CfnElement.isCfnElement(construct) ? construct : construct.node.defaultChild;
  if (!element || !CfnElement.isCfnElement(element)) throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return Stack.of(element).resolve(element.logicalId) as string;
}

/** `{ 'Fn::GetAtt': [<logical id>, attribute] }` of `construct`. */
export function getAtt(construct: IConstruct, attribute: string): object {
  return { 'Fn::GetAtt': [logicalId(construct), attribute] };
}

/** The resources of `template` of type `type`, by logical id, their properties to be narrowed by the test. */
export function resourcesOf(template: Template, type: string): Record<string, { Properties: Record<string, unknown> }> {
  return template.findResources(type) as Record<string, { Properties: Record<string, unknown> }>;
}

/** 64 lowercase hex digits not preceded by 'sha256:' (tool pins stay): an asset hash. */
const ASSET_HASH = /(?<!sha256:)\b[0-9a-f]{64}\b/g;

/**
 * The template with asset hashes (container image tags, Lambda code keys) replaced, so that a
 * snapshot changes when the infrastructure does, not when a file of an asset does.
 */
export function stableTemplate(stack: Stack): unknown {
  return JSON.parse(JSON.stringify(Template.fromStack(stack).toJSON()).replace(ASSET_HASH, '<asset hash>'));
}
