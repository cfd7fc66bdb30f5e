import { App, Duration, Stack, Token } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AccountBaselineStack } from '../patterns/baseline/account-baseline-stack';
import { createFederatedGateway } from '../patterns/federated-gateway';
import { LayeredDefenseStack } from '../patterns/layered-defense';
import { ServiceMeshStack } from '../patterns/service-mesh';
import { ZeroTrustNetworkStack } from '../patterns/zero-trust-network';
import { KitConfig, PATTERN_NAMES, PatternName } from './config/schema';
import { federatedSpokes, patternEnvironment, patternProps, serverSpecs, verifiedAccessOptions } from './config/to-props';

/** The stacks one configuration produces. */
export interface KitStacks {
  /** One baseline per account and region in use. */
  readonly baselines: AccountBaselineStack[];
  /** Pattern stacks by pattern name (the federated pattern: hub and spokes). */
  readonly patterns: Partial<Record<PatternName, Stack[]>>;
}

/** Create the stacks of `config` in `app`. */
export function buildStacks(app: App, config: KitConfig, configDirectory: string): KitStacks {
  // One baseline per account and region that has stacks: CloudTrail, GuardDuty and Security
  // Hub are per account and region, so a spoke in another account needs its own.
  const baselines = new Map<string, AccountBaselineStack>();
  const baselineFor = (env: { account?: string; region: string }): AccountBaselineStack => {
    const key = `${env.account ?? 'any'}/${env.region}`;
    let baseline = baselines.get(key);
    if (!baseline) {
      const settings = config.baselines.find((b) => b.account === env.account && b.region === env.region);
      baseline = new AccountBaselineStack(app, `${config.projectName}-baseline${env.account ? `-${env.account}` : ''}-${env.region}`, {
        env: { account: env.account, region: env.region },
        archiveObjectLockMode: s3.ObjectLockMode[config.logging.archiveObjectLockMode],
        archiveObjectLockRetention: Duration.days(config.logging.archiveObjectLockDays),
        logRetention: config.logging.retentionDays,
        existingGuardDutyDetectorId: settings?.existingGuardDutyDetectorId,
        enableSecurityHub: settings?.enableSecurityHub,
      });
      baselines.set(key, baseline);
    }
    return baseline;
  };

  const patterns: Partial<Record<PatternName, Stack[]>> = {};
  for (const name of PATTERN_NAMES) {
    const pattern = config.patterns[name];
    if (!pattern?.enabled) continue;
    const baseline = baselineFor(patternEnvironment(pattern));
    // Imported secrets are plain ARNs: importing them into the baseline creates no cross-stack export.
    const props = () => patternProps(name, config, baseline, serverSpecs(baseline, name, config, configDirectory));
    switch (name) {
      case 'federatedGateway': {
        const federated = config.patterns.federatedGateway!;
        const hubProps = props();
        const stacks = createFederatedGateway(app, {
          ...hubProps,
          spokes: federatedSpokes(federated, hubProps.network),
          remoteEndpoints: federated.remoteEndpoints,
        });
        // The spoke's account is watched before its servers run there. A spoke without an
        // account of its own is in the hub's environment-agnostic account.
        stacks.spokes.forEach((spoke) => spoke.addStackDependency(baselineFor({
          account: Token.isUnresolved(spoke.account) ? undefined : spoke.account,
          region: spoke.region,
        })));
        patterns[name] = [...(stacks.hub ? [stacks.hub] : []), ...stacks.spokes];
        break;
      }
      case 'zeroTrustNetwork': {
        const zeroTrust = config.patterns.zeroTrustNetwork!;
        patterns[name] = [new ZeroTrustNetworkStack(app, `${config.projectName}-zero-trust-network`, {
          ...props(),
          serverEgress: zeroTrust.egress,
          allowedDomains: zeroTrust.allowedDomains,
          verifiedAccess: verifiedAccessOptions(zeroTrust),
        })];
        break;
      }
      case 'layeredDefense': {
        const layered = config.patterns.layeredDefense!;
        patterns[name] = [new LayeredDefenseStack(app, `${config.projectName}-layered-defense`, {
          ...props(),
          baseline,
          shieldAdvanced: layered.shieldAdvanced,
          externalIssuerEnforcesMfa: layered.externalIssuerEnforcesMfa,
        })];
        break;
      }
      case 'serviceMesh':
        patterns[name] = [new ServiceMeshStack(app, `${config.projectName}-service-mesh`, props())];
        break;
    }
  }
  return { baselines: [...baselines.values()], patterns };
}
