import { JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js';
import * as fc from 'fast-check';
import { isErrorResponse, isNotification, isRequest, isResponse, isResultResponse, jsonRpcProblem } from '../../src/transport/jsonrpc-message';

/** MCP's bounds the gateway adds to the SDK's schema: ids and methods up to 256 characters, ids safe integers. */
function withinGatewayBounds(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  const m = value as Record<string, unknown>;
  if ('id' in m && typeof m.id === 'number' && !Number.isSafeInteger(m.id)) return false;
  if ('id' in m && typeof m.id === 'string' && m.id.length > 256) return false;
  if (typeof m.method === 'string' && (m.method.length === 0 || m.method.length > 256)) return false;
  // The SDK allows an error response without id; MCP requests always have one, so the gateway does not.
  return !('error' in m && !('id' in m));
}

describe('JSON-RPC message validation without zod', () => {
  const key = fc.constantFrom('jsonrpc', 'id', 'method', 'params', 'result', 'error', 'extra');
  const meta = fc.oneof(
    fc.constant(undefined), fc.constant(null), fc.constant([]),
    fc.record({ progressToken: fc.oneof(fc.string(), fc.integer(), fc.double(), fc.constant(null)) }, { requiredKeys: [] }),
    fc.record({ 'io.modelcontextprotocol/related-task': fc.oneof(fc.record({ taskId: fc.oneof(fc.string(), fc.integer()) }), fc.constant('x')) }),
  );
  const member = fc.oneof(
    fc.constant('2.0'), fc.constant('1.0'), fc.string({ maxLength: 5 }), fc.integer(), fc.double(), fc.constant(null), fc.constant([]),
    fc.record({ _meta: meta }, { requiredKeys: [] }),
    fc.record({ code: fc.oneof(fc.integer(), fc.double(), fc.string()), message: fc.oneof(fc.string(), fc.integer()), data: fc.jsonValue() }, { requiredKeys: ['code'] }),
  );
  const candidate = fc.oneof(
    fc.dictionary(key, member, { maxKeys: 5 }),
    // Mostly well-formed shapes with one thing possibly off.
    fc.record({ jsonrpc: fc.constantFrom('2.0', '2.0', '1.0'), id: fc.oneof(fc.integer(), fc.string({ maxLength: 4 }), fc.double()), method: fc.string({ maxLength: 4 }), params: member }, { requiredKeys: ['jsonrpc'] }),
    fc.record({ jsonrpc: fc.constant('2.0'), id: fc.integer(), result: member }, { requiredKeys: ['jsonrpc', 'id'] }),
    fc.record({ jsonrpc: fc.constant('2.0'), id: fc.integer(), error: member }, { requiredKeys: ['jsonrpc', 'id'] }),
    fc.jsonValue({ maxDepth: 2 }),
  );

  test('accepts exactly what the SDK schema accepts, within the gateway\'s stricter bounds', () => {
    let accepted = 0;
    fc.assert(fc.property(candidate, (value) => {
      const sdk = JSONRPCMessageSchema.safeParse(value).success && withinGatewayBounds(value);
      expect({ value, ok: jsonRpcProblem(value) === undefined }).toEqual({ value, ok: sdk });
      if (sdk) accepted++;
    }), { numRuns: 5000 });
    // The property says something only if valid messages are generated too.
    expect(accepted).toBeGreaterThan(100);
  });

  test('refuses what MCP refuses beyond the SDK: unbounded or unsafe ids, empty methods', () => {
    expect(jsonRpcProblem({ jsonrpc: '2.0', id: 2 ** 60, method: 'ping' })).toBe('id must be a string or an integer');
    expect(jsonRpcProblem({ jsonrpc: '2.0', id: 'x'.repeat(257), method: 'ping' })).toBe('id must be a string or an integer');
    expect(jsonRpcProblem({ jsonrpc: '2.0', id: 1, method: '' })).toBe('method must be a non-empty string');
    expect(jsonRpcProblem({ jsonrpc: '2.0', error: { code: 1, message: 'x' } })).toBe('expected a request, notification or response');
  });

  test('guards tell validated messages apart by their members', () => {
    const request = { jsonrpc: '2.0' as const, id: 1, method: 'ping' };
    const notification = { jsonrpc: '2.0' as const, method: 'notifications/initialized' };
    const result = { jsonrpc: '2.0' as const, id: 1, result: {} };
    const error = { jsonrpc: '2.0' as const, id: 1, error: { code: -1, message: 'x' } };
    const guards = (m: Parameters<typeof isRequest>[0]) => [isRequest(m), isNotification(m), isResponse(m), isResultResponse(m), isErrorResponse(m)];
    expect([request, notification, result, error].map(guards)).toEqual([
      [true, false, false, false, false],
      [false, true, false, false, false],
      [false, false, true, true, false],
      [false, false, true, false, true],
    ]);
  });
});
