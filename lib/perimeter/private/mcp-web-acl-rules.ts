import { CANONICAL_INTEGER_PATTERN, atMostPattern } from './numeric-pattern';
import { Rule, Statement, allOf, anyOf, blockRule, hasBody, headerMatches, managedGroupRule, methodIs, not, pathIs, pathStartsWith, visibility } from './waf-statements';

/** Where an MCP server publishes its RFC 9728 Protected Resource Metadata. */
export const PROTECTED_RESOURCE_METADATA_PATH = '/.well-known/oauth-protected-resource';

/**
 * Methods of the Streamable HTTP transport: POST carries JSON-RPC messages, GET opens the
 * server-to-client SSE stream, DELETE terminates a session.
 */
export const MCP_METHODS = ['POST', 'GET', 'DELETE'] as const;

/** The resolved settings the rules are built from. */
export interface McpRuleSettings {
  readonly mcpPaths: readonly string[];
  readonly healthPath: string;
  readonly maxBodyBytes: number;
  readonly requireContentLength: boolean;
  readonly ratePerIp: number;
  readonly ratePerAuthorization: number;
  readonly rateWindowSeconds: number;
  readonly blockAnonymousIps: boolean;
}

/**
 * The web ACL's rules, in evaluation order (priority = position).
 *
 * 1. The allow-list blocks every method/path pair an MCP endpoint does not serve. It is a
 *    BLOCK of the complement rather than an ALLOW, because an ALLOW ends evaluation and the
 *    rules below would never see MCP traffic.
 * 2. Size rules: the declared `Content-Length` of a POST is bounded here because on an ALB
 *    WAF only ever sees the first 8 KB of a body; GET and DELETE carry no body at all.
 * 3. Rate limits per bearer token and per source address answer 429 so clients back off.
 * 4. AWS managed rule groups inspect everything that is left.
 */
export function mcpWebAclRules(settings: McpRuleSettings): Rule[] {
  const post = methodIs('POST');
  const contentLength = (regex: string) => headerMatches('content-length', regex);
  const rules: Array<Omit<Rule, 'priority'> | undefined> = [
    blockRule('McpAllowList', not(allowedRequests(settings)), 403),
    settings.requireContentLength
      ? blockRule('McpContentLengthRequired', allOf(post, not(contentLength(CANONICAL_INTEGER_PATTERN))), 411)
      : undefined,
    blockRule('McpBodyTooLarge', allOf(post, contentLength(CANONICAL_INTEGER_PATTERN), not(contentLength(atMostPattern(settings.maxBodyBytes)))), 413),
    blockRule('McpNoBodyOnGetOrDelete', allOf(anyOf(methodIs('GET'), methodIs('DELETE')), hasBody()), 400),
    rateRule('McpRatePerAuthorization', settings.ratePerAuthorization, settings.rateWindowSeconds, 'authorization'),
    rateRule('McpRatePerIp', settings.ratePerIp, settings.rateWindowSeconds),
    managedGroupRule('AWSManagedRulesAmazonIpReputationList'),
    // HostingProviderIPList only counts: MCP clients are often agents running in a cloud.
    settings.blockAnonymousIps ? managedGroupRule('AWSManagedRulesAnonymousIpList', ['HostingProviderIPList']) : undefined,
    managedGroupRule('AWSManagedRulesKnownBadInputsRuleSet'),
    // The 8 KB body limit of the core rule set blocks ordinary JSON-RPC payloads; the MCP
    // size rules above replace it.
    managedGroupRule('AWSManagedRulesCommonRuleSet', ['SizeRestrictions_BODY']),
  ];
  return rules
    .filter((rule): rule is Omit<Rule, 'priority'> => rule !== undefined)
    .map((rule, priority) => ({ ...rule, priority }));
}

/** What an MCP endpoint serves: the transport on its paths, metadata and health by GET. */
function allowedRequests(settings: McpRuleSettings): Statement {
  return anyOf(
    allOf(anyOf(...settings.mcpPaths.map(pathIs)), anyOf(...MCP_METHODS.map(methodIs))),
    allOf(
      methodIs('GET'),
      anyOf(
        pathIs(PROTECTED_RESOURCE_METADATA_PATH),
        // RFC 9728 path-aware metadata: /.well-known/oauth-protected-resource/mcp for /mcp.
        pathStartsWith(`${PROTECTED_RESOURCE_METADATA_PATH}/`),
        pathIs(settings.healthPath),
      ),
    ),
  );
}

/** Block (429) callers over `limit` requests per window, keyed by source IP or by a header. */
function rateRule(name: string, limit: number, windowSeconds: number, header?: string): Omit<Rule, 'priority'> {
  // Requests without the header are not counted by the header-keyed rule; the IP rule covers them.
  const key = header === undefined
    ? { aggregateKeyType: 'IP' }
    : { aggregateKeyType: 'CUSTOM_KEYS', customKeys: [{ header: { name: header, textTransformations: [{ priority: 0, type: 'NONE' }] } }] };
  return {
    name,
    action: { block: { customResponse: { responseCode: 429 } } },
    statement: { rateBasedStatement: { limit, evaluationWindowSec: windowSeconds, ...key } },
    visibilityConfig: visibility(name),
  };
}
