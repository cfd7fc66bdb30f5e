import type { EncryptedPayload } from './audit-record';
import { canonicalJson } from '../pinning/canonical-json';

/**
 * Every member `AuditLog` may set on a record before hashing it, in canonical order (UTF-16 code
 * units, as `canonicalJson` sorts), each with its name already written as JSON.
 */
const HASHED_MEMBERS: ReadonlyArray<{ readonly key: string; readonly name: string }> = [
  'v', 'type', 'gateway', 'chain', 'seq', 'time', 'subject', 'session', 'client', 'requestId', 'method', 'target', 'decision',
  'reasons', 'policyIds', 'policyStore', 'toolHash', 'findings', 'latencyMs', 'httpStatus', 'rpcErrorCode', 'riskScore', 'payload', 'prevHash',
].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((key) => ({ key, name: `${JSON.stringify(key)}:` }));

/**
 * `canonicalJson` of a record `AuditLog` is building (the members above, nothing else), without
 * listing and sorting its keys per record: the record hash is computed for every request, and
 * the generic writer spent most of its time on the top level's keys. Nested values still go
 * through `canonicalJson`; `payloadJson` is the payload's canonical JSON when the caller has it.
 * The chain verifier recomputes hashes with the generic writer, so any difference breaks the chain.
 */
export function builtRecordJson(record: Readonly<Record<string, unknown>>, payloadJson?: string): string {
  let out = '{';
  for (const { key, name } of HASHED_MEMBERS) {
    const value = record[key];
    // Members JSON cannot hold are left out, as `canonicalJson` leaves them out of an object.
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
    const json = key === 'payload' && payloadJson !== undefined ? payloadJson : canonicalJson(value);
    out += (out.length === 1 ? name : `,${name}`) + json;
  }
  return `${out}}`;
}

/**
 * The canonical JSON of a payload `sealPayload` produced. Its binary members are base64, which
 * JSON writes as is: skipping the escape scan of the ciphertext matters, it is the longest
 * string in a record.
 */
export function encryptedPayloadJson(payload: EncryptedPayload): string {
  return `{"alg":${JSON.stringify(payload.alg)},"ct":"${payload.ct}","edk":"${payload.edk}","iv":"${payload.iv}",` +
    `"kms":${JSON.stringify(payload.kms)},"tag":"${payload.tag}"}`;
}
