import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { ServiceMeshStack, ServiceMeshStackProps } from '../../../patterns/service-mesh';
import { patternTestProps, testServer } from '../shared/fixtures';

/** The table the `tickets` server may read: the only AWS access a server spec grants in these tests. */
export const TICKETS_TABLE_ARN = 'arn:aws:dynamodb:us-east-1:111111111111:table/tickets';

/**
 * The pattern with two servers on different ports, `notes` (8080, no AWS access) and
 * `tickets` (9000, reads one DynamoDB table), overridden by `overrides`.
 */
export function serviceMeshStack(overrides: Partial<ServiceMeshStackProps> = {}): ServiceMeshStack {
  const app = new App();
  return new ServiceMeshStack(app, 'ServiceMesh', {
    ...patternTestProps(app),
    servers: [
      testServer('notes'),
      testServer('tickets', {
        port: 9000,
        awsAccess: [new iam.PolicyStatement({ actions: ['dynamodb:GetItem'], resources: [TICKETS_TABLE_ARN] })],
      }),
    ],
    ...overrides,
  });
}

/** The error message of building the pattern with `overrides`, or '' if it builds. */
export function buildError(overrides: Partial<ServiceMeshStackProps>): string {
  try {
    serviceMeshStack(overrides);
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

/** Logical id of `construct`, or of its default child. */
export function logicalId(construct: IConstruct): string {
  const element = construct instanceof CfnElement ? construct : construct.node.defaultChild as CfnElement;
  return Stack.of(construct).resolve(element.logicalId) as string;
}

/** `{ 'Fn::GetAtt': [<logical id>, attribute] }` of `construct`. */
export function getAtt(construct: IConstruct, attribute: string): object {
  return { 'Fn::GetAtt': [logicalId(construct), attribute] };
}

/** The resources of `template` of type `type`, by logical id. */
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
