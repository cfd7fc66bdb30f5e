import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { MCP_TOKEN_LIFETIMES } from '../../identity/mcp-client-options';
import { McpRule } from '../mcp-rule';
import { asList, flatten, literalOf, renderedProperties, TemplateProperties, valueAt } from './private/template';

const MINUTES_PER_UNIT: Readonly<Record<string, number>> = { seconds: 1 / 60, minutes: 1, hours: 60, days: 24 * 60 };

/** One token lifetime of a Cognito app client, as CloudFormation spells it. */
interface Lifetime {
  /** Property holding the number, e.g. `AccessTokenValidity`. */
  readonly property: string;
  /** Key of `TokenValidityUnits` that gives its unit. */
  readonly unitKey: string;
  /** Unit Cognito applies when `TokenValidityUnits` does not name one. */
  readonly defaultUnit: string;
  /** Lifetime, in minutes, Cognito applies when the property is absent. */
  readonly defaultMinutes: number;
  /** Longest lifetime the kit accepts, in minutes. */
  readonly maxMinutes: number;
}

const ACCESS: Lifetime = {
  property: 'AccessTokenValidity',
  unitKey: 'AccessToken',
  defaultUnit: 'hours',
  defaultMinutes: 60,
  maxMinutes: MCP_TOKEN_LIFETIMES.maxAccessToken.toMinutes(),
};
const ID: Lifetime = { ...ACCESS, property: 'IdTokenValidity', unitKey: 'IdToken' };
const REFRESH: Lifetime = {
  property: 'RefreshTokenValidity',
  unitKey: 'RefreshToken',
  defaultUnit: 'days',
  defaultMinutes: 30 * 24 * 60,
  maxMinutes: MCP_TOKEN_LIFETIMES.maxRefreshToken.toMinutes(),
};

/**
 * Cognito app clients must issue short-lived tokens: access and ID tokens of at most 60
 * minutes and, for clients that sign users in, refresh tokens of at most 12 hours. An absent
 * lifetime is Cognito's default (60 minutes; 30 days for refresh tokens), so a client that
 * sets no refresh token validity fails. One finding per lifetime, e.g.
 * `RefreshTokenValidity::30days`.
 */
export const CognitoTokenLifetimes: McpRule = {
  id: 'CognitoTokenLifetimes',
  info: 'The Cognito app client issues access or ID tokens valid for more than 60 minutes, or refresh tokens valid for more than 12 hours.',
  explanation:
    'An MCP access token is a bearer credential for every tool its scopes reach: a stolen one works until it ' +
    'expires, and the gateway cannot tell its thief from its owner. Short access tokens make access just in time, ' +
    'and a bounded refresh token ends a session after a working day, after which the user signs in again with ' +
    'MFA. Cognito issues refresh tokens for 30 days unless told otherwise. Set `accessTokenValidity` and ' +
    '`idTokenValidity` to 60 minutes or less and `refreshTokenValidity` to 12 hours or less (`McpIdentity` uses ' +
    '15 minutes and 8 hours).',
  level: NagMessageLevel.ERROR,
  principles: ['zero-trust/just-in-time', 'isolation/temporal', 'defense-in-depth/identity'],
  nist80053: ['AC-2(6)', 'AC-12', 'IA-5', 'SC-23'],
  evaluate: (node: CfnResource): NagRuleResult => {
    if (node.cfnResourceType !== 'AWS::Cognito::UserPoolClient') {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const properties = renderedProperties(node);
    const lifetimes = signsUsersIn(properties) ? [ACCESS, ID, REFRESH] : [ACCESS, ID];
    const findings = lifetimes.flatMap((lifetime) => {
      const { minutes, shown } = lifetimeOf(properties, lifetime);
      return minutes > lifetime.maxMinutes ? [`${lifetime.property}::${shown}`] : [];
    });
    return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
  },
};

/**
 * Whether the client can obtain refresh tokens: an authorization code or implicit grant, or
 * an authentication flow other than refreshing. Without `ExplicitAuthFlows` Cognito enables
 * SRP and custom sign-in. A client-credentials-only client gets no refresh token.
 */
function signsUsersIn(properties: TemplateProperties): boolean {
  if (properties.ExplicitAuthFlows === undefined) {
    return true;
  }
  const oauthFlows = asList(properties.AllowedOAuthFlows).map(flatten);
  const authFlows = asList(properties.ExplicitAuthFlows).map(flatten);
  return oauthFlows.some((flow) => flow !== 'client_credentials') || authFlows.some((flow) => flow !== 'ALLOW_REFRESH_TOKEN_AUTH');
}

/** The lifetime in minutes (Cognito's default when absent) and how a finding shows it. */
function lifetimeOf(properties: TemplateProperties, lifetime: Lifetime): { minutes: number; shown: string } {
  const value = literalOf(properties[lifetime.property], lifetime.property);
  if (value === undefined) {
    return { minutes: lifetime.defaultMinutes, shown: 'default' };
  }
  const unit = String(literalOf(valueAt(properties.TokenValidityUnits, lifetime.unitKey), `TokenValidityUnits.${lifetime.unitKey}`) ?? lifetime.defaultUnit);
  return { minutes: Number(value) * (MINUTES_PER_UNIT[unit] ?? Number.POSITIVE_INFINITY), shown: `${value}${unit}` };
}
