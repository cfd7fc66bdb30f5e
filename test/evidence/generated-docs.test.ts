import { SECURITY_PRINCIPLES } from '../../lib/core/security-principles';
import { MCP_RULES } from '../../lib/gate';
import { buildControlsMatrix } from '../../scripts/evidence/controls-matrix';
import { generateDocs, staleDocs } from '../../scripts/evidence/generate-docs';
import { kitStacks, REPO_ROOT } from '../../scripts/evidence/kit-app';
import { proofTests } from '../../scripts/evidence/proof-tags';
import { controlTowerControls } from '../../scripts/evidence/rule-catalogue';

// The default app is synthesized once for the whole file.
const stacks = kitStacks();

describe('generated evidence documents', () => {
  test('are current: npm run docs regenerates them to the committed files', () => {
    const docs = generateDocs(stacks);
    expect([...docs.keys()]).toEqual(expect.arrayContaining([
      'docs/controls-matrix.md', 'docs/costs.md', 'docs/diagrams/README.md',
      ...stacks.map((s) => `docs/diagrams/${s.slug}.md`),
    ]));
    expect(staleDocs(docs)).toEqual([]);
  });

  test('generation is deterministic', () => {
    expect(generateDocs(stacks)).toEqual(generateDocs(stacks));
  });

  test('the default app has a stack for the baseline and each enabled pattern', () => {
    expect(stacks.map((s) => s.name)).toContain('mcp-kit-baseline-us-east-1');
  });
});

describe('controls matrix of the default app', () => {
  const rows = buildControlsMatrix({ stacks, rules: MCP_RULES, tests: proofTests(REPO_ROOT), controls: controlTowerControls() });

  test('has one row per seed principle and layer', () => {
    expect(rows.map((row) => row.principle)).toEqual(Object.keys(SECURITY_PRINCIPLES));
  });

  test('every principle has at least one enforcing rule', () => {
    const unenforced = rows.filter((row) => row.mcpRules.length + row.cdkNag.length + row.controlTower.length === 0);
    expect(unenforced.map((row) => row.principle)).toEqual([]);
  });

  test('every principle has at least one test that proves it', () => {
    expect(rows.filter((row) => row.tests.length === 0).map((row) => row.principle)).toEqual([]);
  });
});
