import * as wafv2 from 'aws-cdk-lib/aws-wafv2';

/** A WAFv2 web ACL rule statement. */
export type Statement = wafv2.CfnWebACL.StatementProperty;
/** A WAFv2 web ACL rule. */
export type Rule = wafv2.CfnWebACL.RuleProperty;

// Matching is done on the raw request: a normalising transformation (URL decode, lowercase)
// would let `/m%63p` or `/MCP` through an allow-list that the origin then sees un-normalised.
const RAW = [{ priority: 0, type: 'NONE' }];

/** The HTTP method equals `method` (case-sensitive, as the method token is). */
export function methodIs(method: string): Statement {
  return { byteMatchStatement: { fieldToMatch: { method: {} }, positionalConstraint: 'EXACTLY', searchString: method, textTransformations: RAW } };
}

/** The URI path equals `path`. */
export function pathIs(path: string): Statement {
  return { byteMatchStatement: { fieldToMatch: { uriPath: {} }, positionalConstraint: 'EXACTLY', searchString: path, textTransformations: RAW } };
}

/** The URI path starts with `prefix`. */
export function pathStartsWith(prefix: string): Statement {
  return { byteMatchStatement: { fieldToMatch: { uriPath: {} }, positionalConstraint: 'STARTS_WITH', searchString: prefix, textTransformations: RAW } };
}

/**
 * The named header is present and matches `regex`. A request without the header does not
 * match, so `not(headerMatches(...))` also catches a missing header.
 */
export function headerMatches(header: string, regex: string): Statement {
  // `singleHeader` is an untyped (Json) property in the L1, rendered verbatim: keys stay PascalCase.
  return { regexMatchStatement: { fieldToMatch: { singleHeader: { Name: header } }, regexString: regex, textTransformations: RAW } };
}

/** The request has a body of at least one byte; a body beyond what WAF can inspect counts as one. */
export function hasBody(): Statement {
  return {
    sizeConstraintStatement: {
      fieldToMatch: { body: { oversizeHandling: 'MATCH' } },
      comparisonOperator: 'GT',
      size: 0,
      textTransformations: RAW,
    },
  };
}

/** Every statement matches. A single statement is returned as is (WAF wants at least two in an AND). */
export function allOf(...statements: Statement[]): Statement {
  return statements.length === 1 ? statements[0] : { andStatement: { statements } };
}

/** At least one statement matches. A single statement is returned as is. */
export function anyOf(...statements: Statement[]): Statement {
  return statements.length === 1 ? statements[0] : { orStatement: { statements } };
}

/** The statement does not match. */
export function not(statement: Statement): Statement {
  return { notStatement: { statement } };
}

/** Metrics and sampled requests for one rule or the ACL, named after it. */
export function visibility(metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty {
  return { cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true };
}

/** A rule that blocks what `statement` matches, answering with `responseCode`. */
export function blockRule(name: string, statement: Statement, responseCode: number): Omit<Rule, 'priority'> {
  return { name, statement, action: { block: { customResponse: { responseCode } } }, visibilityConfig: visibility(name) };
}

/** A rule that runs an AWS managed rule group, with some of its rules overridden to count. */
export function managedGroupRule(group: string, countOnly: readonly string[] = []): Omit<Rule, 'priority'> {
  return {
    name: `AWS-${group}`,
    overrideAction: { none: {} },
    statement: {
      managedRuleGroupStatement: {
        vendorName: 'AWS',
        name: group,
        ruleActionOverrides: countOnly.length > 0 ? countOnly.map((name) => ({ name, actionToUse: { count: {} } })) : undefined,
      },
    },
    visibilityConfig: visibility(`AWS-${group}`),
  };
}
