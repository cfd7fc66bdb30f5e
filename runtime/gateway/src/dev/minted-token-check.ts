import { createLocalJWKSet, createRemoteJWKSet, JSONWebKeySet, jwtVerify } from 'jose';

/**
 * What an upstream does with the gateway's tokens: verify them against the gateway's JWKS, with
 * the upstream's own audience. The client's token (audience: the gateway) fails this check,
 * which is how the tests prove there is no token passthrough.
 */
export function mintedTokenCheck(options: {
  jwks: string | JSONWebKeySet;
  issuer: string;
  audience: string;
}): (authorization: string | undefined) => Promise<void> {
  const keys = typeof options.jwks === 'string' ? createRemoteJWKSet(new URL(options.jwks)) : createLocalJWKSet(options.jwks);
  return async (authorization) => {
    const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    if (token === undefined) throw new Error('missing token');
    await jwtVerify(token, keys, { issuer: options.issuer, audience: options.audience, algorithms: ['ES256'] });
  };
}
