import { createHash } from 'node:crypto';
import { createLocalJWKSet, createRemoteJWKSet, errors, JSONWebKeySet, JWTPayload, jwtVerify } from 'jose';

/** The authenticated caller, taken from a verified access token. */
export interface Principal {
  /** `sub` claim. */
  readonly subject: string;
  /** Scopes from `scope` (space separated) or `scp` (array or string). */
  readonly scopes: readonly string[];
  /** `client_id` or `azp` claim, when present. */
  readonly clientId?: string;
  /** `exp` claim, seconds since the epoch. */
  readonly expiresAt: number;
}

/** Raised for any token the gateway does not accept; `description` is safe to return to clients. */
export class InvalidTokenError extends Error {
  constructor(readonly description: string) {
    super(description);
    this.name = 'InvalidTokenError';
  }
}

/** Options of {@link AccessTokenVerifier}. */
export interface AccessTokenVerifierOptions {
  /** Exact expected `iss`. */
  readonly issuer: string;
  /** Expected `aud`; `undefined` disables the audience check (development mode only). */
  readonly audience: string | undefined;
  /** Accepted JWS algorithms (asymmetric only; the schema makes `none` and HS* unrepresentable). */
  readonly algorithms: readonly string[];
  readonly clockSkewSeconds: number;
  /** Remote JWKS endpoint of the authorization server. */
  readonly jwksUri?: string;
  /** Inline key set, instead of `jwksUri`. */
  readonly jwks?: { keys: ReadonlyArray<Record<string, unknown>> };
  /** How long a fetched JWKS is trusted before it is fetched again. */
  readonly jwksCacheSeconds: number;
  /** Minimum time between two fetches triggered by an unknown `kid` (rotation). */
  readonly jwksCooldownSeconds: number;
  /** Upper bound on how long a verified token is remembered; verification is skipped meanwhile. */
  readonly verifiedCacheSeconds?: number;
}

const SYMMETRIC = /^HS/;
const VERIFIED_CACHE_LIMIT = 10_000;

/**
 * OAuth 2.1 resource-server token validation with jose: signature against the issuer's JWKS
 * (fetched, cached, and refetched on an unknown `kid` so key rotation needs no restart), an
 * algorithm allow-list, issuer, audience, `exp` and `nbf` with a small clock skew, and `sub`.
 */
export class AccessTokenVerifier {
  private readonly keys: ReturnType<typeof createRemoteJWKSet> | ReturnType<typeof createLocalJWKSet>;
  /** Tokens already verified, by SHA-256 of the token, so a hot client costs one hash per call. */
  private readonly verified = new Map<string, { principal: Principal; until: number }>();

  constructor(private readonly options: AccessTokenVerifierOptions) {
    const bad = options.algorithms.filter((a) => a === 'none' || SYMMETRIC.test(a));
    if (bad.length > 0 || options.algorithms.length === 0) {
      throw new Error(`algorithms must be a non-empty list of asymmetric JWS algorithms, got ${JSON.stringify(options.algorithms)}`);
    }
    if (options.jwksUri !== undefined) {
      this.keys = createRemoteJWKSet(new URL(options.jwksUri), {
        cacheMaxAge: options.jwksCacheSeconds * 1000,
        cooldownDuration: options.jwksCooldownSeconds * 1000,
        timeoutDuration: 5000,
      });
    } else if (options.jwks !== undefined) {
      this.keys = createLocalJWKSet(options.jwks as JSONWebKeySet);
    } else {
      throw new Error('one of jwksUri or jwks is required');
    }
  }

  /** Verifies `token` and returns its principal; throws {@link InvalidTokenError} otherwise. */
  async verify(token: string, now: number = Date.now()): Promise<Principal> {
    const digest = createHash('sha256').update(token).digest('base64url');
    const hit = this.verified.get(digest);
    if (hit !== undefined && now < hit.until) return hit.principal;
    if (hit !== undefined) this.verified.delete(digest);

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: [...this.options.algorithms],
        clockTolerance: this.options.clockSkewSeconds,
        requiredClaims: ['exp', 'sub'],
        currentDate: new Date(now),
      }));
    } catch (error) {
      throw new InvalidTokenError(describe(error));
    }
    const principal: Principal = {
      subject: String(payload.sub),
      scopes: scopesOf(payload),
      clientId: stringClaim(payload.client_id) ?? stringClaim(payload.azp),
      expiresAt: payload.exp as number,
    };
    const cacheFor = (this.options.verifiedCacheSeconds ?? 60) * 1000;
    const until = Math.min(now + cacheFor, (principal.expiresAt + this.options.clockSkewSeconds) * 1000);
    if (this.verified.size >= VERIFIED_CACHE_LIMIT) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(digest, { principal, until });
    return principal;
  }
}

function scopesOf(payload: JWTPayload): string[] {
  const raw = payload.scope ?? payload.scp;
  if (typeof raw === 'string') return raw.split(' ').filter((s) => s.length > 0);
  if (Array.isArray(raw)) return raw.filter((s): s is string => typeof s === 'string');
  return [];
}

function stringClaim(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Maps jose errors to short descriptions that reveal nothing about keys or configuration. */
function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'token expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `token claim "${error.claim}" is invalid`;
  if (error instanceof errors.JOSEAlgNotAllowed) return 'token signing algorithm is not allowed';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'token signature is invalid';
  if (error instanceof errors.JWKSNoMatchingKey) return 'token signing key is unknown';
  if (error instanceof errors.JWKSTimeout) return 'token signing keys are unavailable';
  return 'token is malformed or invalid';
}
