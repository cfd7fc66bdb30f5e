/** Separator between upstream and item name on the aggregated endpoint (upstream names contain no `_`). */
export const PREFIX_SEPARATOR = '__';

/** An item name as the upstream knows it, with the upstream it belongs to. */
export interface QualifiedName {
  readonly upstream: string;
  readonly name: string;
}

/** `github` + `create_issue` → `github__create_issue`. */
export function prefixed(upstream: string, name: string): string {
  return `${upstream}${PREFIX_SEPARATOR}${name}`;
}

/** Splits a prefixed name; `undefined` when it carries no known prefix. */
export function unprefixed(exposed: string): QualifiedName | undefined {
  const at = exposed.indexOf(PREFIX_SEPARATOR);
  if (at <= 0) return undefined;
  return { upstream: exposed.slice(0, at), name: exposed.slice(at + PREFIX_SEPARATOR.length) };
}

/**
 * Ids of server-initiated requests (sampling, elicitation, roots) are rewritten to
 * `<upstream>/<original id as JSON>` on their way to the client, so the client's response can be
 * routed back to the right upstream by whichever replica receives it, with no shared state.
 */
export function serverRequestId(upstream: string, id: string | number): string {
  return `${upstream}/${JSON.stringify(id)}`;
}

/** Inverse of {@link serverRequestId}; `undefined` for ids the gateway did not issue. */
export function parseServerRequestId(id: string | number): { upstream: string; id: string | number } | undefined {
  if (typeof id !== 'string') return undefined;
  const at = id.indexOf('/');
  if (at <= 0) return undefined;
  try {
    const original: unknown = JSON.parse(id.slice(at + 1));
    if (typeof original !== 'string' && typeof original !== 'number') return undefined;
    return { upstream: id.slice(0, at), id: original };
  } catch {
    return undefined;
  }
}
