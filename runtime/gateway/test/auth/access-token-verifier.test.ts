import { AccessTokenVerifier } from '../../src/auth/access-token-verifier';
import { DevIssuer } from '../../src/dev/dev-issuer';

describe('access token verification', () => {
  test('fetches the remote JWKS once, caches it, and picks up a rotated key without restart', async () => {
    const first = await DevIssuer.create('https://issuer.test', 'key-1');
    const second = await DevIssuer.create('https://issuer.test', 'key-2');
    let fetches = 0;
    let keys = first.jwks.keys;
    const jwksUri = await first.serveJwks(() => {
      fetches++;
      return { keys };
    });
    const verifier = new AccessTokenVerifier({ issuer: 'https://issuer.test', audience: 'https://gw', algorithms: ['ES256'], clockSkewSeconds: 30, jwksUri, jwksCacheSeconds: 600, jwksCooldownSeconds: 0, verifiedCacheSeconds: 0 });
    for (let i = 0; i < 5; i++) {
      await expect(verifier.verify(await first.issue({ subject: `u${i}`, audience: 'https://gw', scopes: ['a', 'b'] }))).resolves.toMatchObject({ subject: `u${i}`, scopes: ['a', 'b'] });
    }
    expect(fetches).toBe(1);
    keys = [...first.jwks.keys, ...second.jwks.keys];
    await expect(verifier.verify(await second.issue({ subject: 'rotated', audience: 'https://gw' }))).resolves.toMatchObject({ subject: 'rotated' });
    expect(fetches).toBe(2);
    await first.close();
  });

  test('fails to construct with a symmetric or none algorithm', () => {
    const base = { issuer: 'i', audience: 'a', clockSkewSeconds: 0, jwks: { keys: [{}] }, jwksCacheSeconds: 0, jwksCooldownSeconds: 0 };
    expect(() => new AccessTokenVerifier({ ...base, algorithms: ['HS256'] })).toThrow('algorithms must be a non-empty list of asymmetric JWS algorithms, got ["HS256"]');
    expect(() => new AccessTokenVerifier({ ...base, algorithms: ['none'] })).toThrow('asymmetric');
  });

  test('accepts a token expired less than the clock skew ago and refuses it beyond', async () => {
    const issuer = await DevIssuer.create('https://issuer.test');
    const verifier = new AccessTokenVerifier({ issuer: 'https://issuer.test', audience: 'https://gw', algorithms: ['ES256'], clockSkewSeconds: 30, jwks: issuer.jwks, jwksCacheSeconds: 0, jwksCooldownSeconds: 0, verifiedCacheSeconds: 0 });
    const token = await issuer.issue({ subject: 'a', audience: 'https://gw', expiresInSeconds: 60 });
    const now = Date.now();
    await expect(verifier.verify(token, now + 80_000)).resolves.toBeDefined();
    await expect(verifier.verify(token, now + 100_000)).rejects.toThrow('token expired');
  });
});
