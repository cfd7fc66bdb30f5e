import type { KMSClient } from '@aws-sdk/client-kms';
import type { EnforcementConfig } from './config';
import type { Enforcement } from './types';

/** A destination for audit lines. `write` resolves only once the line is durably handed over. */
export interface AuditSink {
  write(line: string): Promise<void>;
  close?(): Promise<void>;
}

/** What `createEnforcement` may be given instead of building it from config. */
export interface EnforcementDeps {
  /** KMS client for audit data keys; created with default settings when the config names a key. */
  readonly kms?: KMSClient;
  /** Epoch milliseconds; tests pass a fake clock. */
  readonly clock?: () => number;
  /** Audit sink; built from `config.audit.sink` when absent. */
  readonly sink?: AuditSink;
}

/**
 * Build the enforcement point: loads and validates the Cedar policies (rejects when invalid),
 * and prepares pinning, guardrails, risk and audit.
 */
export async function createEnforcement(config: EnforcementConfig, deps: EnforcementDeps = {}): Promise<Enforcement> {
  void config;
  void deps;
  throw new Error('createEnforcement: work in progress (enforcement engineer)');
}
