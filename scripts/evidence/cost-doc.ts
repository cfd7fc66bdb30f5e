/** Renders the cost model as `docs/costs.md`. */
import { CostEstimate } from './cost-rules';
import { COST_TOGGLES } from './cost-toggles';
import { cell, code, generatedHeader, table, usd, usdRate } from './markdown';
import { PRICE_TABLE_FILE, PriceTable } from './price-table';

/** Path of the generated document, from the repository root. */
export const COSTS_DOC = 'docs/costs.md';

const VERIFICATION: Record<string, string> = {
  'aws-page': 'AWS page',
  'secondary': 'secondary copy',
  'unverified': '**unverified**',
};

/** A quantity with at most three decimals. */
export function quantity(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

/** The Markdown of the cost model. */
export function renderCostsDoc(estimates: readonly CostEstimate[], prices: PriceTable): string {
  const lines = [
    ...generatedHeader('What the stacks cost when idle', 'scripts/evidence/cost-model.ts'),
    `Estimated monthly cost of each synthesized stack of the default configuration with no traffic, in ${prices.region}, ` +
      `from the price table of **${prices.date}** ([${PRICE_TABLE_FILE}](pricing/${PRICE_TABLE_FILE.split('/').pop()})), ` +
      `${prices.hoursPerMonth} hours a month, on-demand prices, no free tier. Run \`npm run cost\` for the same figures in a terminal.`,
    '',
    'The model counts resources in each template (NAT gateways, interface endpoints per zone, load balancers and their ' +
      'public addresses, WAF ACLs and rules, KMS keys, Fargate tasks from their task definitions and desired counts, ' +
      'Network Firewall and Verified Access endpoints, Private CAs by mode, VPC Lattice services, secrets, alarms, log ' +
      'groups, Cognito plans, GuardDuty and Security Hub). Requests, data processed and load balancer capacity units ' +
      'cost nothing at idle and are left out; they grow with traffic.',
    '',
    '## Summary',
    '',
    ...table(['Stack', 'Idle cost per month'], [
      ...estimates.map((e) => [code(e.stack), usd(e.total)]),
      ['**All stacks**', `**${usd(estimates.reduce((sum, e) => sum + e.total, 0))}**`],
    ], ['l', 'r']),
  ];
  for (const estimate of estimates) {
    lines.push('', `## Stack ${code(estimate.stack)}`, '');
    lines.push(...table(['Item', 'Resource type', 'Quantity', 'Unit price', 'Per month'], [
      ...estimate.lines.map((l) => [cell(l.item), code(l.resourceType), quantity(l.quantity), `${usdRate(l.unitPrice)} per ${l.unitLabel}`, usd(l.monthly)]),
      ['**Total**', '', '', '', `**${usd(estimate.total)}**`],
    ], ['l', 'l', 'r', 'r', 'r']));
    const others = estimate.unpriced.reduce((sum, u) => sum + u.count, 0);
    lines.push('', `Not priced (free, or usage-based and zero at idle): ${others} resources of ${estimate.unpriced.length} types` +
      (others > 0 ? `: ${estimate.unpriced.map((u) => `${code(u.type)} ×${u.count}`).join(', ')}.` : '.'));
  }
  lines.push('', '## Cheaper settings', '', 'Configuration fields that lower the idle cost, what each saves and what it gives up. ' +
    '`<pattern>` stands for any pattern, `[]` for every MCP server.', '');
  lines.push(...table(['Field', 'Cheaper value', 'Default?', 'Saves', 'Gives up'], COST_TOGGLES.map((t) => [
    code(t.field), t.display ?? code(JSON.stringify(t.cheaper)), t.isDefault ? 'yes' : 'no', cell(t.saves(prices)), cell(t.givesUp),
  ])));
  lines.push('', '## Price table', '', cell(prices.note), '');
  lines.push(...table(['Price', 'US$', 'Unit', 'Checked against', 'Source'], Object.entries(prices.prices).map(([key, p]) => [
    code(key), String(p.usd), cell(p.unit), `${VERIFICATION[p.verification]}: ${cell(p.checked)}`, p.source,
  ]), ['l', 'r', 'l', 'l', 'l']));
  lines.push('', '## Assumptions', '', 'Usage the model cannot read from a template; change them in the price table.', '');
  lines.push(...table(['Assumption', 'Value', 'Meaning'], Object.entries(prices.assumptions).map(([key, a]) => [
    code(key), String(a.value), cell(a.unit),
  ]), ['l', 'r', 'l']));
  lines.push('', '## Not modeled', '',
    '- Data processing, requests and capacity units (NAT and endpoint GB, ALB LCUs, WAF requests, Lattice requests, ' +
      'Verified Permissions authorization calls, KMS requests beyond the free tier).',
    '- KMS key rotation: each rotation adds US$1 a month per retained key version (the first month is priced).',
    '- S3 storage of the log archive and CloudTrail delivery; ECR image storage; data transfer out.',
    '- Enhanced Container Insights metrics, which AWS bills per observation.',
    '- Free tiers (the first 10 alarm metrics, 5 GB of logs, 20,000 KMS requests), Savings Plans and Fargate Spot.',
    '- Shield Advanced is billed once per organization, whichever stack declares a protection.',
  );
  return [...lines, ''].join('\n');
}
