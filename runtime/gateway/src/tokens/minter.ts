import { randomUUID } from 'node:crypto';
import { JWK } from 'jose';
import { TokenSigner } from './signer';

/** Options of {@link UpstreamTokenMinter}. */
export interface UpstreamTokenMinterOptions {
  readonly signer: TokenSigner;
  /** `iss` of minted tokens (the gateway). */
  readonly issuer: string;
  readonly ttlSeconds: number;
  /** A cached token is replaced once less than this remains. */
  readonly refreshBeforeSeconds: number;
  /** Bound on cached tokens; the oldest is dropped beyond it. @default 50000 */
  readonly maxEntries?: number;
  /** Clock in milliseconds; tests move it. */
  readonly now?: () => number;
}

interface Entry { readonly token: Promise<string>; readonly refreshAt: number }

/**
 * Mints the short-lived tokens the gateway presents upstream, instead of the client's token
 * (MCP forbids token passthrough). Each token is bound to one upstream by `aud`, carries the
 * caller as `sub` and the gateway as actor (`act`, RFC 8693), and lives `ttlSeconds`.
 *
 * Signing may be a KMS network call, so tokens are cached per (subject, upstream audience) until
 * `refreshBeforeSeconds` before expiry, and concurrent requests share one in-flight signature.
 */
export class UpstreamTokenMinter {
  private readonly cache = new Map<string, Entry>();
  private readonly now: () => number;
  private readonly maxEntries: number;

  constructor(private readonly options: UpstreamTokenMinterOptions) {
    this.now = options.now ?? Date.now;
    this.maxEntries = options.maxEntries ?? 50_000;
  }

  /** A valid token for `subject` at the upstream identified by `audience`. */
  tokenFor(subject: string, audience: string): Promise<string> {
    const key = `${subject}\n${audience}`;
    const now = this.now();
    const cached = this.cache.get(key);
    if (cached !== undefined && now < cached.refreshAt) return cached.token;

    const token = this.mint(subject, audience, now);
    const entry: Entry = { token, refreshAt: now + (this.options.ttlSeconds - this.options.refreshBeforeSeconds) * 1000 };
    this.cache.delete(key);
    this.cache.set(key, entry);
    if (this.cache.size > this.maxEntries) this.cache.delete(this.cache.keys().next().value as string);
    // A failed signature is not cached: the next request tries again.
    token.catch(() => { if (this.cache.get(key) === entry) this.cache.delete(key); });
    return token;
  }

  /** The JWKS upstreams use to verify minted tokens (served at `/.well-known/jwks.json`). */
  async jwks(): Promise<{ keys: JWK[] }> {
    return { keys: [await this.options.signer.publicJwk()] };
  }

  private async mint(subject: string, audience: string, now: number): Promise<string> {
    const jwk = await this.options.signer.publicJwk();
    const iat = Math.floor(now / 1000);
    const header = { alg: 'ES256', typ: 'JWT', kid: jwk.kid };
    const payload = {
      iss: this.options.issuer,
      sub: subject,
      aud: audience,
      iat,
      nbf: iat,
      exp: iat + this.options.ttlSeconds,
      jti: randomUUID(),
      act: { sub: this.options.issuer },
    };
    const signingInput = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(payload))}`;
    const signature = await this.options.signer.sign(Buffer.from(signingInput, 'ascii'));
    return `${signingInput}.${Buffer.from(signature).toString('base64url')}`;
  }
}

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
