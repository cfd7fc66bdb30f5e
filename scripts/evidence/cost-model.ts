/**
 * Idle monthly cost of a synthesized stack: what its resources cost per hour or month with no
 * traffic, from a dated price table. Usage-based charges (requests, data processed, LCUs) are
 * zero at idle and left out; log storage and similar are stated assumptions in the table.
 *
 *   npx tsx scripts/evidence/cost-model.ts     # per-resource-type breakdown and total per stack
 */
import * as path from 'path';
import { quantity } from './cost-doc';
import { costsOf, CostEstimate } from './cost-rules';
import { kitStacks, REPO_ROOT } from './kit-app';
import { usd, usdRate } from './markdown';
import { loadPriceTable, PRICE_TABLE_FILE, PriceTable } from './price-table';

export { costsOf } from './cost-rules';
export type { CostEstimate, CostLine } from './cost-rules';

/** The estimate of each stack of the default app, with the repository's price table. */
export function kitCostEstimates(prices: PriceTable = loadPriceTable(path.join(REPO_ROOT, PRICE_TABLE_FILE))): CostEstimate[] {
  return kitStacks().map(({ name, template }) => costsOf(name, template, prices));
}

/** The plain-text report `npm run cost` prints. */
export function renderCostReport(estimates: readonly CostEstimate[], prices: PriceTable): string {
  const lines = [`Idle monthly cost, ${prices.region}, prices of ${prices.date} (${PRICE_TABLE_FILE}); ${prices.hoursPerMonth} hours a month.`];
  for (const estimate of estimates) {
    lines.push('', `${estimate.stack}`);
    const rows = estimate.lines.map((line) => [line.item, `${quantity(line.quantity)} × ${usdRate(line.unitPrice)} per ${line.unitLabel}`, usd(line.monthly)]);
    rows.push(['Total', '', usd(estimate.total)]);
    const widths = [0, 1].map((column) => Math.max(...rows.map((row) => row[column].length)));
    lines.push(...rows.map(([item, rate, amount]) => `  ${item.padEnd(widths[0])}  ${rate.padEnd(widths[1])}  ${amount.padStart(12)}`));
  }
  lines.push('', `All stacks: ${usd(estimates.reduce((sum, e) => sum + e.total, 0))} a month. Assumptions and sources: docs/costs.md.`);
  return `${lines.join('\n')}\n`;
}

if (require.main === module) {
  const prices = loadPriceTable(path.join(REPO_ROOT, PRICE_TABLE_FILE));
  process.stdout.write(renderCostReport(kitCostEstimates(prices), prices));
}
