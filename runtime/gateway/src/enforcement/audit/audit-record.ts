import { createHash, createHmac, hash as oneShotHash, hkdfSync, randomBytes } from 'crypto';
import { canonicalJson } from '../pinning/canonical-json';
import type { AuditEvent, Finding, Target } from '../types';

/** Record format version. */
export const AUDIT_RECORD_VERSION = 1;

/** `prevHash` of the first record of a chain. */
export const GENESIS_HASH = `sha256:${'0'.repeat(64)}`;

/** Keys outside the record hash: the hash itself, the seal over it, and CloudWatch EMF keys a sink adds. */
export const UNHASHED_KEYS: ReadonlySet<string> = new Set(['hash', 'seal', '_aws', 'Decisions']);

/** An encrypted argument/result payload (AES-256-GCM under a KMS data key). */
export interface EncryptedPayload {
  readonly alg: 'AES-256-GCM';
  /** KMS key that encrypted the data key. */
  readonly kms: string;
  /** Encrypted data key (KMS ciphertext blob), base64. */
  readonly edk: string;
  readonly iv: string;
  readonly tag: string;
  readonly ct: string;
}

/** A payload that was not recorded, and why. */
export interface OmittedPayload {
  readonly omitted: 'no-encryption-key' | 'too-large' | 'not-serialisable';
  readonly bytes: number;
}

/**
 * A keyed seal over the record hash: HMAC-SHA256 under a key derived from the KMS data key. A
 * hash chain alone can be recomputed by whoever can write the log; with seals, rewriting it also
 * needs `kms:Decrypt` on the audit key. The encrypted data key is carried by the first record
 * sealed under it (`edk`, `kms`); later records name it by `kid`.
 */
export interface ChainSeal {
  /** First 16 hex digits of sha256 over the encrypted data key. */
  readonly kid: string;
  readonly edk?: string;
  readonly kms?: string;
  /** HMAC-SHA256 of `hash`, base64. */
  readonly mac: string;
}

/** One line of the audit log. */
export interface AuditRecord {
  readonly v: number;
  readonly type: 'mcp.audit';
  readonly gateway: string;
  /** One chain per gateway process: `<gateway>/<start time>/<random>`. */
  readonly chain: string;
  readonly seq: number;
  readonly time: string;
  readonly subject?: string;
  readonly session?: string;
  readonly client?: string;
  readonly requestId?: string | number;
  readonly method: string;
  readonly target?: Target;
  readonly decision: AuditEvent['decision'];
  readonly reasons?: string[];
  readonly policyIds?: string[];
  /** Verified Permissions policy store holding the policies `policyIds` name (when configured). */
  readonly policyStore?: string;
  readonly toolHash?: string;
  readonly findings?: Finding[];
  readonly latencyMs?: number;
  readonly httpStatus?: number;
  readonly rpcErrorCode?: number;
  readonly riskScore?: number;
  readonly payload?: EncryptedPayload | OmittedPayload;
  readonly prevHash: string;
  readonly hash: string;
  readonly seal?: ChainSeal;
}

/** `sha256:<hex>` over the canonical JSON of a record without `hash` and sink-added keys. */
export function recordHash(record: Readonly<Record<string, unknown>>): string {
  const keys = Object.keys(record);
  // A record being built has none of those keys yet: it is hashed as it is, without a copy.
  let hashed = record;
  if (keys.some((key) => UNHASHED_KEYS.has(key))) {
    const copy: Record<string, unknown> = {};
    for (const key of keys) if (!UNHASHED_KEYS.has(key)) copy[key] = record[key];
    hashed = copy;
  }
  return canonicalJsonHash(canonicalJson(hashed));
}

/**
 * `sha256:<hex>` of a record's canonical JSON (UTF-8). One-shot `crypto.hash` (Node 20.12+):
 * no Hash object per record.
 */
export function canonicalJsonHash(json: string): string {
  return `sha256:${oneShotHash('sha256', json, 'hex')}`;
}

/** The additional authenticated data binding a payload to its place in the chain. */
export function payloadAad(chain: string, seq: number): Buffer {
  return Buffer.from(`${chain}\n${seq}`, 'utf8');
}

/** The KMS encryption context of a chain's data keys (IAM conditions can pin `gateway` and `purpose`). */
export function encryptionContext(gateway: string, chain: string): Record<string, string> {
  return { purpose: 'mcp-audit-payload', gateway, chain };
}

/** Key id of an encrypted data key, as used in seals. */
export function sealKid(encryptedDataKey: Buffer): string {
  return createHash('sha256').update(encryptedDataKey).digest('hex').slice(0, 16);
}

/** The MAC key derived from a plaintext data key (separate from the key that encrypts payloads). */
export function sealKey(dataKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'mcp-audit-chain-seal', 32));
}

/** The seal MAC of a record hash. */
export function sealMac(key: Buffer, hash: string): string {
  return createHmac('sha256', key).update(hash, 'utf8').digest('base64');
}

/** A new chain id: `<gateway>/<start time>/<random>`, unique per process start. */
export function newChainId(gateway: string, nowMs: number): string {
  return `${gateway}/${new Date(nowMs).toISOString()}/${randomBytes(4).toString('hex')}`;
}
