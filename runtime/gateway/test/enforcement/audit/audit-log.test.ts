import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GenerateDataKeyCommand } from '@aws-sdk/client-kms';
import { AuditLog } from '../../../src/enforcement/audit/audit-log';
import { AuditRecord, encryptionContext } from '../../../src/enforcement/audit/audit-record';
import { AuditLineFormat, AuditSink, FileSink, formatAuditLine } from '../../../src/enforcement/audit/audit-sinks';
import { verifyAuditLines } from '../../../src/enforcement/audit/chain-verifier';
import { DataKeyCache } from '../../../src/enforcement/audit/data-key-cache';
import { kmsDataKeyUnwrapper } from '../../../src/enforcement/audit/verify-cli';
import type { AuditEvent } from '../../../src/enforcement/types';
import { LOCAL_KEY_ARN, localKms } from '../support/local-kms';

const T0 = Date.UTC(2026, 10, 27, 12, 0, 0);

/** A sink that keeps lines in memory and can be made to fail. */
class MemorySink implements AuditSink {
  readonly lines: string[] = [];
  failing = false;
  async write(line: string): Promise<void> {
    if (this.failing) throw new Error('disk full');
    this.lines.push(line);
  }
}

function event(i: number, extra: Partial<AuditEvent> = {}): AuditEvent {
  return {
    subject: `user-${i % 7}`,
    sessionId: `s-${i % 3}`,
    requestId: i,
    method: 'tools/call',
    target: { kind: 'tool', name: 'search', upstream: 'docs' },
    decision: i % 5 === 0 ? 'deny' : 'allow',
    policyIds: ['tools-granted-by-scope'],
    toolHash: `sha256:${'ab'.repeat(32)}`,
    latencyMs: 0.4,
    arguments: { q: `query ${i}` },
    result: { content: [{ type: 'text', text: `result ${i}` }] },
    ...extra,
  };
}

function setup(options: { maxAgeMs?: number; maxUses?: number; failureMode?: 'closed' | 'open'; sink?: AuditSink; encrypted?: boolean; policyStoreId?: string; format?: AuditLineFormat } = {}) {
  let now = T0;
  const clock = () => now;
  const { kms, mock } = localKms();
  const chain = 'mcp-gateway/test/0001';
  const dataKeys = options.encrypted === false ? undefined
    : new DataKeyCache(kms, 'alias/audit', encryptionContext('mcp-gateway', chain), { maxAgeMs: options.maxAgeMs ?? 300_000, maxUses: options.maxUses ?? 10_000 }, clock);
  const sink = options.sink ?? new MemorySink();
  const errors: unknown[] = [];
  const log = new AuditLog({
    gateway: 'mcp-gateway',
    chain,
    sink,
    format: options.format ?? 'jsonl',
    failureMode: options.failureMode ?? 'closed',
    dataKeys,
    maxPayloadBytes: 4096,
    clock,
    onError: (e) => errors.push(e),
    policyStoreId: options.policyStoreId,
  });
  return { log, kms, mock, sink, errors, advance: (ms: number) => (now += ms) };
}

/** The record's members in the order records have always been written (an independent rebuild of a line). */
function inWrittenOrder(record: Record<string, unknown>): AuditRecord {
  const pick = (value: unknown, order: readonly string[]) => {
    const source = value as Record<string, unknown>;
    return Object.fromEntries(order.filter((k) => source[k] !== undefined).map((k) => [k, source[k]]));
  };
  const ordered = pick(record, [
    'v', 'type', 'gateway', 'chain', 'seq', 'time', 'subject', 'session', 'client', 'requestId', 'method', 'target', 'decision', 'reasons',
    'policyIds', 'policyStore', 'toolHash', 'findings', 'latencyMs', 'httpStatus', 'rpcErrorCode', 'riskScore', 'payload', 'prevHash', 'hash', 'seal',
  ]);
  if (ordered.payload) ordered.payload = pick(ordered.payload, ['alg', 'kms', 'edk', 'iv', 'tag', 'ct', 'omitted', 'bytes']);
  if (ordered.seal) ordered.seal = pick(ordered.seal, ['kid', 'edk', 'kms', 'mac']);
  expect(Object.keys(ordered)).toHaveLength(Object.keys(record).length);
  return ordered as unknown as AuditRecord;
}

describe('AuditLog', () => {
  // proves: observability, secure-by-default/logging
  test('records chain from the genesis hash, are sealed, and carry the decision fields', async () => {
    const { log, sink } = setup();
    await log.record(event(0));
    await log.record(event(1, { findings: [{ detector: 'jwt', category: 'secret', severity: 'high', action: 'redact', location: 'content[0].text', message: 'jwt: 1 match(es)' }] }));
    const [first, second] = (sink as MemorySink).lines.map((l) => JSON.parse(l) as AuditRecord);
    expect(first).toEqual(expect.objectContaining({ v: 1, type: 'mcp.audit', seq: 0, prevHash: `sha256:${'0'.repeat(64)}`, time: '2026-11-27T12:00:00.000Z', decision: 'deny', subject: 'user-0', toolHash: `sha256:${'ab'.repeat(32)}` }));
    expect(first.seal).toEqual({ kid: expect.stringMatching(/^[0-9a-f]{16}$/), edk: expect.any(String), kms: LOCAL_KEY_ARN, mac: expect.any(String) });
    expect(second.prevHash).toBe(first.hash);
    expect(second.seal).toEqual({ kid: first.seal!.kid, mac: expect.any(String) });
    expect(second.findings).toHaveLength(1);
    expect(JSON.stringify(first)).not.toContain('query 0');
  });

  test('records of policy decisions name the Verified Permissions policy store, inside the hashed record', async () => {
    const { log, sink } = setup({ policyStoreId: 'PSEXAMPLEabcdefg111111' });
    await log.record(event(1));
    await log.record({ method: 'http:401', decision: 'deny', httpStatus: 401, reasons: ['authorization required'] });
    const [decision, rejection] = (sink as MemorySink).lines.map((l) => JSON.parse(l) as AuditRecord);
    expect(decision).toMatchObject({ policyIds: ['tools-granted-by-scope'], policyStore: 'PSEXAMPLEabcdefg111111' });
    expect(rejection.policyStore).toBeUndefined();
    // The store id is part of what the chain protects: changing it breaks the link.
    const tampered = [JSON.stringify({ ...decision, policyStore: 'PSOTHER' }), JSON.stringify(rejection)];
    expect((await verifyAuditLines((sink as MemorySink).lines)).ok).toBe(true);
    expect((await verifyAuditLines(tampered)).firstBroken).toMatchObject({ line: 1 });
  });

  test('a record with every event field set verifies: each member is inside the record hash', async () => {
    const { log, sink, kms } = setup({ policyStoreId: 'PSEXAMPLEabcdefg111111' });
    const finding = { detector: 'jwt', category: 'secret', severity: 'high', action: 'redact', location: 'content[0].text', message: 'jwt: 1 match(es)' } as const;
    const full = event(1, { time: T0 + 5, clientId: 'client-\u00e9', reasons: ['forbidden: "x"'], findings: [finding], httpStatus: 403, rpcErrorCode: -32001, riskScore: 12.5 });
    await log.record(full);
    await log.record(event(2, { requestId: 'r-2', result: 'x'.repeat(5000) }));
    const lines = (sink as MemorySink).lines;
    expect(JSON.parse(lines[0])).toMatchObject({ client: 'client-\u00e9', httpStatus: 403, rpcErrorCode: -32001, riskScore: 12.5, findings: [finding], policyStore: 'PSEXAMPLEabcdefg111111' });
    expect(await verifyAuditLines(lines, { unwrapDataKey: kmsDataKeyUnwrapper(kms) })).toMatchObject({ ok: true, records: 2, decrypted: 1 });
    const record = JSON.parse(lines[0]) as Record<string, unknown>;
    for (const key of Object.keys(record).filter((k) => k !== 'hash' && k !== 'seal' && k !== 'prevHash')) {
      const { [key]: _removed, ...rest } = record;
      expect((await verifyAuditLines([JSON.stringify(rest), lines[1]])).firstBroken).toMatchObject({ line: 1 });
    }
  });

  test('each line is formatAuditLine of its record: JSON.stringify of the record, EMF block appended for CloudWatch', async () => {
    for (const format of ['jsonl', 'cloudwatch'] as const) {
      for (const encrypted of [true, false]) {
        const { log, sink } = setup({ format, encrypted, maxUses: 2, policyStoreId: 'PS1' });
        await log.record(event(1, { clientId: 'c\u00e9"', reasons: ['a\nb'], riskScore: 3.25 }));
        for (let i = 2; i < 6; i++) await log.record(event(i));
        await log.record(event(6, { result: 'x'.repeat(5000) }));
        await log.record({ method: 'http:401', decision: 'deny', httpStatus: 401 });
        const lines = (sink as MemorySink).lines;
        expect(lines).toHaveLength(7);
        for (const line of lines) {
          const { _aws: _metric, Decisions: _count, ...plain } = JSON.parse(line) as Record<string, unknown>;
          expect(formatAuditLine(inWrittenOrder(plain), format)).toBe(line);
        }
        expect((await verifyAuditLines(lines)).ok).toBe(true);
      }
    }
  });

  test('without a configured store, records carry no policyStore', async () => {
    const { log, sink } = setup();
    await log.record(event(1));
    expect(JSON.parse((sink as MemorySink).lines[0]).policyStore).toBeUndefined();
  });

  test('after 1,000 concurrent records the chain verifies, with one KMS call, and payloads decrypt to the originals', async () => {
    const { log, kms, mock, sink } = setup();
    await Promise.all(Array.from({ length: 1000 }, (_, i) => log.record(event(i))));
    expect(mock.commandCalls(GenerateDataKeyCommand)).toHaveLength(1);
    expect(mock.commandCalls(GenerateDataKeyCommand)[0].args[0].input).toEqual({ KeyId: 'alias/audit', KeySpec: 'AES_256', EncryptionContext: { purpose: 'mcp-audit-payload', gateway: 'mcp-gateway', chain: 'mcp-gateway/test/0001' } });
    const payloads: unknown[] = [];
    const report = await verifyAuditLines((sink as MemorySink).lines, { unwrapDataKey: kmsDataKeyUnwrapper(kms), onPayload: (_at, p) => payloads.push(JSON.parse(p.toString('utf8'))) });
    expect(report).toEqual(expect.objectContaining({ ok: true, records: 1000, decrypted: 1000, sealsVerified: true }));
    expect(payloads[137]).toEqual({ arguments: { q: 'query 137' }, result: { content: [{ type: 'text', text: 'result 137' }] } });
    expect((sink as MemorySink).lines.map((l) => (JSON.parse(l) as AuditRecord).seq)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  test('data keys are replaced after their maximum age and number of uses', async () => {
    const aged = setup({ maxAgeMs: 60_000 });
    await aged.log.record(event(1));
    aged.advance(59_999);
    await aged.log.record(event(2));
    aged.advance(1);
    await aged.log.record(event(3));
    expect(aged.mock.commandCalls(GenerateDataKeyCommand)).toHaveLength(2);
    const used = setup({ maxUses: 10 });
    for (let i = 0; i < 25; i++) await used.log.record(event(i));
    expect(used.mock.commandCalls(GenerateDataKeyCommand)).toHaveLength(3);
    expect((await verifyAuditLines((used.sink as MemorySink).lines, { unwrapDataKey: kmsDataKeyUnwrapper(used.kms) })).ok).toBe(true);
  });

  // proves: secure-by-default/fail-secure
  test('fail closed: a sink failure rejects record, and the chain resumes cleanly afterwards', async () => {
    const { log, sink } = setup();
    await log.record(event(0));
    (sink as MemorySink).failing = true;
    await expect(log.record(event(1))).rejects.toThrow('disk full');
    (sink as MemorySink).failing = false;
    await log.record(event(2));
    const records = (sink as MemorySink).lines.map((l) => JSON.parse(l) as AuditRecord);
    expect(records.map((r) => [r.seq, r.requestId])).toEqual([[0, 0], [1, 2]]);
    expect((await verifyAuditLines((sink as MemorySink).lines)).ok).toBe(true);
  });

  test('fail open (configured): a sink failure is reported and swallowed', async () => {
    const sink = new MemorySink();
    sink.failing = true;
    const { log, errors } = setup({ failureMode: 'open', sink });
    await expect(log.record(event(0))).resolves.toBeUndefined();
    expect(errors).toEqual([new Error('disk full')]);
  });

  test('a KMS failure fails the record (closed) without breaking the chain', async () => {
    const { log, mock, sink } = setup();
    mock.on(GenerateDataKeyCommand).rejectsOnce(new Error('ThrottlingException'));
    await expect(log.record(event(0))).rejects.toThrow('ThrottlingException');
    expect((sink as MemorySink).lines).toEqual([]);
  });

  // proves: secure-by-default/encryption, defense-in-depth/data
  test('without a KMS key payloads are omitted, never written in clear; oversized payloads are omitted too', async () => {
    const { log, sink } = setup({ encrypted: false });
    await log.record(event(1));
    await log.record(event(2, { result: 'x'.repeat(5000) }));
    await log.record(event(3, { arguments: undefined, result: undefined }));
    const records = (sink as MemorySink).lines.map((l) => JSON.parse(l) as AuditRecord);
    expect(records.map((r) => r.payload)).toEqual([{ omitted: 'no-encryption-key', bytes: expect.any(Number) }, { omitted: 'too-large', bytes: expect.any(Number) }, undefined]);
    expect((sink as MemorySink).lines.join('\n')).not.toContain('query 1');
    expect(records[0].seal).toBeUndefined();
  });

  test('group commit: while other requests are in flight, the next turn\'s record joins the batch; otherwise each goes out in its own turn', async () => {
    const batches = async (busy: boolean): Promise<number[]> => {
      const sizes: number[] = [];
      const sink: AuditSink = { write: async () => undefined, writeBatch: async (lines) => { sizes.push(lines.length); } };
      const log = new AuditLog({ gateway: 'mcp-gateway', sink, format: 'jsonl', failureMode: 'closed', maxPayloadBytes: 4096, clock: () => T0, busy: () => busy });
      // GIVEN one record made now and one made in the next event-loop turn
      const first = log.record(event(1));
      const second = new Promise<void>((resolve) => setImmediate(() => resolve(log.record(event(2)))));
      await Promise.all([first, second]);
      return sizes;
    };
    // THEN a busy gateway writes both in one batch, an idle one writes the first without waiting
    expect(await batches(true)).toEqual([2]);
    expect(await batches(false)).toEqual([1, 1]);
  });

  test('writes JSON lines to a file, created owner-only', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-'));
    const file = path.join(dir, 'audit.jsonl');
    const { log } = setup({ sink: new FileSink(file, true) });
    for (let i = 0; i < 5; i++) await log.record(event(i));
    await log.close();
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect((await verifyAuditLines(fs.readFileSync(file, 'utf8').split('\n'))).records).toBe(5);
    fs.rmSync(dir, { recursive: true });
  });
});
