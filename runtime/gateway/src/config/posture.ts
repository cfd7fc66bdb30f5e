import { GatewayConfig } from './schema';

/** Outcome of the startup posture check. */
export interface PostureReport {
  /** MUSTs that are switched off; the gateway refuses to start in production when non-empty. */
  readonly violations: readonly string[];
  /** Weakenings tolerated in development or benchmark mode, logged loudly on every start. */
  readonly warnings: readonly string[];
}

/** Raised when the gateway must not start with the given configuration. */
export class PostureError extends Error {
  constructor(readonly violations: readonly string[]) {
    super(`Refusing to start: the configuration switches off MCP security requirements:\n${violations.map((v) => `  - ${v}`).join('\n')}`);
    this.name = 'PostureError';
  }
}

/**
 * Checks the configuration against the MUSTs of the MCP authorization and transport specs.
 * Token passthrough is refused in every mode: the gateway has no code path that forwards a
 * client token, so allowing the flag anywhere would only make the configuration lie.
 */
export function checkPosture(config: GatewayConfig): PostureReport {
  const weakenings: string[] = [];
  if (!config.security.verifyAudience) weakenings.push('security.verifyAudience is false: tokens issued for other resources would be accepted (MCP authorization, RFC 8707)');
  if (!config.security.validateOrigin) weakenings.push('security.validateOrigin is false: DNS rebinding is possible (MCP Streamable HTTP transport)');
  if (config.server.tls === undefined) weakenings.push('server.tls is not set: traffic is not protected by TLS');
  if (!config.server.publicUrl.startsWith('https://')) weakenings.push(`server.publicUrl ${config.server.publicUrl} is not https`);
  if (config.tokens.signer.kind === 'local') weakenings.push('tokens.signer.kind is local: upstream tokens are signed with an in-process key instead of KMS');
  if (config.sessions.key.source === 'ephemeral') weakenings.push('sessions.key.source is ephemeral: sessions do not survive a restart and do not cross replicas');
  if (config.mode === 'benchmark') weakenings.push('mode is benchmark: authentication, authorization, guardrails and audit are OFF');

  const refused = config.security.tokenPassthrough
    ? ['security.tokenPassthrough is true: token passthrough is forbidden by the MCP specification and not implemented']
    : [];
  if (config.mode === 'production') return { violations: [...refused, ...weakenings], warnings: [] };
  return { violations: refused, warnings: weakenings };
}

/**
 * Applies the posture check at startup: throws {@link PostureError} on violations, and in
 * development or benchmark mode emits one loud warning per weakening on every start.
 */
export function enforcePosture(config: GatewayConfig, warn: (message: string, fields: Record<string, unknown>) => void): void {
  const report = checkPosture(config);
  if (report.violations.length > 0) throw new PostureError(report.violations);
  if (config.mode !== 'production') {
    warn(`!!! ${config.mode.toUpperCase()} MODE: NOT FOR PRODUCTION. The following protections are weakened. !!!`, { mode: config.mode, weakenings: report.warnings });
    for (const warning of report.warnings) warn(`!!! ${warning}`, { mode: config.mode });
  }
}
