import { readFileSync } from 'fs';
import { stringify } from 'yaml';
import type { ToolDefinition } from '../types';
import { toolDefinitionHash } from './tool-hash';
import { isRecommendedToolName } from './tool-names';

const USAGE = `usage: pins-cli <upstream>=<tools.json> [<upstream>=<tools.json> …] [--json]

Prints the pinning.approved block that approves the tool definitions in each file, for a human
to review and paste into the gateway config. A file holds a tools/list result ({"tools": […]}),
a JSON-RPC response with that result, or a bare array of tools. "-" reads standard input.
Review every description before approving: a pin approves exactly what the model will read.`;

/** The tools of a `tools/list` result, a JSON-RPC response carrying one, or a bare array. */
export function toolsOf(document: unknown): ToolDefinition[] {
  const candidate = (document as { result?: unknown })?.result ?? document;
  const tools = Array.isArray(candidate) ? candidate : (candidate as { tools?: unknown })?.tools;
  if (!Array.isArray(tools) || !tools.every((t) => typeof (t as { name?: unknown })?.name === 'string')) {
    throw new Error('expected {"tools": [...]}, a JSON-RPC response with such a result, or an array of tools with names');
  }
  return tools as ToolDefinition[];
}

/** The config block approving tool lists: `pinning.approved.<upstream>.<tool>` = hash. */
export interface ApprovalBlock {
  readonly pinning: { readonly approved: Record<string, Record<string, string>> };
}

/** `{ pinning: { approved: { <upstream>: { <tool>: <hash> } } } }` for the given tool lists. */
export function approvalBlock(lists: Readonly<Record<string, readonly ToolDefinition[]>>): ApprovalBlock {
  const approved: Record<string, Record<string, string>> = {};
  for (const [upstream, tools] of Object.entries(lists)) {
    approved[upstream] = Object.fromEntries(tools.map((t) => [t.name, toolDefinitionHash(t)]));
  }
  return { pinning: { approved } };
}

/** Run the command; returns the exit status. */
export function main(argv: readonly string[], out: (text: string) => void = (t) => process.stdout.write(`${t}\n`), readStdin = () => readFileSync(0, 'utf8')): number {
  const json = argv.includes('--json');
  const specs = argv.filter((a) => a !== '--json');
  if (specs.length === 0 || specs.some((s) => !/^[^=]+=.+$/.test(s))) {
    out(USAGE);
    return 2;
  }
  const lists: Record<string, ToolDefinition[]> = {};
  const warnings: string[] = [];
  try {
    for (const spec of specs) {
      const [upstream, file] = [spec.slice(0, spec.indexOf('=')), spec.slice(spec.indexOf('=') + 1)];
      lists[upstream] = toolsOf(JSON.parse(file === '-' ? readStdin() : readFileSync(file, 'utf8')));
      for (const tool of lists[upstream]) {
        if (!isRecommendedToolName(tool.name)) warnings.push(`${upstream}/${JSON.stringify(tool.name)}: not a recommended tool name; the gateway quarantines it even when approved`);
      }
    }
  } catch (error) {
    out(`error: ${(error as Error).message}`);
    return 2;
  }
  const block = approvalBlock(lists);
  if (json) out(JSON.stringify(block, null, 2));
  else out([...warnings.map((w) => `# warning: ${w}`), stringify({ enforcement: block }).trimEnd()].join('\n'));
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
