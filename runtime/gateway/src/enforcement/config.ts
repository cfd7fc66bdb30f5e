import { z } from 'zod';
import { DETECTOR_IDS, DetectorId } from './guardrails/detector-ids';

const scope = z.string().min(1).regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, 'a scope is visible ASCII without space, quote or backslash (RFC 6749 §3.3)');
const glob = z.string().min(1);
const action = z.enum(['flag', 'redact', 'block']);
const pinHash = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'a pin is "sha256:" followed by 64 lowercase hex digits');

const bucket = z.strictObject({
  /** Burst size: requests allowed at once from a full bucket. */
  capacity: z.number().int().positive(),
  /** Sustained rate. */
  refillPerSecond: z.number().positive(),
});

/** One authorization rule: which scopes and groups an item gets (first match does not stop; all matches apply). */
const itemRule = z.strictObject({
  kind: z.enum(['tool', 'resource', 'prompt']),
  /** Glob (`*` any run of characters) over `<upstream>/<name or uri>`. */
  match: glob,
  groups: z.array(z.string().min(1)).default([]),
  requiredScopes: z.array(scope).default([]),
  /** Overrides what the (untrusted until pinned) tool annotations say. */
  destructive: z.boolean().optional(),
});

const authorization = z.strictObject({
  /** Directory holding `mcp.cedarschema` and the `*.cedar` policy files. */
  policyDir: z.string().min(1).optional(),
  rules: z.array(itemRule).default([]),
  /** Scopes an item needs when no rule gives it any. Never empty: an unmatched item would be open to every caller. */
  defaultRequiredScopes: z.strictObject({
    tool: z.array(scope).min(1).default(['mcp:tools']),
    resource: z.array(scope).min(1).default(['mcp:resources']),
    prompt: z.array(scope).min(1).default(['mcp:prompts']),
  }).prefault({}),
  /** Scopes a client may obtain by step-up; tried when a deny could be lifted by more scope. */
  stepUpScopes: z.array(scope).default(['mcp:tools:destructive']),
  /** Validate every request against the schema (a malformed request is denied). */
  validateRequests: z.boolean().default(true),
  /**
   * Id of the Amazon Verified Permissions policy store holding the same schema and policies (the
   * construct deploys both from one directory). Audit records of policy decisions carry it next to
   * their policy ids, and `/readyz` reports it, so an auditor can tie a decision to that store.
   */
  policyStoreId: z.string().regex(/^[A-Za-z0-9-]{1,200}$/, 'expected a Verified Permissions policy store id (letters, digits and "-")').optional(),
});

const pinning = z.strictObject({
  /** `report` shows unapproved tools (with findings) instead of quarantining them: development only. */
  mode: z.enum(['enforce', 'report']).default('enforce'),
  /** Approved definition hashes: upstream → tool name → hash (or several, during a rollout). */
  approved: z.record(z.string().min(1), z.record(z.string().min(1), z.union([pinHash, z.array(pinHash).min(1)]))).default({}),
  /** Separator the aggregate endpoint puts between upstream and tool name. */
  prefixSeparator: z.string().min(1).default('__'),
});

const actions = z.partialRecord(z.enum(DETECTOR_IDS as [DetectorId, ...DetectorId[]]), action).default({});

const guardrails = z.strictObject({
  /** Per-detector actions for tool descriptions; `block` quarantines the tool even when pinned. */
  descriptions: z.strictObject({ actions }).prefault({}),
  results: z.strictObject({
    actions,
    /** Text scanned per result; a larger result is handled by `oversize`. */
    maxScanChars: z.number().int().positive().default(4 * 1024 * 1024),
    oversize: action.exclude(['redact']).default('block'),
  }).prefault({}),
  rateLimits: z.strictObject({
    perSubject: bucket.default({ capacity: 120, refillPerSecond: 2 }),
    /** Per subject and tool. */
    perTool: bucket.default({ capacity: 30, refillPerSecond: 0.5 }),
    /** Overrides of `perTool` by glob over `<upstream>/<tool>`; the first match wins. */
    tools: z.array(bucket.extend({ match: glob })).default([]),
    /** Bound on tracked buckets per replica; idle buckets are evicted first. */
    maxTrackedKeys: z.number().int().positive().default(100_000),
  }).prefault({}),
});

const risk = z.strictObject({
  halfLifeSeconds: z.number().positive().default(300),
  weights: z.strictObject({
    request: z.number().nonnegative().default(0.01),
    denial: z.number().nonnegative().default(10),
    rateLimited: z.number().nonnegative().default(5),
    findingLow: z.number().nonnegative().default(2),
    findingMedium: z.number().nonnegative().default(5),
    findingHigh: z.number().nonnegative().default(25),
  }).prefault({}),
  /** At or above this score a request needs `stepUpScope`. */
  stepUpThreshold: z.number().positive().default(50),
  /** At or above this score the session is ended. */
  endSessionThreshold: z.number().positive().default(100),
  stepUpScope: scope.default('mcp:step-up'),
  maxTrackedSessions: z.number().int().positive().default(100_000),
}).refine((r) => r.stepUpThreshold < r.endSessionThreshold, {
  message: 'stepUpThreshold must be below endSessionThreshold',
  path: ['stepUpThreshold'],
});

const sinkFormat = z.enum(['jsonl', 'cloudwatch']);
const audit = z.strictObject({
  sink: z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('stdout'), format: sinkFormat.default('jsonl') }),
    z.strictObject({ type: z.literal('file'), path: z.string().min(1), format: sinkFormat.default('jsonl'), fsync: z.boolean().default(false) }),
  ]).default({ type: 'stdout', format: 'jsonl' }),
  /** `closed`: a failed write rejects `record` so the request is denied. `open` logs and carries on. */
  failureMode: z.enum(['closed', 'open']).default('closed'),
  /** Without it, argument and result payloads are not recorded at all (never in clear). */
  encryption: z.strictObject({
    kmsKeyId: z.string().min(1),
    dataKeyMaxAgeSeconds: z.number().positive().max(24 * 3600).default(300),
    dataKeyMaxUses: z.number().int().positive().max(2 ** 32).default(10_000),
  }).optional(),
  /** Larger payloads are recorded as omitted (with their size). */
  maxPayloadBytes: z.number().int().positive().default(64 * 1024),
});

/** Zod schema of the enforcement config; embed it in the gateway config under `enforcement`. */
export const enforcementConfigSchema = z.strictObject({
  /** Names the gateway in the audit records and in the KMS encryption context. */
  gatewayName: z.string().min(1).regex(/^[A-Za-z0-9._-]+$/).default('mcp-gateway'),
  authorization: authorization.prefault({}),
  pinning: pinning.prefault({}),
  guardrails: guardrails.prefault({}),
  risk: risk.prefault({}),
  audit: audit.prefault({}),
});

/** Enforcement config after defaults (what `createEnforcement` takes). */
export type EnforcementConfig = z.output<typeof enforcementConfigSchema>;
/** Enforcement config as written in a file. */
export type EnforcementConfigInput = z.input<typeof enforcementConfigSchema>;

/**
 * Parse and default an enforcement config, throwing one error that names every bad field
 * (`enforcement.audit.encryption.kmsKeyId: …`).
 */
export function parseEnforcementConfig(input: unknown, prefix = 'enforcement'): EnforcementConfig {
  const parsed = enforcementConfigSchema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => `${[prefix, ...issue.path.map(String)].join('.')}: ${issue.message}`);
  throw new Error(`invalid enforcement config:\n  ${lines.join('\n  ')}`);
}
