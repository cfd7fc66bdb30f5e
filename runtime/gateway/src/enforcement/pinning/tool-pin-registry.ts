import type { ToolFacts } from '../authz/request-builder';
import type { EnforcementConfig } from '../config';
import type { ValueInspector } from '../guardrails/value-inspector';
import type { Finding, PinResult, PinStatus, ToolDefinition, ToolPin } from '../types';
import { ListedTool, findRenames, findShadowing, pinFinding } from './pin-analysis';
import { annotatedDestructive, toolDefinitionHash } from './tool-hash';
import { isRecommendedToolName } from './tool-names';

interface PinnedTool extends ToolFacts {
  readonly status: PinStatus;
}

/**
 * Holds the pin state of every upstream's tools. A tool is visible and callable only when its
 * definition hash is approved in config, its name is well-formed and unambiguous, and its
 * description passed the guardrails; everything else is quarantined. Tools never listed by an
 * upstream have no facts, and callers must treat them as quarantined.
 */
export class ToolPinRegistry {
  private readonly state = new Map<string, Map<string, PinnedTool>>();
  /** Aggregate name (`<upstream><sep><tool>`) → the tools that produce it; more than one is a collision. */
  private readonly aggregate = new Map<string, Set<string>>();

  constructor(private readonly config: EnforcementConfig['pinning'], private readonly descriptions: ValueInspector) {}

  /** Facts for authorization, or undefined when the upstream never listed the tool. */
  facts(upstream: string, name: string): ToolFacts | undefined {
    const pinned = this.state.get(upstream)?.get(name);
    if (!pinned) return undefined;
    const colliding = (this.aggregate.get(this.aggregateName(upstream, name))?.size ?? 0) > 1;
    return colliding ? { ...pinned, quarantined: true } : pinned;
  }

  /** Pin an upstream's current tool list (replacing what it listed before). */
  pin<T extends ToolDefinition>(upstream: string, tools: T[]): PinResult<T> {
    const approved = this.approvedFor(upstream);
    const findings: Finding[] = [];
    const pins: ToolPin[] = [];
    const visible: T[] = [];
    const next = new Map<string, PinnedTool>();
    const counts = new Map<string, number>();
    tools.forEach((t) => counts.set(t.name, (counts.get(t.name) ?? 0) + 1));
    this.reindex(upstream, tools.map((t) => t.name));

    for (const tool of tools) {
      const location = `tool:${upstream}/${tool.name}`;
      const hash = safeHash(tool);
      const approvedHashes = approved.get(tool.name);
      let status: PinStatus = hash && approvedHashes?.has(hash) ? 'approved' : approvedHashes ? 'drifted' : 'new';
      const reasons: string[] = [];
      if (status === 'drifted') {
        reasons.push('definition changed since approval');
        const message = `definition of "${tool.name}" changed: ${hash} is not an approved hash`;
        findings.push(pinFinding('tool-drift', 'pinning', 'high', this.enforcing, location, message));
      } else if (status === 'new') {
        reasons.push('definition not approved');
        findings.push(pinFinding('tool-new', 'pinning', 'medium', this.enforcing, location, `"${tool.name}" (${hash}) is not approved`));
      }
      // Reasons no approval overrides, in report mode too.
      const hard: string[] = [];
      if (!hash) hard.push('definition cannot be hashed');
      if (!isRecommendedToolName(tool.name)) {
        hard.push('name outside A-Z a-z 0-9 _ - . or longer than 128');
        findings.push(pinFinding('invalid-tool-name', 'shadowing', 'high', true, location, `name ${JSON.stringify(tool.name)} is not a recommended MCP tool name`));
      }
      if ((counts.get(tool.name) ?? 0) > 1) hard.push('listed more than once');
      const aggregateName = this.aggregateName(upstream, tool.name);
      if ((this.aggregate.get(aggregateName)?.size ?? 0) > 1) {
        hard.push('aggregate name collides with another upstream\'s tool');
        findings.push(pinFinding('prefix-collision', 'shadowing', 'high', true, location, `aggregate name "${aggregateName}" is produced by more than one upstream tool`));
      }
      const scan = this.descriptions.inspect(pinnedFields(tool), location);
      findings.push(...scan.findings);
      if (scan.blocked) {
        status = 'blocked';
        hard.push('description failed the guardrails');
      }
      reasons.push(...hard);
      const quarantined = hard.length > 0 || (status !== 'approved' && this.enforcing);
      next.set(tool.name, { definitionHash: hash ?? '', quarantined, annotatedDestructive: annotatedDestructive(tool), status });
      pins.push({ upstream, name: tool.name, hash: hash ?? '', status, quarantined, reasons });
      if (!quarantined) visible.push(scan.result === pinnedFields(tool) ? tool : { ...tool, ...(scan.result as object) });
    }

    const listed = new Set(tools.map((t) => t.name));
    const unapproved = tools.filter((t) => next.get(t.name)?.status !== 'approved');
    const renames = findRenames(upstream, unapproved, approved, listed);
    findings.push(...renames.findings);
    for (const name of approved.keys()) {
      if (!listed.has(name) && !renames.renamedFrom.has(name)) {
        findings.push(pinFinding('tool-removed', 'pinning', 'low', false, `tool:${upstream}/${name}`, `approved tool "${name}" is no longer listed`));
      }
    }
    findings.push(...findShadowing(upstream, tools.map((t) => t.name), this.listedElsewhere(upstream)));
    this.state.set(upstream, next);
    const approvalSnippet = { [upstream]: Object.fromEntries(pins.filter((p) => p.hash).map((p) => [p.name, p.hash])) };
    return { tools: visible, pins, findings, approvalSnippet };
  }

  private get enforcing(): boolean {
    return this.config.mode === 'enforce';
  }

  private approvedFor(upstream: string): Map<string, Set<string>> {
    const entries = Object.entries(this.config.approved[upstream] ?? {});
    return new Map(entries.map(([name, hashes]) => [name, new Set(typeof hashes === 'string' ? [hashes] : hashes)]));
  }

  private aggregateName(upstream: string, name: string): string {
    return `${upstream}${this.config.prefixSeparator}${name}`;
  }

  /** Replace this upstream's entries in the aggregate-name index. */
  private reindex(upstream: string, names: readonly string[]): void {
    for (const old of this.state.get(upstream)?.keys() ?? []) {
      const owners = this.aggregate.get(this.aggregateName(upstream, old));
      owners?.delete(`${upstream}\u0000${old}`);
      if (owners?.size === 0) this.aggregate.delete(this.aggregateName(upstream, old));
    }
    for (const name of names) {
      const key = this.aggregateName(upstream, name);
      this.aggregate.set(key, (this.aggregate.get(key) ?? new Set()).add(`${upstream}\u0000${name}`));
    }
  }

  private listedElsewhere(upstream: string): ListedTool[] {
    return [...this.state].filter(([u]) => u !== upstream).flatMap(([u, tools]) => [...tools.keys()].map((name) => ({ upstream: u, name })));
  }
}

const pinnedFieldsCache = new WeakMap<object, Record<string, unknown>>();

/** The fields scanned for poisoning: everything a model reads except the name (checked separately). */
function pinnedFields(tool: ToolDefinition): Record<string, unknown> {
  let fields = pinnedFieldsCache.get(tool);
  if (!fields) {
    fields = {};
    for (const key of ['title', 'description', 'inputSchema', 'outputSchema', 'annotations'] as const) {
      if (tool[key] !== undefined) fields[key] = tool[key];
    }
    pinnedFieldsCache.set(tool, fields);
  }
  return fields;
}

function safeHash(tool: ToolDefinition): string | undefined {
  try {
    return toolDefinitionHash(tool);
  } catch {
    return undefined;
  }
}
