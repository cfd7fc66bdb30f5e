import { createCipheriv, createDecipheriv, randomBytes } from 'crypto';
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { AwsClientStub, mockClient } from 'aws-sdk-client-mock';

/** The ARN the local key answers to. */
export const LOCAL_KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/00000000-0000-4000-8000-000000000001';

/**
 * A KMS client whose GenerateDataKey and Decrypt are backed by a real local AES-256 key: data
 * keys are random, their ciphertext blobs are AES-GCM under the local key with the encryption
 * context as AAD, so a wrong context or an altered blob fails to decrypt as it would in KMS.
 */
export function localKms(): { kms: KMSClient; mock: AwsClientStub<KMSClient> } {
  const master = randomBytes(32);
  const kms = new KMSClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const mock = mockClient(kms);
  const aad = (context: Record<string, string> | undefined) =>
    Buffer.from(JSON.stringify(Object.entries(context ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))), 'utf8');

  mock.on(GenerateDataKeyCommand).callsFake((input: { EncryptionContext?: Record<string, string>; KeySpec?: string }) => {
    if (input.KeySpec !== 'AES_256') throw new Error('expected KeySpec AES_256');
    const plaintext = randomBytes(32);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', master, iv);
    cipher.setAAD(aad(input.EncryptionContext));
    const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const blob = Buffer.concat([iv, cipher.getAuthTag(), ct]);
    return { Plaintext: new Uint8Array(plaintext), CiphertextBlob: new Uint8Array(blob), KeyId: LOCAL_KEY_ARN };
  });

  mock.on(DecryptCommand).callsFake((input: { CiphertextBlob?: Uint8Array; EncryptionContext?: Record<string, string>; KeyId?: string }) => {
    // As KMS does: a Decrypt naming another key fails even when the ciphertext is intact.
    if (input.KeyId !== undefined && input.KeyId !== LOCAL_KEY_ARN) {
      throw Object.assign(new Error('IncorrectKeyException'), { name: 'IncorrectKeyException' });
    }
    const blob = Buffer.from(input.CiphertextBlob ?? []);
    try {
      const decipher = createDecipheriv('aes-256-gcm', master, blob.subarray(0, 12), { authTagLength: 16 });
      decipher.setAAD(aad(input.EncryptionContext));
      decipher.setAuthTag(blob.subarray(12, 28));
      const plaintext = Buffer.concat([decipher.update(blob.subarray(28)), decipher.final()]);
      return { Plaintext: new Uint8Array(plaintext), KeyId: LOCAL_KEY_ARN };
    } catch {
      throw Object.assign(new Error('InvalidCiphertextException'), { name: 'InvalidCiphertextException' });
    }
  });
  return { kms, mock };
}
