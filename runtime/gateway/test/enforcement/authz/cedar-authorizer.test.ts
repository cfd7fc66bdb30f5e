import * as fs from 'fs';
import * as path from 'path';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import * as fc from 'fast-check';
import { CedarAuthorizer, CedarRequest } from '../../../src/enforcement/authz/cedar-authorizer';
import { contextUsage } from '../../../src/enforcement/authz/context-usage';
import { DEFAULT_POLICY_DIR, SCHEMA_FILE, loadPolicyDirectory, validatePolicies } from '../../../src/enforcement/authz/policy-loader';

const SCHEMA = fs.readFileSync(path.join(DEFAULT_POLICY_DIR, SCHEMA_FILE), 'utf8');
const TIMED = `
@id("office-hours") permit (principal, action == McpGateway::Action::"call_tool", resource is McpGateway::Tool)
when { context.hourOfDayUtc >= 8 && context.hourOfDayUtc < 18 && context.scopes.containsAll(resource.requiredScopes) };
@id("risky") forbid (principal, action, resource is McpGateway::Tool) when { context.riskScore > 40 };
@id("client") forbid (principal, action, resource) when { context has clientId && context.clientId == "blocked" };
`;

function request(hour: number, scopes: string[], risk: number, clientId?: string, session = 's'): CedarRequest {
  const tool = { uid: { type: 'McpGateway::Tool', id: 'docs/search' }, attrs: { name: 'search', upstream: 'docs', groups: [], requiredScopes: ['mcp:tools'], destructive: false, quarantined: false, definitionHash: '' }, parents: [] };
  const user = { uid: { type: 'McpGateway::User', id: 'alice' }, attrs: {}, parents: [] };
  const context: Record<string, cedar.CedarValueJson> = { scopes, riskScore: risk, nowEpochSeconds: 1_800_000_000 + hour * 3600, hourOfDayUtc: hour, dayOfWeekUtc: 3, upstream: 'docs', method: 'tools/call', sessionId: session };
  if (clientId) context.clientId = clientId;
  return { principal: user.uid, action: 'call_tool', resource: tool.uid, context, entities: [user, tool] };
}

describe('contextUsage', () => {
  test('finds the context attributes the starter policy reads', () => {
    const loaded = loadPolicyDirectory(DEFAULT_POLICY_DIR);
    expect([...contextUsage(Object.values(loaded.policies)) as Set<string>].sort()).toEqual(['riskScore', 'scopes']);
  });

  test('counts `has` tests, and gives up (all) when the whole context is used', () => {
    expect([...contextUsage([TIMED.split(';')[2] + ';']) as Set<string>]).toEqual(['clientId']);
    expect(contextUsage(['permit (principal, action, resource) when { context == {} };'])).toBe('all');
    expect(contextUsage(['permit (principal, action, resource) when { context has a.b };'])).toEqual(new Set(['a']));
  });
});

describe('CedarAuthorizer decision memo', () => {
  test('memoised answers equal fresh evaluations, including time- and client-dependent policies (property)', () => {
    const loaded = validatePolicies(SCHEMA, { 'timed.cedar': TIMED }, 'test');
    const memoised = new CedarAuthorizer(loaded, true);
    const arbitraryRequest = fc.tuple(
      fc.integer({ min: 0, max: 23 }),
      fc.subarray(['mcp:tools', 'mcp:prompts', 'x']),
      fc.integer({ min: 0, max: 80 }),
      fc.option(fc.constantFrom('ok', 'blocked'), { nil: undefined }),
      fc.constantFrom('s1', 's2'),
    );
    fc.assert(fc.property(fc.array(arbitraryRequest, { minLength: 1, maxLength: 30 }), (requests) => {
      for (const [hour, scopes, risk, clientId, session] of requests) {
        const r = request(hour, scopes, risk, clientId, session);
        const fresh = cedar.isAuthorized({ ...r, action: { type: 'McpGateway::Action', id: r.action }, policies: { staticPolicies: { ...loaded.policies } } });
        expect(fresh.type).toBe('success');
        const expected = fresh.type === 'success' ? fresh.response.decision === 'allow' : false;
        expect(memoised.isAuthorized(r).allow).toBe(expected);
      }
    }), { numRuns: 40 });
  });

  test('a context attribute no policy reads does not split the memo; one a policy reads does', () => {
    const loaded = validatePolicies(SCHEMA, { 'timed.cedar': TIMED }, 'test');
    const authz = new CedarAuthorizer(loaded, true);
    const first = authz.isAuthorized(request(9, ['mcp:tools'], 0, undefined, 's1'));
    expect(authz.isAuthorized(request(9, ['mcp:tools'], 0, undefined, 's2'))).toBe(first);
    expect(authz.isAuthorized(request(19, ['mcp:tools'], 0, undefined, 's1'))).not.toBe(first);
    expect(first.allow).toBe(true);
    expect(authz.isAuthorized(request(19, ['mcp:tools'], 0)).allow).toBe(false);
  });
});
