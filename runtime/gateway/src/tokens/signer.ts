import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import { calculateJwkThumbprint, JWK } from 'jose';

/** An ES256 signing key whose private half may live outside the process (KMS). */
export interface TokenSigner {
  /** Human-readable kind for logs and metrics: `kms` or `local`. */
  readonly kind: string;
  /** Signs `data` with ECDSA P-256 / SHA-256 and returns the JOSE signature (r || s, 64 bytes). */
  sign(data: Uint8Array): Promise<Uint8Array>;
  /** Public key as a JWK with `kid` (RFC 7638 thumbprint), `alg` and `use`. */
  publicJwk(): Promise<JWK>;
}

/** Adds `kid`, `alg` and `use` to a P-256 public JWK. */
export async function describePublicKey(key: KeyObject): Promise<JWK> {
  const jwk = key.export({ format: 'jwk' }) as JWK;
  const publicOnly: JWK = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
  return { ...publicOnly, kid: await calculateJwkThumbprint(publicOnly, 'sha256'), alg: 'ES256', use: 'sig' };
}

/**
 * In-process P-256 signer for development and tests. The production posture check refuses it:
 * a key in process memory can leak with a heap dump, a KMS key cannot.
 */
export class LocalSigner implements TokenSigner {
  readonly kind = 'local';
  private readonly privateKey: KeyObject;
  private jwk: Promise<JWK> | undefined;

  /** @param privateKeyPem PKCS#8 PEM of a P-256 key; a fresh key is generated when omitted. */
  constructor(privateKeyPem?: string) {
    this.privateKey = privateKeyPem !== undefined
      ? createPrivateKey(privateKeyPem)
      : generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const details = this.privateKey.asymmetricKeyDetails;
    if (this.privateKey.asymmetricKeyType !== 'ec' || details?.namedCurve !== 'prime256v1') {
      throw new Error('tokens.signer.privateKeyPem must be a P-256 (prime256v1) EC private key');
    }
  }

  async sign(data: Uint8Array): Promise<Uint8Array> {
    return sign('sha256', data, { key: this.privateKey, dsaEncoding: 'ieee-p1363' });
  }

  publicJwk(): Promise<JWK> {
    this.jwk ??= describePublicKey(createPublicKey(this.privateKey));
    return this.jwk;
  }
}
