import { App } from 'aws-cdk-lib';
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

export { logicalId as logicalIdOf, resourcesOf, stableTemplate } from '../../support/pattern-templates';
