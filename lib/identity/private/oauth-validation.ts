import { Duration, Token } from 'aws-cdk-lib';
import { McpToolGroup } from '../authorization-server';

/** Hosts an `http` redirect URI may name: the loopback interface only (RFC 8252 §7.3, §8.3). */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

const TOOL_GROUP_NAME = /^[a-z][a-z0-9-]{0,62}$/;

/** Cognito limits resource server identifiers and scope strings to 256 characters. */
const MAX_SCOPE_LENGTH = 256;

function parse(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/**
 * Why `uri` cannot be an exact-match OAuth redirect URI, or undefined if it can: https with a
 * host, or http on the loopback interface for native clients (RFC 8252). No fragment, no
 * credentials, no wildcard.
 */
export function redirectUriProblem(uri: string): string | undefined {
  if (Token.isUnresolved(uri)) return undefined;
  const url = parse(uri);
  if (!url) return 'is not an absolute URL';
  if (uri.includes('#')) return 'must not contain a fragment (RFC 6749 §3.1.2)';
  if (url.username || url.password) return 'must not contain credentials';
  if (uri.includes('*')) return 'must not contain a wildcard; redirect URIs are matched exactly';
  if (url.protocol === 'https:') return url.hostname ? undefined : 'must name a host';
  if (url.protocol === 'http:') {
    return LOOPBACK_HOSTS.has(url.hostname)
      ? undefined
      : 'may use http only on the loopback interface (127.0.0.1, [::1] or localhost, RFC 8252 §7.3); use https';
  }
  return `uses scheme '${url.protocol}'; only https, or http on the loopback interface, is allowed`;
}

/**
 * Why `value` cannot be an issuer, metadata or JWKS URL, or undefined if it can: https, a host,
 * no credentials, no fragment, and (for an issuer, RFC 8414 §2) no query.
 */
export function httpsUrlProblem(value: string, options: { allowQuery?: boolean } = {}): string | undefined {
  if (Token.isUnresolved(value)) return undefined;
  const url = parse(value);
  if (!url) return 'is not an absolute URL';
  if (url.protocol !== 'https:') return `must use https, got '${url.protocol}'`;
  if (!url.hostname) return 'must name a host';
  if (url.username || url.password) return 'must not contain credentials';
  if (value.includes('#')) return 'must not contain a fragment';
  if (!options.allowQuery && url.search) return 'must not contain a query';
  return undefined;
}

/**
 * Why `resource` cannot be the gateway's canonical resource URI, or undefined if it can: an
 * https URL without query or fragment (RFC 8707 §2), with lowercase scheme and host (MCP
 * canonical server URI), short enough to prefix Cognito scopes.
 */
export function resourceUriProblem(resource: string): string | undefined {
  if (Token.isUnresolved(resource)) return undefined;
  const problem = httpsUrlProblem(resource);
  if (problem) return problem;
  const url = new URL(resource);
  const schemeAndHost = resource.slice(0, resource.indexOf(url.host) + url.host.length);
  if (schemeAndHost !== schemeAndHost.toLowerCase()) return 'must use a lowercase scheme and host (canonical form)';
  if (resource.length > MAX_SCOPE_LENGTH - 2) return `must be shorter than ${MAX_SCOPE_LENGTH - 2} characters`;
  return undefined;
}

/** Problems with a list of tool groups (names, uniqueness, scope length), one string each. */
export function toolGroupProblems(toolGroups: readonly McpToolGroup[], resource: string): string[] {
  const problems: string[] = [];
  if (toolGroups.length === 0) problems.push('toolGroups must contain at least one tool group');
  const seen = new Set<string>();
  for (const group of toolGroups) {
    if (!TOOL_GROUP_NAME.test(group.name)) {
      problems.push(`toolGroups: name '${group.name}' must be lowercase letters, digits and hyphens, start with a letter, at most 63 characters`);
    }
    if (seen.has(group.name)) problems.push(`toolGroups: name '${group.name}' is declared twice`);
    seen.add(group.name);
    if (group.description.length < 1 || group.description.length > 256) {
      problems.push(`toolGroups: description of '${group.name}' must be 1 to 256 characters, got ${group.description.length}`);
    }
    if (!Token.isUnresolved(resource) && `${resource}/${group.name}`.length > MAX_SCOPE_LENGTH) {
      problems.push(`toolGroups: scope '${resource}/${group.name}' is longer than ${MAX_SCOPE_LENGTH} characters`);
    }
  }
  return problems;
}

/** Why `value` is outside [min, max], or undefined. Names the prop in the message. */
export function durationProblem(prop: string, value: Duration, min: Duration, max: Duration): string | undefined {
  if (value.isUnresolved()) return undefined;
  const minutes = value.toMinutes({ integral: false });
  if (minutes < min.toMinutes() || minutes > max.toMinutes()) {
    return `${prop} must be between ${min.toHumanString()} and ${max.toHumanString()}, got ${value.toHumanString()}`;
  }
  return undefined;
}
