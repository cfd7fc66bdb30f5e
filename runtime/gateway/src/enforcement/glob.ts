/**
 * Compile a glob where `*` matches any run of characters (including none) and every other
 * character matches itself. Anchored at both ends.
 */
export function compileGlob(pattern: string): RegExp {
  const body = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\/-]/g, '\\$&')).join('[\\s\\S]*');
  return new RegExp(`^${body}$`, 'u');
}

/** A bounded memo: when full it starts over, so attacker-chosen keys cannot grow memory. */
export class BoundedMemo<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly maxEntries: number) {}

  /** The cached value for `key`, computing and caching it when absent. */
  get(key: string, compute: () => V): V {
    const hit = this.entries.get(key);
    if (hit !== undefined) return hit;
    const value = compute();
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, value);
    return value;
  }

  /** Forget everything (after a configuration or pin change). */
  clear(): void {
    this.entries.clear();
  }
}
