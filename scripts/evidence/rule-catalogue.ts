/**
 * What the public rule sets contain: the rule ids of the gate's cdk-nag packs and the AWS
 * Control Tower proactive controls shipped with @cdklabs/cdk-validator-cfnguard. The controls
 * matrix names rules from these; its tests check every named rule against them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { IApplyRule } from 'cdk-nag';
import { SecurityGate } from '../../lib/gate';

/** One Control Tower proactive control. */
export interface ControlTowerControl {
  /** Control id, e.g. `CT.EC2.PR.3`. */
  readonly id: string;
  /** Rule file name without extension, e.g. `ct-ec2-pr-3`. */
  readonly ruleFile: string;
  /** What the control requires. */
  readonly title: string;
  /** Guard rule names in the file; acknowledgements name these (`cdk-validator-cfnguard::<rule>`). */
  readonly guardRules: readonly string[];
}

const RULES_DIR = path.join(
  path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json')), 'rules', 'control-tower', 'cfn-guard');

/** Every Control Tower control of the rule files, by control id. */
export function controlTowerControls(): Map<string, ControlTowerControl> {
  const controls = new Map<string, ControlTowerControl>();
  for (const service of fs.readdirSync(RULES_DIR).sort()) {
    for (const file of fs.readdirSync(path.join(RULES_DIR, service)).sort()) {
      if (!file.endsWith('.guard')) continue;
      const text = fs.readFileSync(path.join(RULES_DIR, service, file), 'utf8');
      const title = /\[(CT\.[A-Z0-9-]+\.PR\.\d+)\]:\s*([^"\n]+)/.exec(text);
      if (!title) continue;
      controls.set(title[1], {
        id: title[1],
        ruleFile: path.basename(file, '.guard'),
        title: title[2].trim(),
        guardRules: [...new Set([...text.matchAll(/^rule (\w+) when is_cfn_template/gm)].map((m) => m[1]))],
      });
    }
  }
  return controls;
}

/**
 * Every rule id of the gate's public cdk-nag packs (`AwsSolutions-IAM5`,
 * `NIST.800.53.R5-VPCFlowLogsEnabled`, …). cdk-nag packs offer every rule to every resource
 * and let the rule decide whether it applies, so one resource shows them all; the rules are
 * recorded instead of run.
 */
export function publicPackRuleIds(): Set<string> {
  const stack = new Stack(new App(), 'RuleCatalogue');
  new sns.Topic(stack, 'AnyResource');
  const ids = new Set<string>();
  for (const pack of SecurityGate.packs(stack).filter((p) => p.name !== 'Mcp')) {
    const recorder = pack as unknown as { packName: string; applyRule(params: IApplyRule): void };
    recorder.applyRule = (params) => ids.add(`${recorder.packName}-${params.ruleSuffixOverride ?? params.rule.name}`);
    pack.validateScope(stack);
  }
  return ids;
}
