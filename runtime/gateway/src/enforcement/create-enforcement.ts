import { KMSClient } from '@aws-sdk/client-kms';
import { AuditLog } from './audit/audit-log';
import { encryptionContext, newChainId } from './audit/audit-record';
import { AuditSink, FileSink, StdoutSink } from './audit/audit-sinks';
import { DataKeyCache } from './audit/data-key-cache';
import { Authorizer } from './authz/authorizer';
import { DEFAULT_POLICY_DIR, loadPolicyDirectory } from './authz/policy-loader';
import type { EnforcementConfig } from './config';
import { EnforcementPoint } from './enforcement-point';
import { InMemoryRateLimitStore, RateLimiter, RateLimitStore } from './guardrails/rate-limiter';
import { DEFAULT_DESCRIPTION_ACTIONS, DEFAULT_RESULT_ACTIONS, TextScanner } from './guardrails/text-scanner';
import { ValueInspector } from './guardrails/value-inspector';
import { ToolPinRegistry } from './pinning/tool-pin-registry';
import { SessionRisk } from './risk/session-risk';
import type { Enforcement } from './types';

export type { AuditSink } from './audit/audit-sinks';

/** What `createEnforcement` may be given instead of building it from config. */
export interface EnforcementDeps {
  /** KMS client for audit data keys; one with default settings is created when the config names a key. */
  readonly kms?: KMSClient;
  /** Epoch milliseconds; tests pass a fake clock. */
  readonly clock?: () => number;
  /** Audit sink; built from `config.audit.sink` when absent. */
  readonly sink?: AuditSink;
  /** Shared rate-limit store; per-replica in-memory buckets when absent. */
  readonly rateLimitStore?: RateLimitStore;
  /** Where fail-open audit failures are reported. @default - a JSON line on stderr */
  readonly onAuditError?: (error: unknown) => void;
  /** Whether other requests are in flight, for the audit log's group commit (see `AuditLogOptions.busy`). @default - never busy */
  readonly auditBusy?: () => boolean;
}

/** Tool definitions are small; a larger one is itself suspicious and is not scanned further. */
const MAX_DESCRIPTION_SCAN_CHARS = 256 * 1024;

/**
 * Build the enforcement point. Loads and validates the Cedar schema and policies (rejects when
 * they do not validate, so the gateway does not start), and prepares pinning, guardrails, rate
 * limits, risk and the audit chain.
 */
export async function createEnforcement(config: EnforcementConfig, deps: EnforcementDeps = {}): Promise<Enforcement> {
  const clock = deps.clock ?? Date.now;
  const policies = loadPolicyDirectory(config.authorization.policyDir ?? DEFAULT_POLICY_DIR);
  const descriptions = new ValueInspector(
    new TextScanner({ ...DEFAULT_DESCRIPTION_ACTIONS, ...config.guardrails.descriptions.actions }),
    { maxScanChars: MAX_DESCRIPTION_SCAN_CHARS, oversize: 'block' },
  );
  const results = new ValueInspector(
    new TextScanner({ ...DEFAULT_RESULT_ACTIONS, ...config.guardrails.results.actions }),
    { maxScanChars: config.guardrails.results.maxScanChars, oversize: config.guardrails.results.oversize },
  );
  const limits = config.guardrails.rateLimits;
  const chain = newChainId(config.gatewayName, clock());
  const encryption = config.audit.encryption;
  const dataKeys = encryption
    ? new DataKeyCache(deps.kms ?? new KMSClient({}), encryption.kmsKeyId, encryptionContext(config.gatewayName, chain), {
      maxAgeMs: encryption.dataKeyMaxAgeSeconds * 1000,
      maxUses: encryption.dataKeyMaxUses,
    }, clock)
    : undefined;
  const audit = new AuditLog({
    gateway: config.gatewayName,
    chain,
    sink: deps.sink ?? sinkFromConfig(config.audit.sink),
    format: config.audit.sink.format,
    failureMode: config.audit.failureMode,
    dataKeys,
    maxPayloadBytes: config.audit.maxPayloadBytes,
    clock,
    onError: deps.onAuditError ?? reportAuditError,
    policyStoreId: config.authorization.policyStoreId,
    busy: deps.auditBusy,
  });
  return new EnforcementPoint({
    authorizer: new Authorizer(policies, config.authorization),
    pins: new ToolPinRegistry(config.pinning, descriptions),
    descriptions,
    results,
    rateLimiter: new RateLimiter(limits, deps.rateLimitStore ?? new InMemoryRateLimitStore(limits.maxTrackedKeys)),
    risk: new SessionRisk(config.risk),
    audit,
    riskConfig: config.risk,
    clock,
  });
}

function sinkFromConfig(sink: EnforcementConfig['audit']['sink']): AuditSink {
  return sink.type === 'file' ? new FileSink(sink.path, sink.fsync) : new StdoutSink();
}

function reportAuditError(error: unknown): void {
  process.stderr.write(`${JSON.stringify({ level: 'error', msg: 'audit record lost (audit.failureMode is open)', error: (error as Error).message })}\n`);
}
