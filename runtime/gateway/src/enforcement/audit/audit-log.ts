import type { AuditEvent } from '../types';
import {
  AUDIT_RECORD_VERSION,
  AuditRecord,
  ChainSeal,
  EncryptedPayload,
  GENESIS_HASH,
  newChainId,
  OmittedPayload,
  payloadAad,
  recordHash,
  sealKey,
  sealKid,
  sealMac,
} from './audit-record';
import { AuditLineFormat, AuditSink, formatAuditLine } from './audit-sinks';
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
}

interface Pending {
  readonly event: AuditEvent;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

const MAX_FINDINGS_PER_RECORD = 100;

/**
 * A hash-chained audit log: every record carries `seq` and the hash of the previous record, so
 * removing, inserting, reordering or editing a record breaks the chain at that point; with KMS
 * configured every record is also sealed (see `ChainSeal`). Records
 * are written in batches (group commit): while one batch is being written the next one
 * accumulates, and each `record` call resolves only after its own line was written.
 */
export class AuditLog {
  /** This process's chain id. */
  readonly chain: string;
  private seq = 0;
  private prevHash = GENESIS_HASH;
  /** Kid of the data key that sealed the last written record. */
  private lastKid?: string;
  private readonly sealKeys = new WeakMap<Buffer, Buffer>();
  private readonly pending: Pending[] = [];
  private writing = false;
  private draining: Promise<void> = Promise.resolve();

  constructor(private readonly options: AuditLogOptions) {
    this.chain = options.chain ?? newChainId(options.gateway, options.clock());
  }

  /** Append one record. */
  record(event: AuditEvent): Promise<void> {
    const written = new Promise<void>((resolve, reject) => this.pending.push({ event, resolve, reject }));
    if (!this.writing) this.draining = this.drain();
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

  private async drain(): Promise<void> {
    // `writing` flips back in the same microtask the loop ends in, so a record queued by a
    // continuation of the last batch either is seen by the loop or starts the next drain.
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
        const record = await this.build(item.event, seq, prevHash, lastKid);
        lines.push(formatAuditLine(record, this.options.format));
        built.push(item);
        seq++;
        prevHash = record.hash;
        lastKid = record.seal?.kid ?? lastKid;
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

  private async build(event: AuditEvent, seq: number, prevHash: string, lastKid: string | undefined): Promise<AuditRecord> {
    const key = await this.options.dataKeys?.acquire();
    const unhashed = {
      v: AUDIT_RECORD_VERSION,
      type: 'mcp.audit' as const,
      gateway: this.options.gateway,
      chain: this.chain,
      seq,
      time: new Date(event.time ?? this.options.clock()).toISOString(),
      subject: event.subject,
      session: event.sessionId,
      client: event.clientId,
      requestId: event.requestId,
      method: event.method,
      target: event.target,
      decision: event.decision,
      reasons: event.reasons,
      policyIds: event.policyIds,
      toolHash: event.toolHash,
      findings: event.findings?.slice(0, MAX_FINDINGS_PER_RECORD),
      latencyMs: event.latencyMs,
      httpStatus: event.httpStatus,
      rpcErrorCode: event.rpcErrorCode,
      riskScore: event.riskScore,
      payload: this.payload(event, seq, key),
      prevHash,
    };
    // JSON round trip: drops undefined members so the written line and the hashed value agree.
    const record = JSON.parse(JSON.stringify(unhashed)) as Omit<AuditRecord, 'hash'>;
    const hash = recordHash(record);
    return key ? { ...record, hash, seal: this.seal(key, hash, lastKid) } : { ...record, hash };
  }

  private seal(key: DataKey, hash: string, lastKid: string | undefined): ChainSeal {
    let macKey = this.sealKeys.get(key.plaintext);
    if (!macKey) {
      macKey = sealKey(key.plaintext);
      this.sealKeys.set(key.plaintext, macKey);
    }
    const kid = sealKid(key.encrypted);
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
