import { cedar } from './cedar-engine';

/** The context attributes a policy set reads, or `'all'` when it uses `context` as a whole. */
export type ContextUsage = ReadonlySet<string> | 'all';

/**
 * Which context attributes the policies can observe: those read as `context.<attr>` or tested
 * with `context has <attr>`. Any other use of `context` (comparing or passing the whole record)
 * counts as reading everything. Attributes no policy reads cannot change a decision, so they can
 * be left out of a decision-cache key.
 */
export function contextUsage(policies: Iterable<string>): ContextUsage {
  const used = new Set<string>();
  for (const text of policies) {
    const json = cedar.policyToJson(text);
    if (json.type === 'failure') return 'all';
    for (const clause of json.json.conditions) {
      if (!collect(clause.body, used)) return 'all';
    }
  }
  return used;
}

/** Walks an expression; false when `context` is used other than through an attribute. */
function collect(node: unknown, used: Set<string>): boolean {
  if (Array.isArray(node)) return node.every((child) => collect(child, used));
  if (typeof node !== 'object' || node === null) return true;
  const record = node as Record<string, unknown>;
  if (record.Var === 'context') return false;
  for (const op of ['.', 'has'] as const) {
    const access = record[op] as { left?: { Var?: unknown }; attr?: unknown } | undefined;
    if (access?.left?.Var === 'context') {
      // `has` may name a path (`context has a.b`): the first element is the context attribute.
      const attr = Array.isArray(access.attr) ? access.attr[0] : access.attr;
      if (typeof attr !== 'string') return false;
      used.add(attr);
      return true;
    }
  }
  // A literal value cannot mention the context variable; skip walking it.
  if ('Value' in record) return true;
  return Object.values(record).every((child) => collect(child, used));
}
