import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { McpRule } from '../mcp-rule';
import { asList, flatten, literalOf, renderedProperties } from './private/template';

/**
 * Cognito user pools must require MFA (`MfaConfiguration: ON`) with an authenticator app
 * (`SOFTWARE_TOKEN_MFA`) among the second factors. Findings: `MfaConfiguration::<value>` and
 * `EnabledMfas::<factors>` when only SMS or e-mail codes are enabled.
 */
export const CognitoMfaRequired: McpRule = {
  id: 'CognitoMfaRequired',
  info: 'The Cognito user pool does not require MFA, or allows only SMS or e-mail codes as second factor.',
  explanation:
    'The people who sign in to the user pool authorize AI agents to act for them; a phished password then ' +
    'drives every tool they may call. Require MFA for every user (`mfa: Mfa.REQUIRED`), with TOTP ' +
    '(`mfaSecondFactor: { otp: true }`): SMS and e-mail codes can be intercepted or redirected.',
  level: NagMessageLevel.ERROR,
  principles: ['defense-in-depth/identity', 'zero-trust/continuous-verification'],
  nist80053: ['IA-2(1)', 'IA-2(2)', 'IA-2(8)'],
  evaluate: (node: CfnResource): NagRuleResult => {
    if (node.cfnResourceType !== 'AWS::Cognito::UserPool') {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const properties = renderedProperties(node);
    const mfa = literalOf(properties.MfaConfiguration, 'MfaConfiguration') ?? 'OFF';
    if (mfa !== 'ON') {
      return [`MfaConfiguration::${mfa}`];
    }
    const factors = asList(properties.EnabledMfas).map(flatten);
    return factors.includes('SOFTWARE_TOKEN_MFA') ? NagRuleCompliance.COMPLIANT : [`EnabledMfas::${factors.join(',') || 'unset'}`];
  },
};
