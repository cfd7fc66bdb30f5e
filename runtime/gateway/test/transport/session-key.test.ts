import { DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { resolveSessionKey, SESSION_KEY_ENCRYPTION_CONTEXT } from '../../src/transport/session-key';

const MATERIAL = Buffer.alloc(32, 5);

describe('session key material', () => {
  test('inline base64', async () => {
    await expect(resolveSessionKey({ source: 'inline', value: MATERIAL.toString('base64') })).resolves.toEqual(MATERIAL);
  });

  test('from a Secrets Manager secret string', async () => {
    const sm = mockClient(SecretsManagerClient);
    sm.on(GetSecretValueCommand, { SecretId: 'gw/session' }).resolves({ SecretString: `${MATERIAL.toString('base64')}\n` });
    await expect(resolveSessionKey({ source: 'secrets-manager', secretId: 'gw/session' }, { secretsManager: new SecretsManagerClient({ region: 'us-east-1' }) })).resolves.toEqual(MATERIAL);
    sm.restore();
  });

  test('from a KMS-encrypted data key, decrypted with the session-key encryption context', async () => {
    const kms = mockClient(KMSClient);
    kms.on(DecryptCommand).resolves({ Plaintext: MATERIAL });
    const key = await resolveSessionKey({ source: 'kms', ciphertext: Buffer.from('wrapped').toString('base64') }, { kms: new KMSClient({ region: 'us-east-1' }) });
    expect(key).toEqual(MATERIAL);
    expect(kms.commandCalls(DecryptCommand)[0].args[0].input).toEqual({ CiphertextBlob: Buffer.from('wrapped'), EncryptionContext: SESSION_KEY_ENCRYPTION_CONTEXT });
    kms.restore();
  });

  test('fails on short material, naming the field', async () => {
    await expect(resolveSessionKey({ source: 'inline', value: Buffer.alloc(16).toString('base64') })).rejects.toThrow('sessions.key.value: key material must be at least 32 bytes (base64), got 16');
  });
});
