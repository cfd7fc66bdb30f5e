import { randomBytes } from 'node:crypto';
import { DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SessionKeySource } from '../config/schema';

/**
 * Encryption context a KMS-wrapped session key must have been generated with; KMS refuses to
 * decrypt it under any other context, so the data key cannot be repurposed.
 */
export const SESSION_KEY_ENCRYPTION_CONTEXT = { purpose: 'mcp-gateway-session-key' } as const;

/** AWS clients used to resolve key material; created lazily with the default credential chain. */
export interface SessionKeyClients {
  readonly kms?: KMSClient;
  readonly secretsManager?: SecretsManagerClient;
}

/**
 * Resolves session key material once at startup (not per request): inline base64, a Secrets
 * Manager secret, a KMS-encrypted data key, or a random per-process key.
 */
export async function resolveSessionKey(source: SessionKeySource, clients: SessionKeyClients = {}): Promise<Buffer> {
  switch (source.source) {
    case 'inline':
      return decodeMaterial(source.value, 'sessions.key.value');
    case 'ephemeral':
      return randomBytes(32);
    case 'secrets-manager': {
      const client = clients.secretsManager ?? new SecretsManagerClient({});
      const out = await client.send(new GetSecretValueCommand({ SecretId: source.secretId }));
      if (out.SecretBinary !== undefined) return checkLength(Buffer.from(out.SecretBinary), 'sessions.key.secretId');
      if (out.SecretString !== undefined) return decodeMaterial(out.SecretString.trim(), 'sessions.key.secretId');
      throw new Error(`sessions.key.secretId: secret ${source.secretId} has no value`);
    }
    case 'kms': {
      const client = clients.kms ?? new KMSClient(source.region !== undefined ? { region: source.region } : {});
      const out = await client.send(new DecryptCommand({
        CiphertextBlob: Buffer.from(source.ciphertext, 'base64'),
        EncryptionContext: { ...SESSION_KEY_ENCRYPTION_CONTEXT },
      }));
      if (out.Plaintext === undefined) throw new Error('sessions.key.ciphertext: KMS Decrypt returned no plaintext');
      return checkLength(Buffer.from(out.Plaintext), 'sessions.key.ciphertext');
    }
  }
}

function decodeMaterial(value: string, field: string): Buffer {
  return checkLength(Buffer.from(value, 'base64'), field);
}

function checkLength(material: Buffer, field: string): Buffer {
  if (material.length < 32) throw new Error(`${field}: key material must be at least 32 bytes (base64), got ${material.length}`);
  return material;
}
