import { randomBytes } from 'crypto';
import { GENESIS_HASH, payloadAad } from '../../../src/enforcement/audit/audit-record';
import { builtRecordJson, encryptedPayloadJson } from '../../../src/enforcement/audit/built-record-json';
import { sealPayload } from '../../../src/enforcement/audit/payload-envelope';
import { canonicalJson } from '../../../src/enforcement/pinning/canonical-json';

const dataKey = { plaintext: randomBytes(32), encrypted: randomBytes(184), keyId: 'arn:aws:kms:us-east-1:111111111111:key/"quoted"' };
const payload = sealPayload(dataKey, Buffer.from('{"arguments":{}}'), payloadAad('gw/chain', 3));

/** A record with every member AuditLog may set, with strings JSON must escape. */
const FULL: Record<string, unknown> = {
  v: 1,
  type: 'mcp.audit',
  gateway: 'gw "one"',
  chain: 'gw/chain',
  seq: 3,
  time: '2026-11-27T12:00:00.000Z',
  subject: 'ü\u2028\n',
  session: 's-1',
  client: 'c',
  requestId: 'r-1',
  method: 'tools/call',
  target: { upstream: 'docs', kind: 'tool', name: 'x' },
  decision: 'deny',
  reasons: ['a', 'b'],
  policyIds: ['p'],
  policyStore: 'PS1',
  toolHash: `sha256:${'ab'.repeat(32)}`,
  findings: [{ detector: 'jwt', category: 'secret', severity: 'high', action: 'redact', location: 'l', message: 'm' }],
  latencyMs: 0.25,
  httpStatus: 403,
  rpcErrorCode: -32001,
  riskScore: 12.5,
  payload,
  prevHash: GENESIS_HASH,
};

describe('builtRecordJson', () => {
  test('equals canonicalJson of a record with every member, and with each member left out', () => {
    expect(builtRecordJson(FULL, encryptedPayloadJson(payload))).toBe(canonicalJson(FULL));
    for (const member of Object.keys(FULL)) {
      const { [member]: _removed, ...rest } = FULL;
      expect(builtRecordJson(rest, 'payload' in rest ? encryptedPayloadJson(payload) : undefined)).toBe(canonicalJson(rest));
    }
  });

  test('without payload JSON, and with an omitted payload, members are written by canonicalJson', () => {
    const omitted = { ...FULL, payload: { omitted: 'too-large', bytes: 70_000 } };
    expect(builtRecordJson(omitted)).toBe(canonicalJson(omitted));
    expect(builtRecordJson(FULL)).toBe(canonicalJson(FULL));
  });

  test('leaves out members JSON cannot hold, as canonicalJson does', () => {
    const odd = { ...FULL, subject: undefined, session: () => 's', client: Symbol('c') };
    expect(builtRecordJson(odd)).toBe(canonicalJson(odd));
  });

  test('the canonical payload is the payload canonicalJson writes', () => {
    expect(encryptedPayloadJson(payload)).toBe(canonicalJson(payload));
  });
});
