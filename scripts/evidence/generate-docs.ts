/**
 * Regenerates every generated evidence document from the code:
 *
 *   npx tsx scripts/evidence/generate-docs.ts          # write them
 *   npx tsx scripts/evidence/generate-docs.ts --check  # exit 1 naming the stale ones
 *
 * The default app is synthesized once and every generator reads the same stacks. Also written:
 * the acknowledgements report, the MCP rule section of docs/gate.md and the configuration's
 * JSON Schema, so that one command brings every generated file up to date.
 */
import * as fs from 'fs';
import * as path from 'path';
import { buildControlsMatrix } from './controls-matrix';
import { CONTROLS_MATRIX_DOC, renderControlsMatrix } from './controls-matrix-doc';
import { COSTS_DOC, renderCostsDoc } from './cost-doc';
import { costsOf } from './cost-rules';
import { diagramDocs } from './diagrams';
import { EvidenceStack, kitStacks, REPO_ROOT } from './kit-app';
import { loadPriceTable, PRICE_TABLE_FILE } from './price-table';
import { proofTests } from './proof-tags';
import { controlTowerControls } from './rule-catalogue';
import { renderRuleSection, withRuleSection } from './rule-section';
import { kitConfigJsonSchema } from '../../bin/config/json-schema';
import { MCP_RULES } from '../../lib/gate';
import { renderAcknowledgementsReport } from '../acknowledgements-report';

/** The hand-written gate documentation, whose MCP rule section is generated. */
const GATE_DOC = 'docs/gate.md';

/** Every generated document, by path from the repository root. */
export function generateDocs(stacks: readonly EvidenceStack[] = kitStacks()): Map<string, string> {
  const docs = new Map<string, string>();
  const rows = buildControlsMatrix({ stacks, rules: MCP_RULES, tests: proofTests(REPO_ROOT), controls: controlTowerControls() });
  docs.set(CONTROLS_MATRIX_DOC, renderControlsMatrix(rows, stacks.map((s) => s.name)));
  const prices = loadPriceTable(path.join(REPO_ROOT, PRICE_TABLE_FILE));
  docs.set(COSTS_DOC, renderCostsDoc(stacks.map(({ name, template }) => costsOf(name, template, prices)), prices));
  for (const [file, content] of diagramDocs(stacks)) docs.set(file, content);
  if (stacks.length > 0) {
    docs.set('docs/acknowledgements.md', renderAcknowledgementsReport(stacks[0].stack.node.root));
  }
  docs.set(GATE_DOC, withRuleSection(fs.readFileSync(path.join(REPO_ROOT, GATE_DOC), 'utf8'), renderRuleSection(MCP_RULES)));
  docs.set('docs/config/schema.json', kitConfigJsonSchema());
  return docs;
}

/** The generated documents whose file is missing or differs, by path. */
export function staleDocs(docs: ReadonlyMap<string, string>): string[] {
  return [...docs].filter(([file, content]) => {
    const full = path.join(REPO_ROOT, file);
    return !fs.existsSync(full) || fs.readFileSync(full, 'utf8') !== content;
  }).map(([file]) => file);
}

function main(argv: readonly string[]): void {
  const docs = generateDocs();
  if (argv.includes('--check')) {
    const stale = staleDocs(docs);
    if (stale.length > 0) {
      console.error(`Out of date (run npm run docs): ${stale.join(', ')}`);
      process.exitCode = 1;
    }
    return;
  }
  for (const [file, content] of docs) {
    fs.mkdirSync(path.dirname(path.join(REPO_ROOT, file)), { recursive: true });
    fs.writeFileSync(path.join(REPO_ROOT, file), content);
    console.log(`wrote ${file}`);
  }
}

if (require.main === module) {
  main(process.argv.slice(2));
}
