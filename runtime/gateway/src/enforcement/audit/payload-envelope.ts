import { createCipheriv, createDecipheriv, randomFillSync } from 'crypto';
import type { EncryptedPayload } from './audit-record';
import type { DataKey } from './data-key-cache';

const IV_BYTES = 12;
const IVS_PER_FILL = 256;
let ivPool = Buffer.alloc(0);
let ivOffset = 0;

/**
 * A fresh random 96-bit IV. Random bytes are drawn 256 IVs at a time: one call to the system's
 * random generator per IV cost more than the encryption of a typical payload. A refill takes a
 * new buffer, so an IV handed out is never overwritten.
 */
function freshIv(): Buffer {
  if (ivOffset === ivPool.length) {
    ivPool = randomFillSync(Buffer.allocUnsafe(IV_BYTES * IVS_PER_FILL));
    ivOffset = 0;
  }
  ivOffset += IV_BYTES;
  return ivPool.subarray(ivOffset - IV_BYTES, ivOffset);
}

/** Encrypt `plaintext` with AES-256-GCM under `key`, binding `aad` (a fresh random 96-bit IV per payload). */
export function sealPayload(key: DataKey, plaintext: Buffer, aad: Buffer): EncryptedPayload {
  const iv = freshIv();
  const cipher = createCipheriv('aes-256-gcm', key.plaintext, iv);
  cipher.setAAD(aad);
  // GCM is a stream mode: `final` adds no bytes, so the ciphertext is `update`'s output alone.
  const ct = cipher.update(plaintext);
  cipher.final();
  return {
    alg: 'AES-256-GCM',
    kms: key.keyId,
    edk: key.encrypted.toString('base64'),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ct: ct.toString('base64'),
  };
}

/** Decrypt a payload with its (already KMS-decrypted) data key; throws when it was altered. */
export function openPayload(payload: EncryptedPayload, dataKey: Buffer, aad: Buffer): Buffer {
  // A fixed tag length: otherwise a truncated tag would be accepted.
  const decipher = createDecipheriv('aes-256-gcm', dataKey, Buffer.from(payload.iv, 'base64'), { authTagLength: 16 });
  decipher.setAAD(aad);
  decipher.setAuthTag(Buffer.from(payload.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(payload.ct, 'base64')), decipher.final()]);
}
