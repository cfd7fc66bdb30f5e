import { Token } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { McpRuleSettings, PROTECTED_RESOURCE_METADATA_PATH } from './mcp-web-acl-rules';

/** Bounds of the MCP body-size limit: below 1 KiB an `initialize` request no longer fits. */
export const MIN_BODY_BYTES = 1024;
/** Anything larger is not a JSON-RPC message but a file transfer, which MCP does not do. */
export const MAX_BODY_BYTES = 100 * 1024 * 1024;
/** Each MCP path is a WAF statement and a listener rule; an endpoint needs few. */
export const MAX_MCP_PATHS = 10;
/** Bounds AWS WAF sets on a rate-based rule's limit. */
const MIN_RATE = 10;
const MAX_RATE = 2_000_000_000;
/** Evaluation windows AWS WAF supports for rate-based rules, in seconds. */
const RATE_WINDOWS = [60, 120, 300, 600];

// Canonical absolute paths only: the allow-list matches raw paths exactly, so a path with
// '//', '.', '..', a trailing '/' or percent-encoding would never match what clients send.
const PATH = /^(\/[A-Za-z0-9._~-]+)+$/;

/**
 * Check the props of an McpWebAcl and throw once, listing every problem with the prop,
 * the value and what is allowed.
 */
export function validateMcpWebAclProps(
  constructPath: string,
  protect: readonly elbv2.IApplicationLoadBalancer[] | undefined,
  settings: McpRuleSettings,
): void {
  const problems: string[] = [];

  if (!protect || protect.length === 0) {
    problems.push('protect must list at least one load balancer (a web ACL is never created unattached), got []');
  } else if (new Set(protect).size !== protect.length) {
    problems.push('protect lists the same load balancer more than once; each load balancer is associated once');
  }

  if (settings.mcpPaths.length === 0 || settings.mcpPaths.length > MAX_MCP_PATHS) {
    problems.push(`mcpPaths must list 1 to ${MAX_MCP_PATHS} paths such as '/mcp', got [${settings.mcpPaths.join(', ')}]`);
  }
  if (new Set(settings.mcpPaths).size !== settings.mcpPaths.length) {
    problems.push(`mcpPaths must not repeat a path, got [${settings.mcpPaths.join(', ')}]`);
  }
  for (const [prop, path] of [...settings.mcpPaths.map((p) => ['mcpPaths', p]), ['healthPath', settings.healthPath]]) {
    if (!PATH.test(path) || path.split('/').some((segment) => segment === '.' || segment === '..')) {
      problems.push(`${prop} must be canonical absolute paths such as '/mcp' (letters, digits, '.', '_', '~', '-'; no trailing '/'), got '${path}'`);
    } else if (path === PROTECTED_RESOURCE_METADATA_PATH || path.startsWith(`${PROTECTED_RESOURCE_METADATA_PATH}/`)) {
      problems.push(`${prop} must not be under ${PROTECTED_RESOURCE_METADATA_PATH}, which is admitted for GET only, got '${path}'`);
    }
  }
  if (settings.mcpPaths.includes(settings.healthPath)) {
    problems.push(`healthPath must differ from the mcpPaths, got '${settings.healthPath}'`);
  }

  if (Token.isUnresolved(settings.maxBodyBytes)) {
    problems.push('maxBodyBytes must be known at synth time (it is compiled into a WAF pattern), got a token');
  } else if (!Number.isInteger(settings.maxBodyBytes) || settings.maxBodyBytes < MIN_BODY_BYTES || settings.maxBodyBytes > MAX_BODY_BYTES) {
    problems.push(`maxBodyBytes must be an integer between ${MIN_BODY_BYTES} and ${MAX_BODY_BYTES}, got ${settings.maxBodyBytes}`);
  }
  for (const [prop, rate] of [['ratePerIp', settings.ratePerIp], ['ratePerAuthorization', settings.ratePerAuthorization]] as const) {
    if (!Token.isUnresolved(rate) && (!Number.isInteger(rate) || rate < MIN_RATE || rate > MAX_RATE)) {
      problems.push(`${prop} must be an integer between ${MIN_RATE} and ${MAX_RATE}, got ${rate}`);
    }
  }
  if (!Token.isUnresolved(settings.rateWindowSeconds) && !RATE_WINDOWS.includes(settings.rateWindowSeconds)) {
    problems.push(`rateWindow must be 1, 2, 5 or 10 minutes, got ${settings.rateWindowSeconds} seconds`);
  }

  if (problems.length > 0) {
    throw new Error(`McpWebAcl ${constructPath} has invalid props:\n  - ${problems.join('\n  - ')}`);
  }
}
