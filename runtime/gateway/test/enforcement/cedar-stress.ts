/**
 * Reproduces the V8 abort that `src/enforcement/authz/cedar-engine.ts` works around: phases of
 * Cedar evaluations that miss the decision memo (each call goes into WebAssembly) alternate with
 * phases that hit it, so optimized code is deoptimized while a WebAssembly call is running.
 * Without the workaround this aborted with "unreachable code" on every run (Node 20 and 22).
 * Run: `npx tsx runtime/gateway/test/enforcement/cedar-stress.ts`; prints "ok" and exits 0.
 */
import { Authorizer } from '../../src/enforcement/authz/authorizer';
import { DEFAULT_POLICY_DIR, loadPolicyDirectory } from '../../src/enforcement/authz/policy-loader';
import { parseEnforcementConfig } from '../../src/enforcement/config';

const authz = new Authorizer(loadPolicyDirectory(DEFAULT_POLICY_DIR), parseEnforcementConfig({}).authorization);
const facts = (destructive: boolean) => ({ tool: { definitionHash: 'sha256:x', quarantined: false, annotatedDestructive: destructive }, riskScore: 0, nowMs: Date.now() });
const ctx = { subject: 'alice', scopes: ['mcp:tools'], sessionId: 's', requestId: 1, method: 'tools/call', clientId: 'stress' };

let unique = 0;
for (let phase = 0; phase < 4; phase++) {
  for (let i = 0; i < 30_000; i++) authz.decide(ctx, { kind: 'tool', name: `u${unique++}`, upstream: 'docs' }, facts(phase % 2 === 1));
  for (let i = 0; i < 60_000; i++) authz.decide(ctx, { kind: 'tool', name: `t${i % 50}`, upstream: 'docs' }, facts(phase % 2 === 1));
}
console.log(`ok: ${4 * 90_000} decisions on node ${process.version}`);
