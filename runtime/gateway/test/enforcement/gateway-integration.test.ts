import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GenerateDataKeyCommand } from '@aws-sdk/client-kms';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import {
  Decision,
  Enforcement,
  InspectionResult,
  ListKind,
  PinResult,
  RequestContext,
  Target,
  ToolDefinition,
  AuditEvent,
  createEnforcement,
  parseEnforcementConfig,
} from '../../src/enforcement';
import { AuditRecord } from '../../src/enforcement/audit/audit-record';
import { verifyAuditLines } from '../../src/enforcement/audit/chain-verifier';
import { kmsDataKeyUnwrapper } from '../../src/enforcement/audit/verify-cli';
import { Harness, startHarness } from '../support/harness';
import { INITIALIZE, mcpHeaders, raw } from '../support/raw';
import { localKms } from './support/local-kms';

/** Delegates to the real enforcement and keeps every pin result. */
class Capturing implements Enforcement {
  readonly pins: PinResult[] = [];
  constructor(private readonly inner: Enforcement) {}
  authorize(ctx: RequestContext, target: Target): Promise<Decision> { return this.inner.authorize(ctx, target); }
  filterList<T extends { name?: string; uri?: string }>(ctx: RequestContext, upstream: string, kind: ListKind, items: T[]): Promise<T[]> {
    return this.inner.filterList(ctx, upstream, kind, items);
  }
  pinTools<T extends ToolDefinition>(upstream: string, tools: T[]): PinResult<T> {
    const result = this.inner.pinTools(upstream, tools);
    this.pins.push(result);
    return result;
  }
  inspectResult(ctx: RequestContext, target: Target, result: unknown): Promise<InspectionResult> {
    return this.inner.inspectResult(ctx, target, result);
  }
  record(event: AuditEvent): Promise<void> { return this.inner.record(event); }
  close(): Promise<void> { return this.inner.close(); }
}

const DESTRUCTIVE = ['mcp', 'mcp:tools', 'mcp:resources', 'mcp:prompts', 'mcp:tools:destructive'];

describe('the gateway with the real enforcement point', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-audit-'));
  const auditFile = path.join(dir, 'audit.jsonl');
  const { kms, mock } = localKms();
  let h: Harness;

  beforeAll(async () => {
    // Bootstrap as an operator would: start with nothing approved and read the hashes to approve.
    const bootstrap = new Capturing(await createEnforcement(parseEnforcementConfig({ audit: { sink: { type: 'file', path: path.join(dir, 'bootstrap.jsonl') } } })));
    const first = await startHarness({ upstreams: ['alpha'], enforcement: bootstrap });
    const { client } = await first.client();
    expect((await client.listTools()).tools).toEqual([]);
    await first.close();
    const offered = bootstrap.pins[0].approvalSnippet.alpha;
    // Approve everything except `confirm` (new), and `add` under another hash (drifted).
    const { confirm: _unapproved, ...approved } = offered;
    approved.add = `sha256:${'f'.repeat(64)}`;
    const config = parseEnforcementConfig({
      pinning: { approved: { alpha: approved } },
      audit: { sink: { type: 'file', path: auditFile }, encryption: { kmsKeyId: 'alias/mcp-audit' } },
    });
    h = await startHarness({ upstreams: ['alpha'], enforcement: await createEnforcement(config, { kms }) });
  });

  afterAll(() => fs.rmSync(dir, { recursive: true }));

  test('tools/list shows the approved tools only', async () => {
    const { client } = await h.client();
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['alpha__echo', 'alpha__count', 'alpha__leak']));
    expect(names).not.toContain('alpha__add');
    expect(names).not.toContain('alpha__confirm');
  });

  test('an approved read-only tool is called through', async () => {
    const { client } = await h.client();
    const result = await client.callTool({ name: 'alpha__echo', arguments: { message: 'hello' } });
    expect(result.content).toEqual([{ type: 'text', text: 'hello' }]);
  });

  test('a drifted and a new tool are refused with -32003', async () => {
    const { client } = await h.client();
    for (const name of ['alpha__add', 'alpha__confirm']) {
      const error = await client.callTool({ name, arguments: { a: 1, b: 2, action: 'x' } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(McpError);
      expect((error as McpError).code).toBe(-32003);
    }
  });

  test('a destructive tool without the scope gets the exact insufficient_scope challenge', async () => {
    const token = await h.token();
    const init = await raw(`${h.base}/mcp`, { headers: mcpHeaders(token), body: INITIALIZE });
    const sid = init.headers['mcp-session-id'] as string;
    const res = await raw(`${h.base}/mcp`, {
      headers: mcpHeaders(token, { 'mcp-session-id': sid }),
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'alpha__count', arguments: { n: 1 } } }),
    });
    expect(res.status).toBe(403);
    expect(res.headers['www-authenticate']).toContain('scope="mcp mcp:prompts mcp:resources mcp:tools mcp:tools:destructive", error="insufficient_scope"');
  });

  test('an injection in a tool result is blocked with -32004', async () => {
    const { client } = await h.client({ token: await h.token('bob', DESTRUCTIVE) });
    const error = await client.callTool({ name: 'alpha__leak', arguments: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(McpError);
    expect((error as McpError).code).toBe(-32004);
  });

  test('every decision is in a sealed audit chain that verifies, with one KMS data key', async () => {
    await h.close();
    const lines = fs.readFileSync(auditFile, 'utf8').split('\n');
    const report = await verifyAuditLines(lines, { unwrapDataKey: kmsDataKeyUnwrapper(kms) });
    expect(report.ok).toBe(true);
    expect(report.decrypted).toBeGreaterThan(0);
    expect(mock.commandCalls(GenerateDataKeyCommand)).toHaveLength(1);
    const records = lines.filter((l) => l.trim()).map((l) => JSON.parse(l) as AuditRecord);
    expect(records.find((r) => r.target?.name === 'add')).toEqual(expect.objectContaining({ decision: 'deny', policyIds: ['gateway:quarantine'], toolHash: expect.stringMatching(/^sha256:/) }));
    expect(records.find((r) => r.target?.name === 'echo' && r.decision === 'allow')).toEqual(expect.objectContaining({ policyIds: ['tools-granted-by-scope'] }));
    expect(records.find((r) => r.target?.name === 'leak')?.findings?.map((f) => f.detector)).toEqual(expect.arrayContaining(['instruction-override', 'aws-access-key']));
  });
});
