import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { AuditLog } from '../../../src/enforcement/audit/audit-log';
import { AuditRecord, encryptionContext, recordHash } from '../../../src/enforcement/audit/audit-record';
import { AuditLineFormat, AuditSink } from '../../../src/enforcement/audit/audit-sinks';
import { verifyAuditLines } from '../../../src/enforcement/audit/chain-verifier';
import { DataKeyCache } from '../../../src/enforcement/audit/data-key-cache';
import { kmsDataKeyUnwrapper, main } from '../../../src/enforcement/audit/verify-cli';
import { localKms } from '../support/local-kms';

const T0 = Date.UTC(2026, 10, 27, 12, 0, 0);
const N = 200;

async function writeChain(count: number, format: AuditLineFormat = 'jsonl', chain = 'mcp-gateway/test/0001') {
  const lines: string[] = [];
  const sink: AuditSink = { write: async (line) => void lines.push(line) };
  const { kms } = localKms();
  const dataKeys = new DataKeyCache(kms, 'alias/audit', encryptionContext('mcp-gateway', chain), { maxAgeMs: 60_000, maxUses: 64 }, () => T0);
  const log = new AuditLog({ gateway: 'mcp-gateway', chain, sink, format, failureMode: 'closed', dataKeys, maxPayloadBytes: 4096, clock: () => T0 });
  for (let i = 0; i < count; i++) {
    await log.record({ subject: 'alice', sessionId: 's', requestId: i, method: 'tools/call', decision: 'allow', policyIds: ['p'], arguments: { i }, result: { ok: i } });
  }
  return { lines, kms };
}

/** Flip one bit of the byte at `offset` of line `seq`. */
function flip(lines: readonly string[], seq: number, offset: number): string[] {
  const copy = [...lines];
  const bytes = Buffer.from(copy[seq], 'utf8');
  bytes[offset % bytes.length] ^= 0x01;
  copy[seq] = bytes.toString('utf8');
  return copy;
}

let chain: { lines: string[]; kms: ReturnType<typeof localKms>['kms'] };
beforeAll(async () => {
  chain = await writeChain(N);
});

describe('verifyAuditLines', () => {
  test('an intact chain verifies, with its head hash', async () => {
    const report = await verifyAuditLines(chain.lines, { unwrapDataKey: kmsDataKeyUnwrapper(chain.kms) });
    const last = JSON.parse(chain.lines[N - 1]) as AuditRecord;
    expect(report).toEqual({ ok: true, records: N, decrypted: N, sealsVerified: true, firstBroken: undefined, chains: [{ chain: 'mcp-gateway/test/0001', records: N, lastSeq: N - 1, headHash: last.hash }] });
  });

  test('a flipped bit anywhere in a record is reported at that record\'s seq (property)', async () => {
    // The seal sits outside the hash, so flips inside it are caught by the seal check.
    const unwrapDataKey = kmsDataKeyUnwrapper(chain.kms);
    await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: N - 1 }), fc.nat(), async (seq, offset) => {
      const report = await verifyAuditLines(flip(chain.lines, seq, offset), { unwrapDataKey });
      expect(report.ok).toBe(false);
      expect(report.firstBroken?.seq).toBe(seq);
      expect(report.firstBroken?.line).toBe(seq + 1);
    }), { numRuns: 100 });
  });

  test('an edited value is reported as altered content', async () => {
    const lines = [...chain.lines];
    lines[42] = lines[42].replace('"decision":"allow"', '"decision":"deny"');
    expect((await verifyAuditLines(lines)).firstBroken).toEqual({ line: 43, chain: 'mcp-gateway/test/0001', seq: 42, reason: 'hash does not match the record content (record altered)' });
  });

  test('a deleted, a duplicated and a swapped record are each found where they happen', async () => {
    const deleted = chain.lines.filter((_, i) => i !== 17);
    expect((await verifyAuditLines(deleted)).firstBroken).toEqual(expect.objectContaining({ seq: 17, reason: 'expected seq 17, found 18 (record missing, inserted or reordered)' }));
    const duplicated = [...chain.lines.slice(0, 31), chain.lines[30], ...chain.lines.slice(31)];
    expect((await verifyAuditLines(duplicated)).firstBroken).toEqual(expect.objectContaining({ seq: 31 }));
    const swapped = [...chain.lines];
    [swapped[90], swapped[91]] = [swapped[91], swapped[90]];
    expect((await verifyAuditLines(swapped)).firstBroken).toEqual(expect.objectContaining({ seq: 90 }));
  });

  // proves: observability, defense-in-depth/data
  test('a chain rewritten with recomputed hashes passes the hash check but not the seals', async () => {
    let prevHash = `sha256:${'0'.repeat(64)}`;
    const forged = chain.lines.map((line, i) => {
      const record = JSON.parse(line) as Record<string, unknown>;
      if (i === 5) record.decision = 'deny';
      record.prevHash = prevHash;
      record.hash = recordHash(record);
      prevHash = record.hash as string;
      return JSON.stringify(record);
    });
    expect((await verifyAuditLines(forged)).ok).toBe(true);
    const sealed = await verifyAuditLines(forged, { unwrapDataKey: kmsDataKeyUnwrapper(chain.kms) });
    expect(sealed.firstBroken).toEqual(expect.objectContaining({ seq: 5, reason: 'seal does not match (chain rewritten without the audit key)' }));
    const stripped = forged.map((line) => JSON.stringify({ ...JSON.parse(line), seal: undefined }));
    expect((await verifyAuditLines(stripped, { unwrapDataKey: kmsDataKeyUnwrapper(chain.kms) })).firstBroken).toEqual(expect.objectContaining({ seq: 0, reason: 'record is not sealed' }));
  });

  // proves: isolation/data
  test('a payload moved to another record fails to decrypt (bound to chain and seq)', async () => {
    const records = chain.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    records[9].payload = records[8].payload;
    records[9].hash = recordHash(records[9]);
    const lines = records.slice(0, 10).map((r) => JSON.stringify(r));
    const report = await verifyAuditLines(lines.slice(0, 10), { unwrapDataKey: kmsDataKeyUnwrapper(chain.kms) });
    expect(report.firstBroken?.seq).toBe(9);
  });

  test('interleaved chains of two replicas verify independently; CloudWatch lines verify too', async () => {
    const a = await writeChain(20, 'cloudwatch', 'gw/a');
    const b = await writeChain(20, 'jsonl', 'gw/b');
    const merged = a.lines.flatMap((line, i) => [line, b.lines[i]]);
    const report = await verifyAuditLines(merged);
    expect(report.ok).toBe(true);
    expect(report.chains.map((c) => [c.chain, c.records])).toEqual([['gw/a', 20], ['gw/b', 20]]);
    expect(JSON.parse(a.lines[0])).toEqual(expect.objectContaining({ Decisions: 1, _aws: expect.objectContaining({ CloudWatchMetrics: [expect.objectContaining({ Namespace: 'McpGateway/Audit' })] }) }));
  });
});

describe('verify-cli', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-'));
  afterAll(() => fs.rmSync(dir, { recursive: true }));

  test('exit 0 and a JSON report for an intact chain, decrypting with KMS', async () => {
    const file = path.join(dir, 'ok.jsonl');
    fs.writeFileSync(file, `${chain.lines.join('\n')}\n`);
    const out: string[] = [];
    expect(await main([file, '--decrypt', '--show-payloads'], { kms: chain.kms, out: (t) => out.push(t) })).toBe(0);
    expect(JSON.parse(out[0])).toEqual({ chain: 'mcp-gateway/test/0001', seq: 0, payload: { arguments: { i: 0 }, result: { ok: 0 } } });
    expect(JSON.parse(out[out.length - 1])).toEqual(expect.objectContaining({ ok: true, records: N, decrypted: N }));
  });

  test('exit 1 naming the first broken link', async () => {
    const file = path.join(dir, 'broken.jsonl');
    fs.writeFileSync(file, flip(chain.lines, 123, 60).join('\n'));
    const out: string[] = [];
    expect(await main([file], { out: (t) => out.push(t) })).toBe(1);
    expect(JSON.parse(out[0]).firstBroken).toEqual(expect.objectContaining({ seq: 123, line: 124 }));
  });

  test('exit 2 on bad usage or a missing file', async () => {
    const out: string[] = [];
    expect(await main([], { out: (t) => out.push(t) })).toBe(2);
    expect(out[0]).toMatch(/^usage: verify-cli/);
    expect(await main([path.join(dir, 'missing.jsonl')], { out: () => undefined })).toBe(2);
  });
});
