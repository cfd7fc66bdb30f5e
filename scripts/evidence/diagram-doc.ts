/** Renders architecture models as Mermaid flowcharts in Markdown (`docs/diagrams/<stack>.md`). */
import { ArchitectureModel, Component } from './diagram-model';
import { cell, code, generatedHeader, table } from './markdown';

/** Directory of the generated diagrams, from the repository root. */
export const DIAGRAMS_DIR = 'docs/diagrams';

/** Contents shown in a box before the rest is summarized as "+N more"; the tables below list all. */
const MAX_CONTENTS = 3;

/** A Mermaid node id: letters, digits and `_` only. */
function mermaidId(text: string): string {
  return text.replace(/[^A-Za-z0-9_]/g, '_');
}

/** A quoted Mermaid label with line breaks; quotes and angle brackets cannot appear raw. The first line can be bold. */
function label(lines: readonly string[], boldFirst = false): string {
  const escaped = lines.map((l) => l.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;'));
  if (boldFirst && escaped.length > 0) escaped[0] = `<b>${escaped[0]}</b>`;
  return `"${escaped.join('<br/>')}"`;
}

function box(component: Component): string {
  const contents = component.contents.length > MAX_CONTENTS
    ? [...component.contents.slice(0, MAX_CONTENTS), `+${component.contents.length - MAX_CONTENTS} more`]
    : component.contents;
  return `${component.id}[${label([component.name, ...contents, ...component.checks.map((c) => `check: ${c}`)], true)}]`;
}

/** The Mermaid source of a model. */
export function renderMermaid(model: ArchitectureModel): string {
  const lines = ['flowchart LR'];
  const networkIds = new Map<string, string>();
  for (const network of model.networks) {
    // Tiers and VPCs are subgraphs already; other networks become round nodes.
    if (network.id.startsWith('tier_') || network.id.startsWith('vpc_')) {
      networkIds.set(network.id, mermaidId(network.id));
    } else {
      networkIds.set(network.id, mermaidId(`net_${network.id}`));
      lines.push(`  ${mermaidId(`net_${network.id}`)}((${label([network.label])}))`);
    }
  }
  for (const vpc of model.vpcs) {
    lines.push(`  subgraph ${mermaidId(`vpc_${vpc.id}`)}[${label([`VPC ${vpc.cidr}`])}]`);
    for (const tier of vpc.tiers) {
      const inTier = model.components.filter((c) => c.vpc === vpc.id && c.tier === tier);
      const tierId = mermaidId(`tier_${vpc.id}_${tier}`);
      if (inTier.length === 0 && !networkIds.has(`tier_${vpc.id}_${tier}`)) continue;
      lines.push(`    subgraph ${tierId}[${label([`${tier} tier`])}]`);
      lines.push(...(inTier.length > 0 ? inTier.map((c) => `      ${box(c)}`) : [`      ${tierId}_empty[${label(['no components'])}]`]));
      lines.push('    end');
    }
    lines.push(...model.components.filter((c) => c.vpc === vpc.id && c.tier === undefined).map((c) => `    ${box(c)}`));
    lines.push('  end');
  }
  const regional = model.components.filter((c) => c.vpc === undefined);
  if (regional.length > 0) {
    lines.push(`  subgraph regional[${label(['Regional services, outside any VPC'])}]`, ...regional.map((c) => `    ${box(c)}`), '  end');
  }
  if (model.keys.length > 0) {
    lines.push(`  subgraph keys[${label(['KMS keys: encryption boundaries'])}]`);
    model.keys.forEach((key, i) => lines.push(`    key${i}[(${label([key.name, ...(key.encrypts.length > 0 ? key.encrypts : ['encrypts no resource here (used through grants)'])])})]`));
    lines.push('  end');
  }
  for (const flow of model.flows) {
    const from = networkIds.get(flow.from) ?? flow.from;
    const to = networkIds.get(flow.to) ?? flow.to;
    lines.push(`  ${from} ${flow.kind === 'route' ? '-.->' : '-->'}|${label([flow.ports.join(', ')])}| ${to}`);
  }
  return lines.join('\n');
}

/** The Markdown page of one stack's diagram. */
export function renderDiagramDoc(model: ArchitectureModel): string {
  const name = (id: string): string => model.components.find((c) => c.id === id)?.name
    ?? model.networks.find((n) => n.id === id)?.label ?? id;
  const where = (c: Component): string => (c.vpc ? `${c.tier ? `${c.tier} tier` : 'VPC'}` : 'regional');
  return [
    ...generatedHeader(`Architecture of ${model.stack}`, 'scripts/evidence/diagrams.ts'),
    'Generated from the synthesized template and construct tree. Each box is one building block (split by the subnet ' +
      'tier it runs in); solid arrows are the flows its security groups allow, labelled with ports, dotted arrows the ' +
      'routes VPC Lattice forwards requests along (a flow a security group allows can still have no route, e.g. from an ' +
      'isolated subnet to the internet); "check:" lines say which ' +
      'controls run there; the cylinders are the KMS keys and what each encrypts. IAM roles, policies, routes and ' +
      'other plumbing are left out; the tables below list everything the boxes summarize.',
    '',
    '```mermaid',
    renderMermaid(model),
    '```',
    '',
    '## Components',
    '',
    ...table(['Component', 'Where', 'Contains', 'Checks', 'Encrypted with'], model.components.map((c) => [
      code(c.name), where(c), cell(c.contents.join(', ') || '—'), cell(c.checks.join('; ') || '—'), cell(c.encryptedWith.join(', ') || '—'),
    ])),
    '',
    '## Allowed flows',
    '',
    ...(model.flows.length > 0
      ? table(['From', 'To', 'Ports'], model.flows.map((f) => [cell(name(f.from)), cell(name(f.to)), cell(f.ports.join(', '))]))
      : ['No security group in this stack allows a flow.']),
    '',
  ].join('\n');
}
