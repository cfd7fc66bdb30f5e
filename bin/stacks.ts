import { App, Stack } from 'aws-cdk-lib';
import { AccountBaselineStack } from '../patterns/baseline/account-baseline-stack';
import { KitConfig, PATTERN_NAMES } from './config/schema';

/** The stacks one configuration produces. */
export interface KitStacks {
  /** One baseline per account and region in use. */
  readonly baselines: AccountBaselineStack[];
  /** Pattern stacks by pattern name. */
  readonly patterns: Partial<Record<string, Stack>>;
}

/** Create the stacks of `config` in `app`. */
export function buildStacks(app: App, config: KitConfig, _configDirectory: string): KitStacks {
  const baselines = new Map<string, AccountBaselineStack>();
  for (const name of PATTERN_NAMES) {
    const pattern = config.patterns[name];
    if (!pattern?.enabled) continue;
    const env = { account: pattern.env.account, region: pattern.env.region };
    const key = `${env.account ?? 'any'}/${env.region}`;
    if (!baselines.has(key)) {
      const id = `${config.projectName}-baseline${env.account ? `-${env.account}` : ''}-${env.region}`;
      baselines.set(key, new AccountBaselineStack(app, id, { env }));
    }
  }
  return { baselines: [...baselines.values()], patterns: {} };
}
