import { NagMessageLevel } from 'cdk-nag';
import { MCP_RULES, McpRule } from '../../lib/gate';

/** Opening marker of the generated MCP rule section in docs/gate.md. */
export const RULES_START = '<!-- mcp-rules:start (generated from MCP_RULES; regenerate: npx tsx test/gate/rule-section.ts) -->';
/** Closing marker of the generated MCP rule section. */
export const RULES_END = '<!-- mcp-rules:end -->';

/** The MCP rule section of docs/gate.md, as the rules declare it: a table, then why each rule exists. */
export function renderRuleSection(rules: readonly McpRule[]): string {
  const table = [
    '| Finding id | Level | Reported when | NIST SP 800-53 Rev. 5 | Principles |',
    '| --- | --- | --- | --- | --- |',
    ...rules.map((rule) => [
      `\`Mcp-${rule.id}\``,
      rule.level === NagMessageLevel.WARN ? 'warning' : 'error',
      rule.info,
      rule.nist80053.join(', '),
      rule.principles.map((principle) => `\`${principle}\``).join(', '),
    ].join(' | ')).map((row) => `| ${row} |`),
  ];
  const reasons = rules.map((rule) => `- **\`Mcp-${rule.id}\`**: ${rule.explanation}`);
  return [RULES_START, ...table, '', 'Why each rule exists and how to fix a finding:', '', ...reasons, RULES_END].join('\n');
}

if (require.main === module) {
  console.log(renderRuleSection(MCP_RULES));
}
