import type { AuditEvent } from '../types';
import {
  AUDIT_RECORD_VERSION,
  ChainSeal,
  EncryptedPayload,
  GENESIS_HASH,
  newChainId,
  OmittedPayload,
  canonicalJsonHash,
  payloadAad,
  sealKey,
  sealKid,
  sealMac,
} from './audit-record';
import { AuditLineFormat, AuditSink, withEmbeddedMetric } from './audit-sinks';
import { builtRecordJson, builtRecordLine, encryptedPayloadJson } from './built-record-json';
import type { DataKey, DataKeyCache } from './data-key-cache';
import { sealPayload } from './payload-envelope';

/** How an AuditLog is put together. */
export interface AuditLogOptions {
  readonly gateway: string;
  readonly sink: AuditSink;
  readonly format: AuditLineFormat;
  /** `closed`: `record` rejects when the sink fails. `open`: the failure is reported to `onError` and swallowed. */
  readonly failureMode: 'closed' | 'open';
  /** Encrypts argument/result payloads; without it payloads are omitted, never written in clear. */
  readonly dataKeys?: DataKeyCache;
  readonly maxPayloadBytes: number;
  readonly clock: () => number;
  /** Chain id; defaults to `<gateway>/<start time>/<random>`. */
  readonly chain?: string;
  readonly onError?: (error: unknown) => void;
  /** Verified Permissions policy store of the policies; recorded with the policy ids of each decision. */
  readonly policyStoreId?: string;
  /**
   * True while more records are on their way (other requests in flight): a batch then waits one
   * more event-loop turn, so under load one write carries more records. Never asked with one
   * request in flight, whose record goes out in the turn it was made. @default - never busy
   */
  readonly busy?: () => boolean;
}

interface Pending {
  readonly event: AuditEvent;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** A record as written: its line, its hash, and the kid of the data key that sealed it. */
interface BuiltRecord {
  readonly line: string;
  readonly hash: string;
  readonly kid?: string;
}

const MAX_FINDINGS_PER_RECORD = 100;

/**
 * A hash-chained audit log: every record carries `seq` and the hash of the previous record, so
 * removing, inserting, reordering or editing a record breaks the chain at that point; with KMS
 * configured every record is also sealed (see `ChainSeal`). Records are written in batches
 * (group commit): the records of one event-loop turn, and those that arrive while a batch is
 * being written, go out together; each `record` call resolves only after its own line was written.
 */
export class AuditLog {
  /** This process's chain id. */
  readonly chain: string;
  private seq = 0;
  private prevHash = GENESIS_HASH;
  /** Kid of the data key that sealed the last written record. */
  private lastKid?: string;
  /** MAC key and kid derived from each data key, once per key rather than per record. */
  private readonly sealKeys = new WeakMap<Buffer, { macKey: Buffer; kid: string }>();
  private readonly pending: Pending[] = [];
  private writing = false;
  private scheduled = false;
  private draining: Promise<void> = Promise.resolve();

  constructor(private readonly options: AuditLogOptions) {
    this.chain = options.chain ?? newChainId(options.gateway, options.clock());
  }

  /** Append one record. */
  record(event: AuditEvent): Promise<void> {
    const written = new Promise<void>((resolve, reject) => this.pending.push({ event, resolve, reject }));
    this.schedule();
    if (this.options.failureMode === 'closed') return written;
    return written.catch((error: unknown) => {
      this.options.onError?.(error);
    });
  }

  /** Wait for queued records, then close the sink and zero the cached data key. */
  async close(): Promise<void> {
    await this.draining;
    this.options.dataKeys?.clear();
    await this.options.sink.close?.();
  }

  /**
   * Starts a drain after the I/O callbacks of the current event-loop turn: every record the turn
   * produced (under load, several requests finish in one turn) goes out in one write, and each
   * write to stdout or a file is a system call that costs more than building the records.
   */
  private schedule(): void {
    if (this.writing || this.scheduled) return;
    this.scheduled = true;
    this.draining = new Promise<void>((resolve) => {
      const drain = () => {
        this.scheduled = false;
        void this.drain().then(resolve);
      };
      setImmediate(() => (this.options.busy?.() === true ? setImmediate(drain) : drain()));
    });
  }

  private async drain(): Promise<void> {
    // `writing` flips back in the same microtask the loop ends in, so a record queued by a
    // continuation of the last batch either is seen by the loop or schedules the next drain.
    this.writing = true;
    try {
      while (this.pending.length > 0) await this.writeBatch(this.pending.splice(0));
    } finally {
      this.writing = false;
    }
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    let seq = this.seq;
    let prevHash = this.prevHash;
    let lastKid = this.lastKid;
    const lines: string[] = [];
    const built: Pending[] = [];
    for (const item of batch) {
      try {
        const dataKeys = this.options.dataKeys;
        const key = dataKeys ? dataKeys.acquireCached() ?? await dataKeys.acquire() : undefined;
        const record = this.build(item.event, seq, prevHash, lastKid, key);
        lines.push(record.line);
        built.push(item);
        seq++;
        prevHash = record.hash;
        lastKid = record.kid ?? lastKid;
      } catch (error) {
        item.reject(error);
      }
    }
    if (lines.length === 0) return;
    try {
      const sink = this.options.sink;
      if (sink.writeBatch) await sink.writeBatch(lines);
      else for (const line of lines) await sink.write(line);
    } catch (error) {
      // The chain does not advance past records that may not have been written.
      built.forEach((item) => item.reject(error));
      return;
    }
    this.seq = seq;
    this.prevHash = prevHash;
    this.lastKid = lastKid;
    built.forEach((item) => item.resolve());
  }

  /** Synchronous: a record in a batch costs no promise once its data key is at hand. */
  private build(event: AuditEvent, seq: number, prevHash: string, lastKid: string | undefined, key: DataKey | undefined): BuiltRecord {
    // Members are set only when defined: the hash (canonical JSON) and the written line
    // (JSON.stringify) then describe the same value without a JSON round trip per record.
    const record: Record<string, unknown> = {
      v: AUDIT_RECORD_VERSION,
      type: 'mcp.audit',
      gateway: this.options.gateway,
      chain: this.chain,
      seq,
      time: new Date(event.time ?? this.options.clock()).toISOString(),
    };
    defined(record, 'subject', event.subject);
    defined(record, 'session', event.sessionId);
    defined(record, 'client', event.clientId);
    defined(record, 'requestId', event.requestId);
    record.method = event.method;
    defined(record, 'target', event.target);
    record.decision = event.decision;
    defined(record, 'reasons', event.reasons);
    defined(record, 'policyIds', event.policyIds);
    if (event.policyIds !== undefined) defined(record, 'policyStore', this.options.policyStoreId);
    defined(record, 'toolHash', event.toolHash);
    defined(record, 'findings', event.findings?.slice(0, MAX_FINDINGS_PER_RECORD));
    defined(record, 'latencyMs', event.latencyMs);
    defined(record, 'httpStatus', event.httpStatus);
    defined(record, 'rpcErrorCode', event.rpcErrorCode);
    defined(record, 'riskScore', event.riskScore);
    // The line is JSON.stringify of the record, members in this order; those from the payload on
    // are appended by builtRecordLine.
    const head = JSON.stringify(record);
    const payload = this.payload(event, seq, key);
    defined(record, 'payload', payload);
    record.prevHash = prevHash;
    const hash = canonicalJsonHash(builtRecordJson(record, payload && 'ct' in payload ? encryptedPayloadJson(payload) : undefined));
    // Hash and seal come after the hashed members: the line lists them last, as the verifier expects.
    const seal = key ? this.seal(key, hash, lastKid) : undefined;
    const line = builtRecordLine(head, payload, prevHash, hash, seal);
    return { line: this.options.format === 'jsonl' ? line : withEmbeddedMetric(line, record.time as string), hash, kid: seal?.kid };
  }

  private seal(key: DataKey, hash: string, lastKid: string | undefined): ChainSeal {
    let derived = this.sealKeys.get(key.plaintext);
    if (!derived) {
      derived = { macKey: sealKey(key.plaintext), kid: sealKid(key.encrypted) };
      this.sealKeys.set(key.plaintext, derived);
    }
    const { macKey, kid } = derived;
    const mac = sealMac(macKey, hash);
    return kid === lastKid ? { kid, mac } : { kid, edk: key.encrypted.toString('base64'), kms: key.keyId, mac };
  }

  private payload(event: AuditEvent, seq: number, key: DataKey | undefined): EncryptedPayload | OmittedPayload | undefined {
    if (event.arguments === undefined && event.result === undefined) return undefined;
    let json: string;
    try {
      json = JSON.stringify({ arguments: event.arguments, result: event.result });
    } catch {
      return { omitted: 'not-serialisable', bytes: 0 };
    }
    const plaintext = Buffer.from(json, 'utf8');
    if (plaintext.length > this.options.maxPayloadBytes) return { omitted: 'too-large', bytes: plaintext.length };
    if (!key) return { omitted: 'no-encryption-key', bytes: plaintext.length };
    return sealPayload(key, plaintext, payloadAad(this.chain, seq));
  }
}

function defined(record: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined) record[key] = value;
}
