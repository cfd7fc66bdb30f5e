import * as fs from 'fs';
import * as path from 'path';
import { SECURITY_PRINCIPLES } from '../../lib/core/security-principles';
import { MCP_RULES } from '../../lib/gate';
import { CONTROLS_MAPPING } from '../../scripts/evidence/controls-mapping';
import { sortControls } from '../../scripts/evidence/controls-matrix';
import { controlTowerControls, publicPackRuleIds } from '../../scripts/evidence/rule-catalogue';
import { DISABLED_GUARD_RULES } from '../support/cfn-guard';

const REPO_ROOT = path.join(__dirname, '..', '..');
const mappings = Object.entries(CONTROLS_MAPPING);

describe('CONTROLS_MAPPING', () => {
  test('maps exactly the seed principles', () => {
    expect(Object.keys(CONTROLS_MAPPING).sort()).toEqual(Object.keys(SECURITY_PRINCIPLES).sort());
  });

  test('names only cdk-nag rules that exist in the gate\'s public packs', () => {
    const known = publicPackRuleIds();
    expect(known.size).toBeGreaterThan(200);
    const missing = mappings.flatMap(([principle, m]) => m.cdkNag.filter((id) => !known.has(id)).map((id) => `${principle}: ${id}`));
    expect(missing).toEqual([]);
  });

  test('names only Control Tower controls that exist and that the tests run', () => {
    const controls = controlTowerControls();
    const disabled = new Set(DISABLED_GUARD_RULES.map((rule) => rule.control));
    const problems = mappings.flatMap(([principle, m]) => m.controlTower.flatMap((id) => [
      ...(controls.has(id) ? [] : [`${principle}: ${id} is in no rule file`]),
      ...(disabled.has(id) ? [`${principle}: ${id} is disabled in the tests`] : []),
    ]));
    expect(problems).toEqual([]);
  });

  test('names NIST SP 800-53 controls by their ids, each once', () => {
    for (const [, m] of mappings) {
      expect(sortControls(m.nist80053)).toHaveLength(m.nist80053.length);
    }
  });
});

describe('the rule catalogue', () => {
  test('finds the Control Tower controls with their rule file, title and guard rules', () => {
    expect(controlTowerControls().get('CT.EC2.PR.3')).toEqual({
      id: 'CT.EC2.PR.3',
      ruleFile: 'ct-ec2-pr-3',
      title: expect.stringMatching(/^Require that any Amazon EC2 security group rule does not use the source IP range 0\.0\.0\.0\/0/),
      guardRules: expect.arrayContaining([expect.stringMatching(/_check$/)]),
    });
  });

  test('records rule ids of each public pack, without running them', () => {
    const ids = publicPackRuleIds();
    for (const id of ['AwsSolutions-IAM5', 'NIST.800.53.R5-VPCFlowLogsEnabled', 'HIPAA.Security-IAMNoInlinePolicy', 'PCI.DSS.321-IAMNoInlinePolicy']) {
      expect(ids).toContain(id);
    }
    expect([...ids].some((id) => id.startsWith('Mcp-'))).toBe(false);
  });

  test('every MCP rule the matrix links has its rule file and test file', () => {
    const missing = MCP_RULES.flatMap((rule) => [`lib/gate/rules/${rule.id}.ts`, `test/gate/rules/${rule.id}.test.ts`])
      .filter((file) => !fs.existsSync(path.join(REPO_ROOT, file)));
    expect(missing).toEqual([]);
  });
});

describe('sortControls', () => {
  test('orders by family, number and enhancement, without repeats', () => {
    expect(sortControls(['SC-7', 'AC-6(1)', 'AC-17', 'AC-6', 'SC-7(5)', 'AC-6'])).toEqual(['AC-6', 'AC-6(1)', 'AC-17', 'SC-7', 'SC-7(5)']);
  });

  test('fails on something that is not a control id', () => {
    expect(() => sortControls(['AC-6', 'NIST AC-6'])).toThrow("not a NIST SP 800-53 control id: 'NIST AC-6'");
  });
});
