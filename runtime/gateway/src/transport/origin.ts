/**
 * DNS-rebinding defence (MCP Streamable HTTP transport: servers MUST validate `Origin`).
 * A browser page on an attacker's domain that rebinds the gateway's name still sends its own
 * Origin on cross-origin requests, and its own Host on same-origin ones; both are checked.
 */
export class OriginPolicy {
  /** Builds the policy for a public URL plus extra origins; loopback names are allowed when bound locally. */
  static forPublicUrl(publicUrl: string, extraOrigins: readonly string[], localPort?: number): OriginPolicy {
    const url = new URL(publicUrl);
    const origins = [url.origin, ...extraOrigins];
    const hosts = [url.host];
    if (localPort !== undefined) {
      for (const name of ['127.0.0.1', 'localhost', '[::1]']) {
        hosts.push(`${name}:${localPort}`);
        origins.push(`http://${name}:${localPort}`);
      }
    }
    return new OriginPolicy(origins, hosts);
  }

  private readonly origins: ReadonlySet<string>;
  private readonly hosts: ReadonlySet<string>;

  /**
   * @param allowedOrigins exact origins (`scheme://host[:port]`) allowed in `Origin`.
   * @param allowedHosts `host[:port]` values allowed in `Host`.
   */
  constructor(allowedOrigins: readonly string[], allowedHosts: readonly string[]) {
    this.origins = new Set(allowedOrigins.map(normalizeOrigin).filter((o): o is string => o !== undefined));
    this.hosts = new Set(allowedHosts.map((h) => h.toLowerCase()));
  }

  /** Whether a request with these headers may proceed; an absent Origin is a non-browser client. */
  allows(origin: string | undefined, host: string | undefined): boolean {
    if (host === undefined || !this.hosts.has(host.toLowerCase())) return false;
    if (origin === undefined) return true;
    const normalized = normalizeOrigin(origin);
    return normalized !== undefined && this.origins.has(normalized);
  }
}

function normalizeOrigin(origin: string): string | undefined {
  if (origin === 'null') return undefined;
  try {
    const url = new URL(origin);
    return url.origin === 'null' ? undefined : url.origin;
  } catch {
    return undefined;
  }
}
