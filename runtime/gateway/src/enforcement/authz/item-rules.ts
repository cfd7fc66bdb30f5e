import type { EnforcementConfig } from '../config';
import { BoundedMemo, compileGlob } from '../glob';
import type { ListKind } from '../types';

/** What the configuration says about one tool, resource or prompt. */
export interface ItemProfile {
  readonly groups: string[];
  /** Union of the scopes of every matching rule; the kind's default scopes when none give any. */
  readonly requiredScopes: string[];
  /** Set only when a rule says so; otherwise the pinned annotations decide. */
  readonly destructive?: boolean;
}

type Rule = EnforcementConfig['authorization']['rules'][number];

/** Applies `authorization.rules` to items: every matching rule contributes. */
export class ItemRules {
  private readonly rules: ReadonlyArray<Rule & { readonly pattern: RegExp }>;
  private readonly memo = new BoundedMemo<ItemProfile>(10_000);

  constructor(rules: readonly Rule[], private readonly defaults: Readonly<Record<ListKind, readonly string[]>>) {
    this.rules = rules.map((rule) => ({ ...rule, pattern: compileGlob(rule.match) }));
  }

  /** The profile of `<upstream>/<name>` (name is the tool or prompt name, or the resource URI). */
  profile(kind: ListKind, upstream: string, name: string): ItemProfile {
    return this.memo.get(`${kind}\u0000${upstream}\u0000${name}`, () => {
      const key = `${upstream}/${name}`;
      const groups = new Set<string>();
      const scopes = new Set<string>();
      let destructive: boolean | undefined;
      for (const rule of this.rules) {
        if (rule.kind !== kind || !rule.pattern.test(key)) continue;
        rule.groups.forEach((g) => groups.add(g));
        rule.requiredScopes.forEach((s) => scopes.add(s));
        if (rule.destructive !== undefined) destructive = rule.destructive;
      }
      const requiredScopes = scopes.size > 0 ? [...scopes].sort() : [...this.defaults[kind]];
      return { groups: [...groups].sort(), requiredScopes, destructive };
    });
  }
}
