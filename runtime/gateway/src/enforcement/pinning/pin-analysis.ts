import type { Finding, ToolDefinition } from '../types';
import { toolDefinitionHash } from './tool-hash';
import { nameSkeleton } from './tool-names';

/** A tool as another upstream currently lists it. */
export interface ListedTool {
  readonly upstream: string;
  readonly name: string;
}

function finding(
  detector: string,
  category: Finding['category'],
  severity: Finding['severity'],
  quarantines: boolean,
  location: string,
  message: string,
): Finding {
  return { detector, category, severity, action: quarantines ? 'block' : 'flag', location, message };
}

/**
 * Renames and copies: an unapproved tool whose definition, under an approved tool's name,
 * hashes to that tool's approved hash. Works from the config alone (no stored definitions):
 * the name is the only field that differs, so substituting it back reproduces the pin.
 */
export function findRenames(
  upstream: string,
  unapproved: readonly ToolDefinition[],
  approved: ReadonlyMap<string, ReadonlySet<string>>,
  listed: ReadonlySet<string>,
): { findings: Finding[]; renamedFrom: Set<string> } {
  const findings: Finding[] = [];
  const renamedFrom = new Set<string>();
  for (const tool of unapproved) {
    for (const [approvedName, hashes] of approved) {
      if (approvedName === tool.name || !hashes.has(toolDefinitionHash({ ...tool, name: approvedName }))) continue;
      const location = `tool:${upstream}/${tool.name}`;
      if (listed.has(approvedName)) {
        findings.push(finding('tool-copy', 'pinning', 'medium', true, location, `"${tool.name}" is a copy of approved tool "${approvedName}" under a new name`));
      } else {
        renamedFrom.add(approvedName);
        findings.push(finding('tool-renamed', 'pinning', 'high', true, location, `approved tool "${approvedName}" was renamed to "${tool.name}"; the new name needs approval`));
      }
    }
  }
  return { findings, renamedFrom };
}

/**
 * Shadowing: names that read the same (same skeleton: case, separators, look-alike characters)
 * within this upstream or across upstreams. Reported, not quarantined by itself: aggregate
 * prefixes keep routing unambiguous, but a model choosing by description can still be misled.
 */
export function findShadowing(upstream: string, names: readonly string[], others: readonly ListedTool[]): Finding[] {
  const findings: Finding[] = [];
  const bySkeleton = new Map<string, ListedTool[]>();
  for (const other of others) {
    const key = nameSkeleton(other.name);
    bySkeleton.set(key, [...(bySkeleton.get(key) ?? []), other]);
  }
  const own = new Map<string, string>();
  for (const name of names) {
    const key = nameSkeleton(name);
    const location = `tool:${upstream}/${name}`;
    const sibling = own.get(key);
    if (sibling !== undefined && sibling !== name) {
      findings.push(finding('tool-shadowing', 'shadowing', 'medium', false, location, `"${name}" reads the same as "${sibling}" of the same upstream`));
    }
    own.set(key, name);
    for (const other of bySkeleton.get(key) ?? []) {
      const how = other.name === name ? 'has the same name as' : 'reads the same as';
      findings.push(finding('tool-shadowing', 'shadowing', 'medium', false, location, `"${name}" ${how} "${other.name}" of upstream "${other.upstream}"`));
    }
  }
  return findings;
}

export { finding as pinFinding };
