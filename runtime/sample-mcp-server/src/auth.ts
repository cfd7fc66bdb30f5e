import { createRemoteJWKSet, JWTPayload, jwtVerify } from 'jose';

/** How the sample server checks the tokens the security gateway mints for it. */
export interface GatewayTokenVerifierOptions {
  /** The gateway's JWKS URL (`/.well-known/jwks.json`). */
  readonly jwksUrl: URL;
  /** The gateway's issuer identifier. */
  readonly issuer: string;
  /** This server's own audience: tokens minted for other upstreams are refused. */
  readonly audience: string;
}

/** Thrown when a request carries no valid gateway-minted token. */
export class UnauthorizedError extends Error {}

/**
 * Defense in depth: even on a private network, the server accepts only short-lived ES256
 * tokens minted by the gateway for this server's audience, never the client's own token.
 */
export function gatewayTokenVerifier(options: GatewayTokenVerifierOptions): (authorization: string | undefined) => Promise<JWTPayload> {
  const jwks = createRemoteJWKSet(options.jwksUrl, { cooldownDuration: 30_000, cacheMaxAge: 600_000 });
  return async (authorization) => {
    const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(authorization ?? '');
    if (!match) throw new UnauthorizedError('missing bearer token');
    try {
      const { payload } = await jwtVerify(match[1], jwks, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ['ES256'],
        maxTokenAge: '15m',
        clockTolerance: 5,
      });
      return payload;
    } catch (error) {
      throw new UnauthorizedError(`invalid token: ${(error as Error).message}`);
    }
  };
}
