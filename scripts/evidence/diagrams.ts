/**
 * One architecture diagram per synthesized stack (`docs/diagrams/<stack>.md`) and an index.
 * Pattern stacks get theirs as soon as the app creates them.
 */
import { renderDiagramDoc, DIAGRAMS_DIR } from './diagram-doc';
import { architectureOf } from './diagram-model';
import { EvidenceStack } from './kit-app';
import { code, generatedHeader, table } from './markdown';

/** The diagram pages and their index, by path from the repository root. */
export function diagramDocs(stacks: readonly EvidenceStack[]): Map<string, string> {
  const docs = new Map<string, string>();
  const rows: string[][] = [];
  for (const evidence of stacks) {
    const model = architectureOf(evidence);
    docs.set(`${DIAGRAMS_DIR}/${evidence.slug}.md`, renderDiagramDoc(model));
    rows.push([`[${evidence.name}](${evidence.slug}.md)`, String(model.components.length), String(model.flows.length), String(model.keys.length)]);
  }
  docs.set(`${DIAGRAMS_DIR}/README.md`, [
    ...generatedHeader('Architecture diagrams', 'scripts/evidence/diagrams.ts'),
    `One diagram per stack of the default configuration (${stacks.map((s) => code(s.name)).join(', ')}), generated ` +
      'from the synthesized templates, so they show what is deployed, not what was meant to be.',
    '',
    ...table(['Stack', 'Components', 'Allowed flows', 'KMS keys'], rows, ['l', 'r', 'r', 'r']),
    '',
  ].join('\n'));
  return docs;
}
