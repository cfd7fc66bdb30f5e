import * as path from 'path';
import { App, AppProps } from 'aws-cdk-lib';
import { SecurityGate } from '../lib/gate';
import { DEFAULT_CONFIG } from './config/default-config';
import { validateConfig } from './config/load';
import { KitConfig } from './config/schema';
import { buildStacks } from './stacks';

/** Options of the kit's CDK app. */
export interface KitAppOptions extends AppProps {
  /** The validated configuration. */
  readonly config: KitConfig;
  /** Directory the configuration was read from; relative image directories resolve from it. */
  readonly configDirectory: string;
}

/**
 * The kit's CDK app: the security gate first, then one baseline stack per account and region
 * and one stack per enabled pattern. Used by `bin/mcp-kit.ts`, the tests and the doc generators.
 */
export function createKitApp(options: KitAppOptions): App {
  const app = new App(options);
  SecurityGate.apply(app);
  buildStacks(app, options.config, options.configDirectory);
  return app;
}

/**
 * Add the stacks of the embedded default configuration to `app`, without the gate: the entry
 * point of the synth benchmark and the acknowledgements report (`bin/app.ts#addDefaultStacks`).
 */
export function addDefaultStacks(app: App): void {
  buildStacks(app, validateConfig(DEFAULT_CONFIG, 'the embedded default configuration'), path.resolve(__dirname, '..'));
}
