import * as fs from 'fs';
import * as path from 'path';
import { MCP_RULES } from '../../lib/gate';
import { RULES_END, RULES_START, renderRuleSection } from '../../scripts/evidence/rule-section';
import { DISABLED_GUARD_RULES } from '../support/cfn-guard';

const GATE_DOC = path.join(__dirname, '..', '..', 'docs', 'gate.md');

function section(doc: string): string {
  return doc.slice(doc.indexOf(RULES_START), doc.indexOf(RULES_END) + RULES_END.length);
}

describe('docs/gate.md', () => {
  const doc = fs.readFileSync(GATE_DOC, 'utf8');

  test('lists every MCP rule exactly as MCP_RULES declares it', () => {
    expect(section(doc)).toEqual(renderRuleSection(MCP_RULES));
  });

  test('lists every disabled Control Tower rule with its reason', () => {
    for (const rule of DISABLED_GUARD_RULES) {
      expect(doc).toContain(`| \`${rule.ruleFile}\` | ${rule.control} | ${rule.reason} |`);
    }
  });
});

describe('README.md', () => {
  test('states the number of MCP rules and of disabled Control Tower rules the gate has', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8').replace(/\s+/g, ' ');
    expect(readme).toContain(`the kit's own MCP rule pack (${MCP_RULES.length} rules)`);
    expect(readme).toContain(`${DISABLED_GUARD_RULES.length === 1 ? 'one rule' : `${DISABLED_GUARD_RULES.length} rules`} disabled with its reason`);
  });
});
