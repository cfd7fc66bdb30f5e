import type { ChainSeal, EncryptedPayload, OmittedPayload } from './audit-record';
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

/**
 * The audit line of a record: `head` is JSON.stringify of its members before the payload, which
 * are followed by payload, prevHash, hash and seal, in that order. The bytes are those of
 * JSON.stringify of the whole record; the hashes, MAC and key id are hex or base64, as are the
 * payload's binary members, and are copied without the escape scan (they are most of a line).
 */
export function builtRecordLine(
  head: string,
  payload: EncryptedPayload | OmittedPayload | undefined,
  prevHash: string,
  hash: string,
  seal: ChainSeal | undefined,
): string {
  let line = head.slice(0, -1);
  if (payload && 'ct' in payload) {
    line += `,"payload":{"alg":${JSON.stringify(payload.alg)},"kms":${JSON.stringify(payload.kms)},"edk":"${payload.edk}",` +
      `"iv":"${payload.iv}","tag":"${payload.tag}","ct":"${payload.ct}"}`;
  } else if (payload) {
    line += `,"payload":${JSON.stringify(payload)}`;
  }
  line += `,"prevHash":"${prevHash}","hash":"${hash}"`;
  if (seal) {
    const carried = seal.edk === undefined ? '' : `,"edk":"${seal.edk}","kms":${JSON.stringify(seal.kms)}`;
    line += `,"seal":{"kid":"${seal.kid}"${carried},"mac":"${seal.mac}"}`;
  }
  return `${line}}`;
}
