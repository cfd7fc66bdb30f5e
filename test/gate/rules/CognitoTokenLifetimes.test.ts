import { Duration } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { firstDescription, mcpFindings, testStack } from './findings';
import { CognitoTokenLifetimes } from '../../../lib/gate';

const codeGrant = { oAuth: { flows: { authorizationCodeGrant: true }, callbackUrls: ['https://app.example.com/callback'] } };

function userPool() {
  const stack = testStack();
  return { stack, pool: new cognito.UserPool(stack, 'Users') };
}

describe('CognitoTokenLifetimes', () => {
  test('a client with 15-minute access and ID tokens and 8-hour refresh tokens is compliant', () => {
    const { stack, pool } = userPool();
    pool.addClient('Client', {
      ...codeGrant,
      accessTokenValidity: Duration.minutes(15),
      idTokenValidity: Duration.minutes(15),
      refreshTokenValidity: Duration.hours(8),
    });
    expect(mcpFindings(stack, CognitoTokenLifetimes)).toEqual([]);
  });

  test('the limits themselves are compliant: 60 minutes and 12 hours', () => {
    const { stack, pool } = userPool();
    pool.addClient('Client', {
      ...codeGrant,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.minutes(60),
      refreshTokenValidity: Duration.hours(12),
    });
    expect(mcpFindings(stack, CognitoTokenLifetimes)).toEqual([]);
  });

  test('reports the 30-day refresh token Cognito issues when the client sets none', () => {
    const { stack, pool } = userPool();
    pool.addClient('Client', codeGrant);
    expect(mcpFindings(stack, CognitoTokenLifetimes)).toEqual([
      'Mcp-CognitoTokenLifetimes[RefreshTokenValidity::default] at Test/Users/Client/Resource',
    ]);
  });

  test('reports each lifetime over its limit, in the unit the template gives', () => {
    const { stack, pool } = userPool();
    pool.addClient('Client', {
      ...codeGrant,
      accessTokenValidity: Duration.minutes(61),
      idTokenValidity: Duration.hours(2),
      refreshTokenValidity: Duration.days(1),
    });
    expect(mcpFindings(stack, CognitoTokenLifetimes)).toEqual([
      'Mcp-CognitoTokenLifetimes[AccessTokenValidity::61minutes] at Test/Users/Client/Resource',
      'Mcp-CognitoTokenLifetimes[IdTokenValidity::120minutes] at Test/Users/Client/Resource',
      'Mcp-CognitoTokenLifetimes[RefreshTokenValidity::1440minutes] at Test/Users/Client/Resource',
    ]);
  });

  test('reads lifetimes set by an escape hatch, with Cognito\'s default units', () => {
    // GIVEN a compliant client whose access token is then overridden to 2 (hours, Cognito's default unit)
    const { stack, pool } = userPool();
    const client = pool.addClient('Client', { ...codeGrant, refreshTokenValidity: Duration.hours(8) });
    const cfn = client.node.defaultChild as cognito.CfnUserPoolClient;
    cfn.addPropertyOverride('AccessTokenValidity', 2);
    cfn.addPropertyDeletionOverride('TokenValidityUnits.AccessToken');
    // THEN
    expect(mcpFindings(stack, CognitoTokenLifetimes)).toEqual([
      'Mcp-CognitoTokenLifetimes[AccessTokenValidity::2hours] at Test/Users/Client/Resource',
    ]);
  });

  test('does not ask a client-credentials-only client for a refresh token lifetime: it gets none', () => {
    const { stack, pool } = userPool();
    pool.addResourceServer('Tools', { identifier: 'mcp', scopes: [new cognito.ResourceServerScope({ scopeName: 'read', scopeDescription: 'Read' })] });
    pool.addClient('Machine', {
      generateSecret: true,
      authFlows: { userSrp: false },
      oAuth: { flows: { clientCredentials: true }, scopes: [cognito.OAuthScope.custom('mcp/read')] },
      accessTokenValidity: Duration.minutes(15),
    });
    expect(mcpFindings(stack, CognitoTokenLifetimes)).toEqual([]);
  });

  test('fails, naming the property, when a lifetime is not a literal', () => {
    const { stack, pool } = userPool();
    const client = pool.addClient('Client', { ...codeGrant, refreshTokenValidity: Duration.hours(8) });
    const cfn = client.node.defaultChild as cognito.CfnUserPoolClient;
    cfn.addPropertyOverride('AccessTokenValidity', { Ref: 'AccessMinutes' });
    expect(firstDescription(stack, CognitoTokenLifetimes)).toMatch(/Rule threw an error/);
    expect(() => CognitoTokenLifetimes.evaluate(cfn)).toThrow(/^AccessTokenValidity is \{"Ref":"AccessMinutes"\}, which cannot be checked before deployment/);
  });
});
