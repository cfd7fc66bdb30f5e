/**
 * The security principles and defense layers of the kit, taken from the seed article
 * ("How to Build a Security-First MCP Architecture"). Gate rules and constructs declare
 * which of these they implement; the controls matrix in docs/ is generated from those
 * declarations, so a principle without an enforcing rule or test is visible.
 */
export const SECURITY_PRINCIPLES = {
  'zero-trust/continuous-verification': 'Zero trust: every operation is verified, sessions are never trusted',
  'zero-trust/micro-segmentation': 'Zero trust: micro-segmentation between MCP components',
  'zero-trust/least-privilege': 'Zero trust: least privilege for every identity',
  'zero-trust/just-in-time': 'Zero trust: just-in-time, short-lived access',
  'defense-in-depth/network': 'Defense in depth: network layer (encryption in transit, segmentation, DDoS protection)',
  'defense-in-depth/identity': 'Defense in depth: identity layer (MFA, session management)',
  'defense-in-depth/authorization': 'Defense in depth: authorization layer (context-aware, dynamic policy)',
  'defense-in-depth/application': 'Defense in depth: application layer (input validation, prompt-injection protection, output sanitization)',
  'defense-in-depth/data': 'Defense in depth: data layer (encryption at rest, access logging)',
  'defense-in-depth/monitoring': 'Defense in depth: monitoring layer (threat detection, incident response)',
  'secure-by-default/encryption': 'Secure by default: all communications and data encrypted',
  'secure-by-default/minimal-permissions': 'Secure by default: minimal permissions granted initially',
  'secure-by-default/logging': 'Secure by default: comprehensive logging enabled automatically',
  'secure-by-default/monitoring': 'Secure by default: security monitoring active from deployment',
  'secure-by-default/fail-secure': 'Secure by default: fail secure rather than fail open',
  'isolation/process': 'Isolation: process-level isolation for each MCP server',
  'isolation/network': 'Isolation: network isolation between security contexts',
  'isolation/data': 'Isolation: data isolation with encryption boundaries',
  'isolation/temporal': 'Isolation: temporal isolation with session timeouts',
  'observability': 'Observability: complete visibility into AI agent behaviour',
} as const;

/** Identifier of one seed principle or defense layer, e.g. `'zero-trust/micro-segmentation'`. */
export type SecurityPrinciple = keyof typeof SECURITY_PRINCIPLES;
