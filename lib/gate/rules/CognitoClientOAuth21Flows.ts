import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { McpRule } from '../mcp-rule';
import { asList, flatten, renderedProperties } from './private/template';

/** Flows OAuth 2.1 removed: the implicit grant and the resource owner password flows. */
const REMOVED_IN_OAUTH21 = {
  AllowedOAuthFlows: ['implicit'],
  ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH'],
} as const;

/**
 * Cognito app clients must not allow the implicit grant nor password-based flows, which the
 * OAuth 2.1 profile the MCP authorization spec builds on removed. One finding per flow:
 * `AllowedOAuthFlows::implicit`, `ExplicitAuthFlows::ALLOW_USER_PASSWORD_AUTH`.
 */
export const CognitoClientOAuth21Flows: McpRule = {
  id: 'CognitoClientOAuth21Flows',
  info: 'The Cognito app client allows the implicit grant or a password-based flow that OAuth 2.1 removed.',
  explanation:
    'MCP authorization is OAuth 2.1: clients use the authorization code grant with PKCE. The implicit grant ' +
    'returns access tokens in the redirect URL, where browser history, logs and referrers leak them; password ' +
    'flows hand the user\'s password to the client. The aws-cognito L2 enables the implicit grant by default: ' +
    'set `oAuth.flows` to `{ authorizationCodeGrant: true }` and do not enable `authFlows.userPassword`.',
  level: NagMessageLevel.ERROR,
  principles: ['defense-in-depth/identity', 'zero-trust/continuous-verification'],
  nist80053: ['IA-2', 'IA-5(1)', 'SC-23'],
  evaluate: (node: CfnResource): NagRuleResult => {
    if (node.cfnResourceType !== 'AWS::Cognito::UserPoolClient') {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const properties = renderedProperties(node);
    const findings = Object.entries(REMOVED_IN_OAUTH21).flatMap(([property, removed]) =>
      asList(properties[property]).map(flatten)
        .filter((flow) => (removed as readonly string[]).includes(flow))
        .map((flow) => `${property}::${flow}`),
    );
    return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
  },
};
