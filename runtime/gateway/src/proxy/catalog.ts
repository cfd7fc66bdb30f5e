import { UriTemplate } from '@modelcontextprotocol/sdk/shared/uriTemplate.js';

/**
 * Remembers when this replica last pinned each upstream's tool list. A call may reach a
 * replica that never listed the upstream; the proxy then lists and pins before authorizing,
 * so a quarantined or never-seen tool is uncallable on every replica.
 */
export class PinnedCatalog {
  private readonly pinnedAt = new Map<string, number>();

  constructor(private readonly maxAgeMs: number = 60_000, private readonly now: () => number = Date.now) {}

  /** Whether `upstream`'s tools were pinned within the freshness window. */
  isFresh(upstream: string): boolean {
    const at = this.pinnedAt.get(upstream);
    return at !== undefined && this.now() - at < this.maxAgeMs;
  }

  /** Records a pinning of `upstream`'s current list. */
  markPinned(upstream: string): void {
    this.pinnedAt.set(upstream, this.now());
  }

  /** Forgets a pinning (the upstream announced `notifications/tools/list_changed`). */
  invalidate(upstream: string): void {
    this.pinnedAt.delete(upstream);
  }
}

/**
 * Routes resource URIs to upstreams on the aggregated endpoint. URIs are not prefixed (they are
 * addresses, and rewriting them would break templates and links inside content), so the
 * gateway learns which upstream listed which URI or template. Bounded; oldest entries go first.
 */
export class ResourceRoutes {
  private readonly exact = new Map<string, Set<string>>();
  private readonly templates = new Map<string, Array<{ template: UriTemplate; source: string }>>();

  constructor(private readonly maxEntries = 100_000) {}

  /** Records the URIs an upstream listed. */
  learnResources(upstream: string, uris: readonly string[]): void {
    for (const uri of uris) {
      const owners = this.exact.get(uri) ?? new Set<string>();
      owners.add(upstream);
      this.exact.delete(uri);
      this.exact.set(uri, owners);
      if (this.exact.size > this.maxEntries) this.exact.delete(this.exact.keys().next().value as string);
    }
  }

  /** Records the URI templates an upstream listed (replacing its previous set). */
  learnTemplates(upstream: string, templates: readonly string[]): void {
    const parsed: Array<{ template: UriTemplate; source: string }> = [];
    for (const source of templates.slice(0, 1000)) {
      try {
        parsed.push({ template: new UriTemplate(source), source });
      } catch {
        // A template the SDK cannot parse cannot be routed; reads of it fail as not found.
      }
    }
    this.templates.set(upstream, parsed);
  }

  /**
   * Upstreams that may serve `uri`, among `members`: exact matches first, else template matches.
   * More than one is shadowing; the caller refuses to guess.
   */
  lookup(uri: string, members: readonly string[]): string[] {
    const owners = [...(this.exact.get(uri) ?? [])].filter((o) => members.includes(o));
    if (owners.length > 0) return owners;
    return members.filter((m) => (this.templates.get(m) ?? []).some(({ template, source }) => source === uri || safeMatch(template, uri)));
  }
}

function safeMatch(template: UriTemplate, uri: string): boolean {
  try {
    return template.match(uri) !== null;
  } catch {
    return false;
  }
}
