/**
 * Canonical JSON in the spirit of RFC 8785 (JCS): object keys sorted by UTF-16 code units, no
 * whitespace, strings and numbers as `JSON.stringify` writes them (which is what JCS specifies
 * for IEEE 754 numbers). Strings are not Unicode-normalised: a definition that changed by one
 * code point must hash differently. Values JSON cannot hold follow `JSON.stringify` (dropped in
 * objects, `null` in arrays; non-finite numbers become `null`); a bigint is written as its
 * decimal digits. Throws on a cycle.
 */
export function canonicalJson(value: unknown): string {
  return write(value, undefined);
}

/** The set of ancestors is created at the first object: a string or number is written without one. */
function write(value: unknown, outer: Set<object> | undefined): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'object':
      break;
    default:
      return 'null';
  }
  if (value === null) return 'null';
  const ancestors = outer ?? new Set<object>();
  if (ancestors.has(value)) throw new TypeError('canonicalJson: cyclic structure');
  ancestors.add(value);
  try {
    // Plain loops and string concatenation: this runs for every audit record and tool hash.
    if (Array.isArray(value)) {
      let out = '[';
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        out += (i === 0 ? '' : ',') + (representable(item) ? write(item, ancestors) : 'null');
      }
      return `${out}]`;
    }
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (!sorted(keys)) keys.sort(compareCodeUnits);
    let out = '{';
    for (const key of keys) {
      const member = record[key];
      if (!representable(member)) continue;
      out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${write(member, ancestors)}`;
    }
    return `${out}}`;
  } finally {
    ancestors.delete(value);
  }
}

function representable(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
}

function sorted(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1] > keys[i]) return false;
  return true;
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
