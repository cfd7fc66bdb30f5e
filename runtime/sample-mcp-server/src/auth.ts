import { GetPublicKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { createRemoteJWKSet, importSPKI, JWTPayload, jwtVerify, JWTVerifyGetKey } from 'jose';

/** How the sample server checks the tokens the security gateway mints for it. */
export interface GatewayTokenVerifierOptions {
  /**
   * Where the gateway's public key comes from: its JWKS URL (`/.well-known/jwks.json`), or the
   * ARN of its KMS signing key (read once with `kms:GetPublicKey` through the KMS endpoint, so a
   * server on an isolated network needs no route to the gateway).
   */
  readonly key: { readonly jwksUrl: URL } | { readonly kmsKeyId: string; readonly kms: KMSClient };
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
  const key = 'jwksUrl' in options.key
    ? createRemoteJWKSet(options.key.jwksUrl, { cooldownDuration: 30_000, cacheMaxAge: 600_000 })
    : kmsPublicKey(options.key.kms, options.key.kmsKeyId);
  return async (authorization) => {
    const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(authorization ?? '');
    if (!match) throw new UnauthorizedError('missing bearer token');
    try {
      const { payload } = await jwtVerify(match[1], key, {
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

/** The ES256 public key of a KMS signing key, fetched once and reused. */
type VerificationKey = Awaited<ReturnType<typeof importSPKI>>;

function kmsPublicKey(kms: KMSClient, keyId: string): JWTVerifyGetKey {
  let loaded: Promise<VerificationKey> | undefined;
  const load = async (): Promise<VerificationKey> => {
    const answer = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
    if (answer.KeySpec !== 'ECC_NIST_P256' || !answer.PublicKey) {
      throw new Error(`KMS key ${keyId} is not an ECC_NIST_P256 signing key`);
    }
    const pem = `-----BEGIN PUBLIC KEY-----\n${Buffer.from(answer.PublicKey).toString('base64')}\n-----END PUBLIC KEY-----`;
    return importSPKI(pem, 'ES256');
  };
  return async () => {
    loaded ??= load().catch((error) => {
      loaded = undefined; // retry on the next request rather than failing forever
      throw error;
    });
    return loaded;
  };
}
