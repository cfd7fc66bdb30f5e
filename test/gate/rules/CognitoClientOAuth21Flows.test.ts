import * as cognito from 'aws-cdk-lib/aws-cognito';
import { mcpFindings, testStack } from './findings';
import { CognitoClientOAuth21Flows } from '../../../lib/gate';

function userPool() {
  const stack = testStack();
  return { stack, pool: new cognito.UserPool(stack, 'Users') };
}

describe('CognitoClientOAuth21Flows', () => {
  test('an authorization-code-only client is compliant', () => {
    const { stack, pool } = userPool();
    pool.addClient('Client', { oAuth: { flows: { authorizationCodeGrant: true }, callbackUrls: ['https://app.example.com/callback'] } });
    expect(mcpFindings(stack, CognitoClientOAuth21Flows)).toEqual([]);
  });

  test('reports the implicit grant the L2 enables by default', () => {
    const { stack, pool } = userPool();
    pool.addClient('Client');
    expect(mcpFindings(stack, CognitoClientOAuth21Flows)).toEqual([
      'Mcp-CognitoClientOAuth21Flows[AllowedOAuthFlows::implicit] at Test/Users/Client/Resource',
    ]);
  });

  test('reports the password flow', () => {
    const { stack, pool } = userPool();
    pool.addClient('Client', { oAuth: { flows: { authorizationCodeGrant: true } }, authFlows: { userPassword: true } });
    expect(mcpFindings(stack, CognitoClientOAuth21Flows)).toEqual([
      'Mcp-CognitoClientOAuth21Flows[ExplicitAuthFlows::ALLOW_USER_PASSWORD_AUTH] at Test/Users/Client/Resource',
    ]);
  });
});
