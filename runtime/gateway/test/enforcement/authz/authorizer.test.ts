import * as fs from 'fs';
import * as path from 'path';
import { Authorizer, RequestFacts } from '../../../src/enforcement/authz/authorizer';
import { DEFAULT_POLICY_DIR, SCHEMA_FILE, loadPolicyDirectory, validatePolicies } from '../../../src/enforcement/authz/policy-loader';
import { parseEnforcementConfig } from '../../../src/enforcement/config';
import type { RequestContext, Target } from '../../../src/enforcement/types';

const SCHEMA = fs.readFileSync(path.join(DEFAULT_POLICY_DIR, SCHEMA_FILE), 'utf8');
const NOW = Date.UTC(2026, 10, 27, 10, 0, 0);

function ctx(scopes: string[], method = 'tools/call', extra: Partial<RequestContext> = {}): RequestContext {
  return { subject: 'alice', scopes, sessionId: 's-1', requestId: 1, method, ...extra };
}
const tool = (name: string, upstream = 'docs'): Target => ({ kind: 'tool', name, upstream });
const approved = (destructive = false): RequestFacts => ({
  tool: { definitionHash: 'sha256:' + 'a'.repeat(64), quarantined: false, annotatedDestructive: destructive },
  riskScore: 0,
  nowMs: NOW,
});

function starter(rules: unknown[] = []): Authorizer {
  const config = parseEnforcementConfig({ authorization: { rules } });
  return new Authorizer(loadPolicyDirectory(DEFAULT_POLICY_DIR), config.authorization);
}

describe('Authorizer with the starter policy', () => {
  const authz = starter();

  test('permits a tool call when the token holds the tool\'s scopes, naming the permit', () => {
    const d = authz.decide(ctx(['mcp:tools']), tool('search'), approved());
    expect(d).toEqual(expect.objectContaining({ allow: true, policyIds: ['tools-granted-by-scope'] }));
  });

  // proves: defense-in-depth/authorization, zero-trust/just-in-time, secure-by-default/minimal-permissions
  test('denies by default and asks for the missing scope as a step-up', () => {
    const d = authz.decide(ctx([]), tool('search'), approved());
    expect(d.allow).toBe(false);
    expect(d.policyIds).toEqual(['gateway:default-deny']);
    expect(d.stepUp).toBe(true);
    expect(d.requiredScopes).toEqual(['mcp:tools']);
    expect(d.missingScopes).toEqual(['mcp:tools']);
  });

  test('a forbid overrides the permit: a quarantined tool is denied and no scope lifts it', () => {
    const facts: RequestFacts = { ...approved(), tool: { ...approved().tool!, quarantined: true } };
    const d = authz.decide(ctx(['mcp:tools', 'mcp:tools:destructive']), tool('search'), facts);
    expect(d.allow).toBe(false);
    expect(d.policyIds).toEqual(['forbid-quarantined-tools']);
    expect(d.stepUp).toBeUndefined();
  });

  test('a tool no upstream listed is treated as quarantined', () => {
    const d = authz.decide(ctx(['mcp:tools', 'mcp:tools:destructive']), tool('unknown'), { riskScore: 0, nowMs: NOW });
    expect(d.allow).toBe(false);
    expect(d.policyIds).toContain('forbid-quarantined-tools');
  });

  test('a destructive tool needs mcp:tools:destructive: step-up keeps the held scopes', () => {
    const d = authz.decide(ctx(['mcp:tools', 'profile']), tool('delete_page'), approved(true));
    expect(d.allow).toBe(false);
    expect(d.policyIds).toEqual(['forbid-destructive-without-scope']);
    expect(d.stepUp).toBe(true);
    expect(d.requiredScopes).toEqual(['mcp:tools', 'mcp:tools:destructive', 'profile']);
    expect(d.missingScopes).toEqual(['mcp:tools:destructive']);
  });

  test('with the destructive scope the destructive tool is permitted', () => {
    const d = authz.decide(ctx(['mcp:tools', 'mcp:tools:destructive']), tool('delete_page'), approved(true));
    expect(d.allow).toBe(true);
  });

  // proves: defense-in-depth/authorization, zero-trust/continuous-verification
  test('elevated risk forbids destructive tools and is not offered as a step-up', () => {
    const facts = { ...approved(true), riskScore: 31.7 };
    const d = authz.decide(ctx(['mcp:tools', 'mcp:tools:destructive']), tool('delete_page'), facts);
    expect(d.allow).toBe(false);
    expect(d.policyIds).toEqual(['forbid-destructive-at-elevated-risk']);
    expect(d.stepUp).toBeUndefined();
  });

  test('permits protocol housekeeping and listing an upstream, denies unknown methods by default', () => {
    const method = (name: string): Target => ({ kind: 'method', name, upstream: 'docs' });
    expect(authz.decide(ctx([], 'initialize'), method('initialize'), approved()).policyIds).toEqual(['protocol-basics']);
    expect(authz.decide(ctx([], 'tools/list'), method('tools/list'), approved()).policyIds).toEqual(['list-catalogues']);
    const d = authz.decide(ctx(['mcp:tools'], 'tasks/cancel'), method('tasks/cancel'), approved());
    expect(d).toEqual(expect.objectContaining({ allow: false, policyIds: ['gateway:default-deny'] }));
    expect(d.stepUp).toBeUndefined();
  });

  test('denies a method that does not apply to the target kind', () => {
    const d = authz.decide(ctx(['mcp:tools'], 'resources/read'), tool('search'), approved());
    expect(d).toEqual(expect.objectContaining({ allow: false, policyIds: ['gateway:unsupported-method'] }));
  });

  test('resources and prompts need their own default scopes', () => {
    const resource: Target = { kind: 'resource', name: 'file:///notes.md', upstream: 'docs' };
    const prompt: Target = { kind: 'prompt', name: 'summarise', upstream: 'docs' };
    const facts = { riskScore: 0, nowMs: NOW };
    expect(authz.decide(ctx(['mcp:resources'], 'resources/read'), resource, facts).allow).toBe(true);
    expect(authz.decide(ctx(['mcp:tools'], 'resources/read'), resource, facts).missingScopes).toEqual(['mcp:resources']);
    expect(authz.decide(ctx(['mcp:prompts'], 'prompts/get'), prompt, facts).policyIds).toEqual(['prompts-granted-by-scope']);
  });

  test('a client-credentials principal is evaluated as a Client', () => {
    const d = authz.decide(ctx(['mcp:tools'], 'tools/call', { principalType: 'client', clientId: 'ci-bot' }), tool('search'), approved());
    expect(d.allow).toBe(true);
  });

  test('canList shows callable and step-up-able tools, hides tools outside the token\'s scopes', () => {
    const c = ctx(['mcp:tools'], 'tools/list');
    expect(authz.canList(c, 'tool', 'docs', 'search', approved())).toBe(true);
    expect(authz.canList(c, 'tool', 'docs', 'delete_page', approved(true))).toBe(true);
    expect(authz.canList(ctx(['mcp:resources'], 'tools/list'), 'tool', 'docs', 'search', approved())).toBe(false);
  });
});

describe('Authorizer with configured rules', () => {
  const authz = starter([
    { kind: 'tool', match: 'github/*', groups: ['code'], requiredScopes: ['github:read'] },
    { kind: 'tool', match: 'github/merge_*', requiredScopes: ['github:write'], destructive: true },
    { kind: 'tool', match: 'docs/delete_*', destructive: false },
  ]);

  test('all matching rules contribute scopes, and a rule overrides the annotations', () => {
    expect(authz.profile('tool', 'github', 'merge_pr')).toEqual({ groups: ['code'], requiredScopes: ['github:read', 'github:write'], destructive: true });
    const d = authz.decide(ctx(['github:read']), tool('merge_pr', 'github'), approved(false));
    expect(d.stepUp).toBe(true);
    expect(d.missingScopes).toEqual(['github:write', 'mcp:tools:destructive']);
    expect(d.requiredScopes).toEqual(['github:read', 'github:write', 'mcp:tools:destructive']);
  });

  test('a rule marking a tool non-destructive wins over destructive annotations', () => {
    expect(authz.decide(ctx(['mcp:tools']), tool('delete_draft'), approved(true)).allow).toBe(true);
  });

  test('an unmatched tool keeps the default scope', () => {
    expect(authz.profile('tool', 'other', 'x').requiredScopes).toEqual(['mcp:tools']);
  });
});

describe('policy loading', () => {
  const permitAll = '@id("all") permit (principal, action, resource);';

  test('the shipped policies validate and carry their @id', () => {
    const loaded = loadPolicyDirectory(DEFAULT_POLICY_DIR);
    expect(Object.keys(loaded.policies)).toEqual(expect.arrayContaining(['tools-granted-by-scope', 'forbid-quarantined-tools']));
  });

  test('a policy without @id is named after its file and position', () => {
    const loaded = validatePolicies(SCHEMA, { 'a.cedar': 'permit (principal, action, resource);' }, 'test');
    expect(Object.keys(loaded.policies)).toEqual(['a.cedar#0']);
  });

  test('fails naming the policy when it reads an attribute the schema lacks', () => {
    const bad = '@id("owner-check") permit (principal, action == McpGateway::Action::"call_tool", resource is McpGateway::Tool) when { resource.owner == "x" };';
    expect(() => validatePolicies(SCHEMA, { 'bad.cedar': bad }, 'policies')).toThrow(/invalid Cedar policies in policies:\n  - policy "owner-check": .*owner/);
  });

  test('fails on a syntax error, a duplicate id, a template, and an empty set', () => {
    expect(() => validatePolicies(SCHEMA, { 'x.cedar': 'permit (' }, 'p')).toThrow(/x\.cedar: /);
    expect(() => validatePolicies(SCHEMA, { 'a.cedar': permitAll, 'b.cedar': permitAll }, 'p')).toThrow(/b\.cedar: duplicate policy id "all"/);
    expect(() => validatePolicies(SCHEMA, { 't.cedar': 'permit (principal == ?principal, action, resource);' }, 'p')).toThrow(/templates are not supported/);
    expect(() => validatePolicies(SCHEMA, { 'e.cedar': '// nothing' }, 'p')).toThrow(/no policy found/);
  });

  test('fails on an invalid schema', () => {
    expect(() => validatePolicies('namespace {', { 'a.cedar': permitAll }, 'p')).toThrow(/mcp\.cedarschema: /);
  });

  // proves: secure-by-default/fail-secure
  test('a forbid whose evaluation errors denies instead of being skipped (fail closed)', () => {
    const overflowing = '@id("overflow") forbid (principal, action, resource) when { context.riskScore * 4611686018427387904 > 0 };';
    const loaded = validatePolicies(SCHEMA, { 'a.cedar': permitAll, 'b.cedar': overflowing }, 'p');
    const authz = new Authorizer(loaded, parseEnforcementConfig({}).authorization);
    expect(authz.decide(ctx(['mcp:tools']), tool('search'), approved()).allow).toBe(true);
    const d = authz.decide(ctx(['mcp:tools']), tool('search'), { ...approved(), riskScore: 4 });
    expect(d.allow).toBe(false);
    expect(d.policyIds[0]).toBe('gateway:policy-error');
    expect(d.reasons[0]).toMatch(/overflow/);
  });
});
