import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** What a gateway session carries between requests, so any replica can serve any request. */
export interface SessionState {
  /** Random 128-bit session identifier (base64url); the unit of termination. */
  readonly sid: string;
  /** Subject the session is bound to; another subject presenting it gets 404. */
  readonly sub: string;
  /** Endpoint the session belongs to: `*` for the aggregated endpoint, else an upstream name. */
  readonly ep: string;
  /** Issued and expiry times, seconds since the epoch. */
  readonly iat: number;
  readonly exp: number;
  /** Protocol version negotiated with the client. */
  readonly pv: string;
  /** Per upstream: its session id (`s`) and negotiated protocol version (`v`). */
  readonly up: Readonly<Record<string, { readonly s?: string; readonly v?: string }>>;
}

const VERSION = 'v1';
const AAD = Buffer.from('mcp-security-gateway/session/v1');
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Session ids longer than this are refused before any decryption work. */
export const MAX_SESSION_ID_LENGTH = 4096;
const OPENED_CACHE_LIMIT = 10_000;

/**
 * Seals {@link SessionState} into the `Mcp-Session-Id` value: AES-256-GCM with a fresh 96-bit IV,
 * `v1.` + base64url(iv | ciphertext | tag) — visible ASCII as the transport spec requires. The
 * state is encrypted (it holds upstream session ids) and authenticated (a client cannot rebind it
 * to another subject or upstream session).
 *
 * Keys are derived once with HKDF-SHA256 from the configured key material: the material is
 * already high-entropy, so a password hash such as PBKDF2 would add only per-request cost.
 */
export class SessionCodec {
  /** A new random session identifier. */
  static newSid(): string {
    return randomBytes(16).toString('base64url');
  }

  private readonly keys: readonly Buffer[];
  /** Recently opened session ids; a session's requests skip the AES-GCM work after the first. */
  private readonly opened = new Map<string, SessionState>();

  /**
   * @param current key material (at least 32 bytes) used for sealing and opening.
   * @param previous older key material still accepted for opening, during rotation.
   */
  constructor(current: Uint8Array, previous: readonly Uint8Array[] = []) {
    for (const material of [current, ...previous]) {
      if (material.length < 32) throw new Error(`session key material must be at least 32 bytes, got ${material.length}`);
    }
    this.keys = [current, ...previous].map((material) =>
      Buffer.from(hkdfSync('sha256', material, 'mcp-security-gateway', 'session-token/v1', 32)));
  }

  /** Encrypts `state` into an opaque session id. */
  seal(state: SessionState): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys[0], iv);
    cipher.setAAD(AAD);
    const body = Buffer.concat([cipher.update(JSON.stringify(state), 'utf8'), cipher.final()]);
    return `${VERSION}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
  }

  /** Decrypts a session id; `undefined` for anything forged, truncated, or sealed with an unknown key. */
  open(token: string): SessionState | undefined {
    const cached = this.opened.get(token);
    if (cached !== undefined) return cached;
    const state = this.decrypt(token);
    if (state !== undefined) {
      // Only authentic ids are cached, so garbage cannot evict live sessions faster than they arrive.
      if (this.opened.size >= OPENED_CACHE_LIMIT) this.opened.delete(this.opened.keys().next().value as string);
      this.opened.set(token, state);
    }
    return state;
  }

  private decrypt(token: string): SessionState | undefined {
    if (token.length > MAX_SESSION_ID_LENGTH || !token.startsWith(`${VERSION}.`)) return undefined;
    const raw = Buffer.from(token.slice(VERSION.length + 1), 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES + 2) return undefined;
    const iv = raw.subarray(0, IV_BYTES);
    const tag = raw.subarray(raw.length - TAG_BYTES);
    const body = raw.subarray(IV_BYTES, raw.length - TAG_BYTES);
    for (const key of this.keys) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(AAD);
        decipher.setAuthTag(tag);
        const plain = Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
        return asSessionState(JSON.parse(plain));
      } catch {
        // Wrong key or tampered token: try the next key, then give up.
      }
    }
    return undefined;
  }
}

function asSessionState(value: unknown): SessionState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const s = value as Record<string, unknown>;
  const ok = typeof s.sid === 'string' && typeof s.sub === 'string' && typeof s.ep === 'string'
    && typeof s.iat === 'number' && typeof s.exp === 'number' && typeof s.pv === 'string'
    && typeof s.up === 'object' && s.up !== null;
  return ok ? (s as unknown as SessionState) : undefined;
}
