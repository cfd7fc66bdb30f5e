import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AccountBaselineStack } from '../patterns/baseline/account-baseline-stack';
import { createFederatedGateway } from '../patterns/federated-gateway';
import { LayeredDefenseStack } from '../patterns/layered-defense';
import { ServiceMeshStack } from '../patterns/service-mesh';
import { ZeroTrustNetworkStack } from '../patterns/zero-trust-network';
import { ConfigError } from './config/load';
import { KitConfig, PATTERN_NAMES, PatternName } from './config/schema';
import { patternEnvironment, patternProps, serverSpecs } from './config/to-props';

/** The stacks one configuration produces. */
export interface KitStacks {
  /** One baseline per account and region in use. */
  readonly baselines: AccountBaselineStack[];
  /** Pattern stacks by pattern name (the federated pattern: hub and spokes). */
  readonly patterns: Partial<Record<PatternName, Stack[]>>;
}

/** Create the stacks of `config` in `app`. */
export function buildStacks(app: App, config: KitConfig, configDirectory: string): KitStacks {
  const baselines = new Map<string, AccountBaselineStack>();
  const baselineFor = (name: PatternName): AccountBaselineStack => {
    const env = patternEnvironment(config.patterns[name]!);
    const key = `${env.account ?? 'any'}/${env.region}`;
    let baseline = baselines.get(key);
    if (!baseline) {
      baseline = new AccountBaselineStack(app, `${config.projectName}-baseline${env.account ? `-${env.account}` : ''}-${env.region}`, {
        env: { account: env.account, region: env.region },
        archiveObjectLockMode: s3.ObjectLockMode[config.logging.archiveObjectLockMode],
        logRetention: config.logging.retentionDays,
      });
      baselines.set(key, baseline);
    }
    return baseline;
  };

  const patterns: Partial<Record<PatternName, Stack[]>> = {};
  for (const name of PATTERN_NAMES) {
    const pattern = config.patterns[name];
    if (!pattern?.enabled) continue;
    const baseline = baselineFor(name);
    // Imported secrets are plain ARNs: importing them into the baseline creates no cross-stack export.
    const props = () => patternProps(name, config, baseline, serverSpecs(baseline, name, config, configDirectory));
    switch (name) {
      case 'federatedGateway': {
        const federated = config.patterns.federatedGateway!;
        const stacks = createFederatedGateway(app, {
          ...props(),
          spokes: federated.spokes.map((spoke) => ({ name: spoke.name, env: { account: spoke.env.account, region: spoke.env.region } })),
        });
        patterns[name] = [...(stacks.hub ? [stacks.hub] : []), ...stacks.spokes];
        break;
      }
      case 'zeroTrustNetwork': {
        const zeroTrust = config.patterns.zeroTrustNetwork!;
        if (zeroTrust.verifiedAccess) {
          throw new ConfigError('configuration', [
            'patterns.zeroTrustNetwork.verifiedAccess: got true; the config has no Verified Access OIDC client settings yet, '
            + 'so use the ZeroTrustNetworkStack construct with its verifiedAccess prop from code (see docs/patterns/zero-trust-network.md)',
          ]);
        }
        patterns[name] = [new ZeroTrustNetworkStack(app, `${config.projectName}-zero-trust-network`, {
          ...props(),
          serverEgress: zeroTrust.egress,
          allowedDomains: zeroTrust.allowedDomains,
        })];
        break;
      }
      case 'layeredDefense':
        patterns[name] = [new LayeredDefenseStack(app, `${config.projectName}-layered-defense`, {
          ...props(),
          baseline,
          shieldAdvanced: config.patterns.layeredDefense!.shieldAdvanced,
        })];
        break;
      case 'serviceMesh':
        patterns[name] = [new ServiceMeshStack(app, `${config.projectName}-service-mesh`, props())];
        break;
    }
  }
  return { baselines: [...baselines.values()], patterns };
}
