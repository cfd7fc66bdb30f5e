import { createPublicKey } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { JWK } from 'jose';
import { derToJose } from './der';
import { describePublicKey, TokenSigner } from './signer';

/** Largest message KMS signs with `MessageType: RAW`. */
const KMS_RAW_LIMIT = 4096;

/**
 * Signs with an AWS KMS asymmetric key (key spec ECC_NIST_P256, usage SIGN_VERIFY); the private
 * key never leaves KMS. The JWS signing input (a few hundred bytes) is sent as a RAW message, so
 * KMS hashes it itself and CloudTrail shows exactly what was signed. KMS returns DER; JOSE wants r || s.
 */
export class KmsSigner implements TokenSigner {
  readonly kind = 'kms';
  private jwk: Promise<JWK> | undefined;

  /** @param onCall invoked once per KMS API call (metrics: KMS calls per 1,000 requests). */
  constructor(
    private readonly client: KMSClient,
    private readonly keyId: string,
    private readonly onCall: (operation: string) => void = () => undefined,
  ) {}

  async sign(data: Uint8Array): Promise<Uint8Array> {
    if (data.length > KMS_RAW_LIMIT) throw new Error(`signing input of ${data.length} bytes exceeds the KMS RAW limit of ${KMS_RAW_LIMIT}`);
    this.onCall('Sign');
    const out = await this.client.send(new SignCommand({
      KeyId: this.keyId,
      Message: data,
      MessageType: 'RAW',
      SigningAlgorithm: 'ECDSA_SHA_256',
    }));
    if (out.Signature === undefined) throw new Error('KMS Sign returned no signature');
    return derToJose(out.Signature, 32);
  }

  publicJwk(): Promise<JWK> {
    this.jwk ??= this.fetchPublicJwk();
    // A failed fetch must not be cached forever: the next caller retries.
    this.jwk.catch(() => { this.jwk = undefined; });
    return this.jwk;
  }

  private async fetchPublicJwk(): Promise<JWK> {
    this.onCall('GetPublicKey');
    const out = await this.client.send(new GetPublicKeyCommand({ KeyId: this.keyId }));
    if (out.PublicKey === undefined) throw new Error('KMS GetPublicKey returned no key');
    if (out.KeySpec !== undefined && out.KeySpec !== 'ECC_NIST_P256') {
      throw new Error(`tokens.signer.keyId must be an ECC_NIST_P256 key, got ${out.KeySpec}`);
    }
    return describePublicKey(createPublicKey({ key: Buffer.from(out.PublicKey), format: 'der', type: 'spki' }));
  }
}
