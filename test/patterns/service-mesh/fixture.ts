import { App } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
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

export { getAtt, logicalId, resourcesOf, stableTemplate } from '../../support/pattern-templates';
