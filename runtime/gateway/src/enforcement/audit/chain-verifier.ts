import { timingSafeEqual } from 'crypto';
import { AUDIT_RECORD_VERSION, ChainSeal, EncryptedPayload, GENESIS_HASH, payloadAad, recordHash, sealKey, sealKid, sealMac } from './audit-record';
import { openPayload } from './payload-envelope';

/** The first link that does not hold. */
export interface BrokenLink {
  /** 1-based line number in the input. */
  readonly line: number;
  readonly chain?: string;
  /** The sequence number the record has, or should have had. */
  readonly seq?: number;
  readonly reason: string;
}

/** The state of one chain after verification. */
export interface ChainSummary {
  readonly chain: string;
  readonly records: number;
  readonly lastSeq: number;
  /** Hash of the last record: keep it elsewhere to detect later truncation. */
  readonly headHash: string;
}

/** Verification outcome. */
export interface VerifyReport {
  readonly ok: boolean;
  readonly records: number;
  readonly chains: ChainSummary[];
  readonly firstBroken?: BrokenLink;
  /** Whether seals were checked (only with a data-key unwrapper). */
  readonly sealsVerified: boolean;
  /** Payloads decrypted (only with a data-key unwrapper). */
  readonly decrypted: number;
}

/** Returns the plaintext of an encrypted data key (KMS `Decrypt` with the chain's encryption context). */
export type DataKeyUnwrapper = (encryptedDataKey: Buffer, kmsKeyId: string, record: { gateway: string; chain: string }) => Promise<Buffer>;

/** What the verifier may do besides checking hashes. */
export interface VerifyOptions {
  /**
   * With it, every record must carry a valid seal and every payload must decrypt: the chain is
   * then proven to come from a holder of the audit key, not merely to be self-consistent.
   */
  readonly unwrapDataKey?: DataKeyUnwrapper;
  /** Called with each decrypted payload (for `--show-payloads`). */
  readonly onPayload?: (record: { chain: string; seq: number }, plaintext: Buffer) => void;
}

interface ChainState {
  records: number;
  nextSeq: number;
  prevHash: string;
  /** Data keys announced in this chain, by kid. */
  keys: Map<string, { edk: Buffer; kms: string }>;
}

/**
 * Verify audit lines: every record parses, each chain starts at seq 0 from the genesis hash,
 * seq increases by one, `prevHash` is the hash of the previous record of the same chain, each
 * record's hash matches its content and, with a data-key unwrapper, each seal and payload
 * verifies. Interleaved chains (several replicas in one log) are verified independently. Stops
 * at the first broken link; blank lines are skipped. Truncation at the end is only visible
 * against a head hash kept elsewhere.
 */
export async function verifyAuditLines(lines: Iterable<string> | AsyncIterable<string>, options: VerifyOptions = {}): Promise<VerifyReport> {
  const unwrap = options.unwrapDataKey ? memoise(options.unwrapDataKey) : undefined;
  const chains = new Map<string, ChainState>();
  let records = 0;
  let decrypted = 0;
  let lineNo = 0;
  const report = (firstBroken?: BrokenLink): VerifyReport => ({
    ok: !firstBroken,
    records,
    chains: [...chains].map(([chain, s]) => ({ chain, records: s.records, lastSeq: s.nextSeq - 1, headHash: s.prevHash })),
    firstBroken,
    sealsVerified: !!unwrap,
    decrypted,
  });

  for await (const raw of lines) {
    lineNo++;
    if (raw.trim() === '') continue;
    // Where a record that cannot be read should have been: seq 0 before any chain, the next seq
    // when the log holds one chain, unknown when several chains interleave.
    const only = chains.size === 1 ? [...chains][0] : undefined;
    const expectedSeq = chains.size === 0 ? 0 : only?.[1].nextSeq;
    const unreadable = (reason: string) => report({ line: lineNo, chain: only?.[0], seq: expectedSeq, reason });
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return unreadable('not a JSON record (line altered or truncated)');
    }
    const { chain, seq, prevHash, hash, v, gateway } = record;
    if (typeof chain !== 'string' || typeof seq !== 'number' || typeof prevHash !== 'string' || typeof hash !== 'string' || typeof gateway !== 'string') {
      return unreadable('missing chain, seq, gateway, prevHash or hash');
    }
    const broken = (reason: string, at = seq) => report({ line: lineNo, chain, seq: at, reason });
    if (v !== AUDIT_RECORD_VERSION) return broken(`unsupported record version ${String(v)}`);
    const known = chains.get(chain);
    if (!known && seq !== 0) {
      return broken(`first record of chain "${chain}" has seq ${seq}, not 0 (chain name altered, or the log starts mid-chain)`);
    }
    const state = known ?? { records: 0, nextSeq: 0, prevHash: GENESIS_HASH, keys: new Map() };
    if (seq !== state.nextSeq) return broken(`expected seq ${state.nextSeq}, found ${seq} (record missing, inserted or reordered)`, state.nextSeq);
    if (prevHash !== state.prevHash) return broken('prevHash is not the hash of the previous record');
    if (recordHash(record) !== hash) return broken('hash does not match the record content (record altered)');
    if (unwrap) {
      const problem = await checkSeal(record.seal, hash, state, unwrap, { gateway, chain });
      if (problem) return broken(problem);
      if (isEncrypted(record.payload)) {
        try {
          const key = await unwrap(Buffer.from(record.payload.edk, 'base64'), record.payload.kms, { gateway, chain });
          options.onPayload?.({ chain, seq }, openPayload(record.payload, key, payloadAad(chain, seq)));
          decrypted++;
        } catch (error) {
          return broken(`payload does not decrypt: ${(error as Error).message}`);
        }
      }
    }
    chains.set(chain, { ...state, records: state.records + 1, nextSeq: seq + 1, prevHash: hash });
    records++;
  }
  return report();
}

async function checkSeal(
  seal: unknown,
  hash: string,
  state: ChainState,
  unwrap: DataKeyUnwrapper,
  context: { gateway: string; chain: string },
): Promise<string | undefined> {
  if (!isSeal(seal)) return 'record is not sealed';
  // The seal is outside the hash: accept only its exact canonical form, so no byte of the line
  // can change unnoticed (base64 has spare bits; extra keys would be unauthenticated).
  if (Object.keys(seal).some((k) => !SEAL_KEYS.has(k))) return 'seal has unexpected fields';
  if (seal.edk !== undefined && seal.kms !== undefined) {
    const edk = Buffer.from(seal.edk, 'base64');
    if (edk.toString('base64') !== seal.edk || sealKid(edk) !== seal.kid) return 'seal kid does not match its data key';
    state.keys.set(seal.kid, { edk, kms: seal.kms });
  }
  const announced = state.keys.get(seal.kid);
  if (!announced) return `seal names data key ${seal.kid}, which no earlier record of the chain carries`;
  let key: Buffer;
  try {
    key = await unwrap(announced.edk, announced.kms, context);
  } catch (error) {
    return `seal data key does not decrypt: ${(error as Error).message}`;
  }
  const expected = Buffer.from(sealMac(sealKey(key), hash), 'utf8');
  const actual = Buffer.from(seal.mac, 'utf8');
  return actual.length === expected.length && timingSafeEqual(actual, expected) ? undefined : 'seal does not match (chain rewritten without the audit key)';
}

const SEAL_KEYS: ReadonlySet<string> = new Set(['kid', 'edk', 'kms', 'mac']);

function memoise(unwrap: DataKeyUnwrapper): DataKeyUnwrapper {
  const cache = new Map<string, Promise<Buffer>>();
  return (edk, kms, record) => {
    const key = `${record.gateway}\u0000${record.chain}\u0000${edk.toString('base64')}`;
    let hit = cache.get(key);
    if (!hit) {
      hit = unwrap(edk, kms, record);
      cache.set(key, hit);
    }
    return hit;
  };
}

function isSeal(value: unknown): value is ChainSeal {
  const seal = value as Partial<ChainSeal> | undefined;
  return typeof seal === 'object' && seal !== null && typeof seal.kid === 'string' && typeof seal.mac === 'string';
}

function isEncrypted(payload: unknown): payload is EncryptedPayload {
  const p = payload as Partial<EncryptedPayload> | undefined;
  return typeof p === 'object' && p !== null && p.alg === 'AES-256-GCM' && typeof p.edk === 'string' && typeof p.kms === 'string';
}
