import { sampleStack } from './fixtures/sample-stack';
import { SECURITY_PRINCIPLES } from '../../lib/core/security-principles';
import { MCP_RULES } from '../../lib/gate';
import { CONTROLS_MAPPING } from '../../scripts/evidence/controls-mapping';
import { buildControlsMatrix, PrincipleRow } from '../../scripts/evidence/controls-matrix';
import { principleAnchor, renderControlsMatrix } from '../../scripts/evidence/controls-matrix-doc';
import { evidenceStacks } from '../../scripts/evidence/kit-app';
import { ProofTest } from '../../scripts/evidence/proof-tags';
import { controlTowerControls } from '../../scripts/evidence/rule-catalogue';

const stacks = evidenceStacks(sampleStack().node.root);
const controls = controlTowerControls();
const proof: ProofTest = { file: 'test/compute/x.test.ts', line: 3, kind: 'test', title: 'runs read-only', principles: ['isolation/process'] };

function row(rows: PrincipleRow[], principle: keyof typeof SECURITY_PRINCIPLES): PrincipleRow {
  return rows.find((r) => r.principle === principle)!;
}

describe('buildControlsMatrix', () => {
  const rows = buildControlsMatrix({ stacks, rules: MCP_RULES, tests: [proof], controls });

  test('counts the building blocks that declare a principle, by class, per stack', () => {
    expect(row(rows, 'isolation/process').constructs).toEqual([
      { stack: 'Sample', classes: [{ className: 'SecureCluster', count: 1 }, { className: 'McpServerService', count: 1 }] },
    ]);
    expect(row(rows, 'secure-by-default/encryption').constructs[0].classes).toEqual(expect.arrayContaining([{ className: 'KeyRing', count: 1 }]));
  });

  test('takes MCP rules from their declarations and public rules from the mapping', () => {
    const micro = row(rows, 'zero-trust/micro-segmentation');
    expect(micro.mcpRules.map((r) => r.id)).toEqual(MCP_RULES.filter((r) => r.principles.includes('zero-trust/micro-segmentation')).map((r) => r.id));
    expect(micro.cdkNag).toEqual(CONTROLS_MAPPING['zero-trust/micro-segmentation'].cdkNag);
    expect(micro.controlTower.map((c) => c.id)).toEqual(['CT.EC2.PR.3', 'CT.EC2.PR.4', 'CT.EC2.PR.5']);
  });

  test('joins the NIST controls of the rules and the mapping, sorted', () => {
    const nist = row(rows, 'isolation/process').nist80053;
    expect(nist).toEqual(expect.arrayContaining(['AC-6', 'CM-7', 'SC-39']));
    expect([...nist].sort()).toEqual([...new Set(nist)].sort());
  });

  test('lists the tagged tests of a principle only there', () => {
    expect(row(rows, 'isolation/process').tests).toEqual([proof]);
    expect(row(rows, 'isolation/network').tests).toEqual([]);
  });

  test('counts acknowledgements of the rules of a row in the stacks', () => {
    // The internet-facing SecureLoadBalancer acknowledges AwsSolutions-EC23 for its 0.0.0.0/0:443 rule.
    expect(row(rows, 'zero-trust/micro-segmentation').acknowledged).toEqual([{ rule: 'AwsSolutions-EC23', count: 1 }]);
    expect(row(rows, 'isolation/process').acknowledged).toEqual([]);
  });

  test('fails when the mapping names a Control Tower control that does not exist', () => {
    const mapping = { ...CONTROLS_MAPPING, observability: { ...CONTROLS_MAPPING.observability, controlTower: ['CT.NOPE.PR.1'] } };
    expect(() => buildControlsMatrix({ stacks, rules: MCP_RULES, tests: [], controls, mapping }))
      .toThrow('controls mapping of observability: no Control Tower control CT.NOPE.PR.1');
  });
});

describe('renderControlsMatrix', () => {
  const rows = buildControlsMatrix({ stacks, rules: MCP_RULES, tests: [proof], controls });
  const doc = renderControlsMatrix(rows, ['Sample']);

  test('has a summary row and a section per principle, linked by GitHub anchors', () => {
    for (const principle of Object.keys(SECURITY_PRINCIPLES) as (keyof typeof SECURITY_PRINCIPLES)[]) {
      expect(doc).toContain(`| [${principle}](#${principleAnchor(principle)}) |`);
      expect(doc).toContain(`\n## ${principle}\n`);
    }
    expect(principleAnchor('zero-trust/micro-segmentation')).toBe('zero-trustmicro-segmentation');
  });

  test('links rules to their files and tests, and tests to their files', () => {
    expect(doc).toContain('[`Mcp-LatticeAuthIam`](../lib/gate/rules/LatticeAuthIam.ts) ([test](../test/gate/rules/LatticeAuthIam.test.ts))');
    expect(doc).toContain('- [test/compute/x.test.ts](../test/compute/x.test.ts): “runs read-only”');
    expect(doc).toContain('| `Sample` | `SecureCluster` ×1, `McpServerService` ×1 |');
  });
});
