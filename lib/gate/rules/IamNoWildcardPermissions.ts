import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { McpRule } from '../mcp-rule';
import { asList, flatten, isMap, renderedProperties, TemplateValue, valueAt } from './private/template';

/**
 * Identity policies (inline policies of roles, users and groups, `AWS::IAM::Policy`,
 * `AWS::IAM::ManagedPolicy`) must not allow a whole service (`s3:*`) or everything (`*`),
 * `NotAction`/`NotResource`, nor any action on an account-wide resource (`*`,
 * `arn:aws:s3:::*`, `…:log-group:*`).
 *
 * Prefix wildcards on a scoped resource (`s3:GetObject*` on `<Bucket.Arn>/*`, what `grant*`
 * methods generate) are not reported here: AwsSolutions-IAM5 lists each of them already.
 *
 * There is deliberately no allow-list. Some actions support no resource-level permissions
 * (`ecr:GetAuthorizationToken`, `logs:DescribeLogGroups`, `xray:PutTraceSegments`…) and can
 * only be granted on `*`; each of them is a separate finding,
 * `Action::ecr:GetAuthorizationToken::Resource::*`, acknowledged on the policy with that reason.
 * Because the finding names the action, an acknowledgement never covers an action added later
 * to the same statement — unlike an acknowledgement of `Resource::*` as a whole.
 */
export const IamNoWildcardPermissions: McpRule = {
  id: 'IamNoWildcardPermissions',
  info: 'The identity policy allows a whole service or all actions, uses NotAction/NotResource, or allows an action on an account-wide resource.',
  explanation:
    'MCP servers act on behalf of AI agents whose inputs are untrusted (prompt injection, tool poisoning); a ' +
    'wildcard in their role turns one manipulated tool call into account-wide access (OWASP MCP02). Name each ' +
    'action and scope it to the resources it needs. An action that supports no resource-level permission is ' +
    'reported alone (`Action::<action>::Resource::*`) and may be acknowledged on that policy, saying so.',
  level: NagMessageLevel.ERROR,
  principles: ['zero-trust/least-privilege', 'secure-by-default/minimal-permissions'],
  nist80053: ['AC-3', 'AC-6', 'AC-6(1)'],
  evaluate: (node: CfnResource): NagRuleResult => {
    const documents = policyDocuments(node);
    if (documents === undefined) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const findings = new Set(documents.flatMap(wildcardFindings));
    return findings.size > 0 ? [...findings] : NagRuleCompliance.COMPLIANT;
  },
};

/** The identity policy documents `node` defines, or undefined if it is not an identity policy. */
function policyDocuments(node: CfnResource): TemplateValue[] | undefined {
  switch (node.cfnResourceType) {
    case 'AWS::IAM::Role':
    case 'AWS::IAM::User':
    case 'AWS::IAM::Group':
      return asList(renderedProperties(node).Policies).map((policy) => valueAt(policy, 'PolicyDocument'));
    case 'AWS::IAM::Policy':
    case 'AWS::IAM::ManagedPolicy':
      return [renderedProperties(node).PolicyDocument];
    default:
      return undefined;
  }
}

function wildcardFindings(document: TemplateValue): string[] {
  const findings: string[] = [];
  for (const statement of asList(valueAt(document, 'Statement'))) {
    // Deny statements with wildcards only ever take permissions away.
    if (!isMap(statement) || statement.Effect !== 'Allow') {
      continue;
    }
    if (statement.NotAction !== undefined) {
      findings.push('NotAction');
    }
    if (statement.NotResource !== undefined) {
      findings.push('NotResource');
    }
    const actions = asList(statement.Action).map(flatten);
    findings.push(...actions.filter(isServiceWide).map((action) => `Action::${action}`));
    for (const resource of asList(statement.Resource).map(flatten).filter(isAccountWide)) {
      findings.push(...actions.map((action) => `Action::${action}::Resource::${resource}`));
    }
  }
  return findings.map(balancedBrackets);
}

/** `*` or `<service>:*`. */
function isServiceWide(action: string): boolean {
  return action === '*' || /^[A-Za-z0-9-]+:\*$/.test(action);
}

/**
 * `*`, an ARN whose resource part starts with a wildcard (`arn:aws:s3:::*`,
 * `…:log-group:*`, `…:secret:*`), or an ARN for any account. A wildcard after a specific
 * prefix (`<Bucket.Arn>/*`, `…:log-group:/mcp/*`) is scoped and left to AwsSolutions-IAM5.
 */
function isAccountWide(resource: string): boolean {
  if (resource === '*') {
    return true;
  }
  // `<AWS::Partition>` and other flattened references must not be split on their colons.
  const parts = resource.replace(/<[^>]*>/g, (reference) => reference.replace(/:/g, '.')).split(':');
  if (parts[0] !== 'arn' || parts.length < 6) {
    return false;
  }
  const account = parts[4];
  const resourcePart = parts.slice(5).join(':');
  return account === '*' || /^([A-Za-z0-9-]+[:/])?\*/.test(resourcePart);
}

/** Finding ids are parsed with bracket matching; a stray bracket from a flattened value would break them. */
function balancedBrackets(finding: string): string {
  return finding.replace(/[[\](){}]/g, '_');
}
