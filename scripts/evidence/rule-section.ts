import { NagMessageLevel } from 'cdk-nag';
import { McpRule } from '../../lib/gate';

/** Opening marker of the generated MCP rule section in docs/gate.md. */
export const RULES_START = '<!-- mcp-rules:start (generated from MCP_RULES; regenerate: npm run docs) -->';
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

/** `markdown` (docs/gate.md) with the text between the rule section markers replaced by `section`. */
export function withRuleSection(markdown: string, section: string): string {
  const start = markdown.indexOf(RULES_START.slice(0, RULES_START.indexOf(' (')));
  const end = markdown.indexOf(RULES_END);
  if (start < 0 || end < start) {
    throw new Error(`docs/gate.md has no MCP rule section between '<!-- mcp-rules:start' and '${RULES_END}'`);
  }
  return markdown.slice(0, start) + section + markdown.slice(end + RULES_END.length);
}
