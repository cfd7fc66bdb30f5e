import { App } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { AccountBaselineStack } from '../../../patterns/baseline/account-baseline-stack';
import { LayeredDefenseStack, LayeredDefenseStackProps } from '../../../patterns/layered-defense';
import { patternTestProps, testServer } from '../shared/fixtures';

/** The table the notes server may read, and nothing else. */
export const NOTES_TABLE = 'arn:aws:dynamodb:us-east-1:111111111111:table/mcp-test-notes';

/** Two servers: `notes` with one AWS permission, `tickets` on another port with none. */
export function twoServers() {
  return [
    testServer('notes', { awsAccess: [new iam.PolicyStatement({ actions: ['dynamodb:GetItem'], resources: [NOTES_TABLE] })] }),
    testServer('tickets', { port: 9000 }),
  ];
}

/** Props of a layered-defense stack in `app`, with the baseline stack the shared fixture creates. */
export function layeredDefenseProps(app: App, overrides: Partial<LayeredDefenseStackProps> = {}): LayeredDefenseStackProps {
  const props = patternTestProps(app, { servers: twoServers() });
  return { ...props, baseline: baselineOf(app), ...overrides };
}

/** A layered-defense stack named `LayeredDefense` in a new app. */
export function layeredDefenseStack(overrides: Partial<LayeredDefenseStackProps> = {}): LayeredDefenseStack {
  const app = new App();
  return new LayeredDefenseStack(app, 'LayeredDefense', layeredDefenseProps(app, overrides));
}

/** The baseline stack the shared fixture created in the app of `construct`. */
export function baselineOf(construct: IConstruct): AccountBaselineStack {
  const baseline = construct.node.root.node.findChild('Baseline');
  if (!(baseline instanceof AccountBaselineStack)) throw new Error('the shared fixture no longer creates the Baseline stack');
  return baseline;
}

/** The message of the error building a stack with `overrides` throws. */
export function buildError(overrides: Partial<LayeredDefenseStackProps>): string {
  try {
    layeredDefenseStack(overrides);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the stack was built without error');
}

export { getAtt, logicalId, resourcesOf, stableTemplate } from '../../support/pattern-templates';
