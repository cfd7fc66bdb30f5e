/** Renders the controls matrix as `docs/controls-matrix.md`. */
import { PrincipleRow } from './controls-matrix';
import { code, generatedHeader, githubAnchor, table } from './markdown';
import { SecurityPrinciple } from '../../lib/core/security-principles';

/** Path of the generated document, from the repository root. */
export const CONTROLS_MATRIX_DOC = 'docs/controls-matrix.md';

/** The anchor of a principle's section in the matrix, for links from other documents. */
export function principleAnchor(principle: SecurityPrinciple): string {
  return githubAnchor(principle);
}

/** The Markdown of the matrix. `stackNames` are the stacks the constructs were read from. */
export function renderControlsMatrix(rows: readonly PrincipleRow[], stackNames: readonly string[]): string {
  const lines = [
    ...generatedHeader('Controls matrix', 'scripts/evidence/controls-matrix.ts'),
    'For each principle and defense layer of the seed article, what implements it, what enforces it and what proves it:',
    '',
    '- **Building blocks**: the constructs in each synthesized stack that declare the principle ' +
      '(`declarePrinciples` in their constructor), by class, with instance counts.',
    '- **Gate rules**: the kit\'s MCP rules that declare the principle ([rule table](gate.md)); the public cdk-nag ' +
      'rules and AWS Control Tower proactive controls mapped to it in `scripts/evidence/controls-mapping.ts`. Every ' +
      'unacknowledged finding of these fails `cdk synth` (cdk-nag) or the test suite (Control Tower).',
    '- **NIST SP 800-53 Rev. 5**: the controls the MCP rules declare and the mapping adds.',
    '- **Tests**: tests tagged with the principle by a `// proves: <principle>` comment directly above them.',
    '',
    `Stacks read: ${stackNames.map(code).join(', ') || 'none'}. A rule followed by "acknowledged ×n" has n ` +
      'findings accepted on specific constructs of these stacks, each with a reason ([how](gate.md#acknowledging-a-finding)).',
    '',
    '## Summary',
    '',
    ...table(
      ['Principle', 'Building blocks', 'MCP rules', 'cdk-nag rules', 'Control Tower', 'NIST 800-53', 'Tests'],
      rows.map((row) => [
        `[${row.principle}](#${principleAnchor(row.principle)})`,
        String(new Set(row.constructs.flatMap((c) => c.classes.map((k) => k.className))).size),
        String(row.mcpRules.length),
        String(row.cdkNag.length),
        String(row.controlTower.length),
        String(row.nist80053.length),
        String(row.tests.length),
      ]),
      ['l', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
  ];
  for (const row of rows) {
    lines.push('', `## ${row.principle}`, '', `${row.description}.`, '');
    lines.push(...constructSection(row), '', ...ruleSection(row), '');
    lines.push(`**NIST SP 800-53 Rev. 5:** ${row.nist80053.join(', ')}.`, '');
    lines.push('**Tests that prove it:**', '');
    lines.push(...(row.tests.length > 0
      ? row.tests.map((test) => `- [${test.file}](../${test.file}): ${test.kind === 'describe' ? 'all of ' : ''}“${test.title}”`)
      : ['- none']));
    if (row.note) lines.push('', `> ${row.note}`);
  }
  return [...lines, ''].join('\n');
}

function constructSection(row: PrincipleRow): string[] {
  if (row.constructs.length === 0) return ['**Building blocks:** none in the synthesized stacks.'];
  return [
    '**Building blocks:**',
    '',
    ...table(['Stack', 'Constructs'], row.constructs.map(({ stack, classes }) => [
      code(stack),
      classes.map(({ className, count }) => `${code(className)} ×${count}`).join(', '),
    ])),
  ];
}

function ruleSection(row: PrincipleRow): string[] {
  const acknowledged = new Map(row.acknowledged.map(({ rule, count }) => [rule, count]));
  const ack = (rule: string): string => {
    const count = acknowledged.get(rule);
    return count ? ` (acknowledged ×${count})` : '';
  };
  const lines = ['**Gate rules:**', ''];
  lines.push(row.mcpRules.length > 0
    ? `- MCP: ${row.mcpRules.map((rule) =>
      `[${code(`Mcp-${rule.id}`)}](../lib/gate/rules/${rule.id}.ts) ([test](../test/gate/rules/${rule.id}.test.ts))${ack(`Mcp-${rule.id}`)}`).join(', ')}`
    : '- MCP: none');
  lines.push(row.cdkNag.length > 0 ? `- cdk-nag: ${row.cdkNag.map((rule) => `${code(rule)}${ack(rule)}`).join(', ')}` : '- cdk-nag: none');
  if (row.controlTower.length === 0) {
    lines.push('- Control Tower: none');
  } else {
    lines.push('- Control Tower:');
    lines.push(...row.controlTower.map((control) => `  - ${code(control.id)} ${control.title}${ack(control.id)}`));
  }
  return lines;
}
