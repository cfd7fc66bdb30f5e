import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';
import { createFederatedGateway, FederatedGatewayProps, FederatedGatewayStacks } from '../../../patterns/federated-gateway';
import { patternTestProps, testServer } from '../shared/fixtures';

/** The hub's account in the tests (`TEST_ENV`). */
export const HUB_ACCOUNT = '111111111111';
/** Account of the spoke that is not the hub's. */
export const SPOKE_ACCOUNT = '222222222222';
/** What a deployed spoke in SPOKE_ACCOUNT prints for its `tickets` server. */
export const TICKETS_ENDPOINT = {
  server: 'tickets',
  url: 'https://mcp-test-fg-tickets-0a1b2c3d4e5f60718.7d67968.vpc-lattice-svcs.us-east-1.on.aws/mcp',
  serviceArn: `arn:aws:vpc-lattice:us-east-1:${SPOKE_ACCOUNT}:service/svc-0a1b2c3d4e5f60718`,
};

/** A federated gateway from the shared pattern props, with `overrides`, in a new app. */
export function federatedGateway(overrides: Partial<FederatedGatewayProps> = {}): FederatedGatewayStacks & { app: App } {
  const app = new App();
  return { app, ...createFederatedGateway(app, { ...patternTestProps(app), ...overrides }) };
}

/** Hub and one spoke in the hub's account: servers `notes` (8080) and `tickets` (9090). */
export function sameAccountGateway() {
  return federatedGateway({ servers: [testServer('notes'), testServer('tickets', { port: 9090 })] });
}

/** `notes` in the default spoke, `tickets` in spoke `payments` of SPOKE_ACCOUNT. */
export function crossAccountGateway(overrides: Partial<FederatedGatewayProps> = {}) {
  return federatedGateway({
    servers: [testServer('notes'), testServer('tickets', { port: 9090, spoke: 'payments' })],
    spokes: [{ name: 'payments', env: { account: SPOKE_ACCOUNT, region: 'us-east-1' } }],
    ...overrides,
  });
}

/** The message of the error `build` throws. */
export function errorOf(build: () => unknown): string {
  try {
    build();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error, none was thrown');
}

/** The logical id of a CloudFormation resource, or of a construct's main resource. */
export function logicalIdOf(construct: IConstruct): string {
  const element = CfnElement.isCfnElement(construct) ? construct : construct.node.defaultChild;
  if (!element || !CfnElement.isCfnElement(element)) throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return Stack.of(element).resolve(element.logicalId) as string;
}

/** Resources of `type` in a template, by logical id. */
export function resourcesOf(template: Template, type: string): Record<string, { Properties: Record<string, unknown> }> {
  return template.findResources(type) as Record<string, { Properties: Record<string, unknown> }>;
}

/** 64 lowercase hex digits not preceded by 'sha256:' (tool pins stay): an asset hash. */
const ASSET_HASH = /(?<!sha256:)\b[0-9a-f]{64}\b/g;

/**
 * The template with asset hashes (the gateway image tag, Lambda code keys) replaced, so that a
 * snapshot changes when the infrastructure does, not when a file of an asset does.
 */
export function stableTemplate(stack: Stack): unknown {
  return JSON.parse(JSON.stringify(Template.fromStack(stack).toJSON()).replace(ASSET_HASH, '<asset hash>'));
}
