import { createCipheriv, createDecipheriv, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { DecryptCommand, GenerateDataKeyCommand, GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';

/**
 * A KMS client for benchmarks without AWS: Sign, GetPublicKey, GenerateDataKey and Decrypt are
 * backed by real local keys (signatures verify, data keys decrypt) and take `latencyMs`, about
 * what a KMS call inside a region costs, so the benchmark shows what caching saves. Counts calls.
 */
export function stubKms(latencyMs = 8): { client: KMSClient; calls: () => number } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const wrapKey = randomBytes(32);
  let calls = 0;
  const later = async <T>(value: () => T): Promise<T> => {
    calls++;
    await new Promise((resolve) => setTimeout(resolve, latencyMs));
    return value();
  };
  const mock = mockClient(KMSClient);
  mock.on(SignCommand).callsFake((input: { Message: Uint8Array }) => later(() => ({ Signature: sign('sha256', input.Message, { key: privateKey, dsaEncoding: 'der' }) })));
  mock.on(GetPublicKeyCommand).callsFake(() => later(() => ({ PublicKey: publicKey.export({ type: 'spki', format: 'der' }), KeySpec: 'ECC_NIST_P256' })));
  mock.on(GenerateDataKeyCommand).callsFake((input: { KeyId: string }) => later(() => {
    const plaintext = randomBytes(32);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', wrapKey, iv);
    const blob = Buffer.concat([iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    return { Plaintext: plaintext, CiphertextBlob: blob, KeyId: input.KeyId };
  }));
  mock.on(DecryptCommand).callsFake((input: { CiphertextBlob: Uint8Array }) => later(() => {
    const blob = Buffer.from(input.CiphertextBlob);
    const decipher = createDecipheriv('aes-256-gcm', wrapKey, blob.subarray(0, 12));
    decipher.setAuthTag(blob.subarray(blob.length - 16));
    return { Plaintext: Buffer.concat([decipher.update(blob.subarray(12, blob.length - 16)), decipher.final()]) };
  }));
  return { client: new KMSClient({ region: 'us-east-1' }), calls: () => calls };
}
