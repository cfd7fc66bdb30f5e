import { App, Stack } from 'aws-cdk-lib';
import { environmentProblems } from '../../../lib/compute/private/environment-policy';

const stack = new Stack(new App(), 'Test');

describe('environmentProblems', () => {
  test.each([
    ['CLIENT_SECRET', 'abc'],
    ['db_password', 'abc'],
    ['refreshToken', 'abc'],
    ['OPENAI_APIKEY', 'abc'],
    ['SSH_PRIVATE_KEY', 'abc'],
    ['GOOGLE_CREDENTIALS', '{}'],
  ])('refuses the secret-looking name %s with a literal value', (name, value) => {
    expect(environmentProblems(stack, { [name]: value })).toEqual([expect.stringContaining(`environment.${name} is named like a secret`)]);
  });

  test.each([
    ['a PEM private key', '-----BEGIN RSA PRIVATE KEY-----\nMIIE'],
    ['a GitHub token', 'ghp_0123456789abcdefghijABCDEFGHIJ012345'],
    ['a Slack token', 'xoxb-1234567890-abcdefghij'],
    ['an API secret key', 'sk-proj-0123456789abcdefghijklmn'],
    ['an AWS access key id', 'ASIAIOSFODNN7EXAMPLE'],
  ])('refuses a value that looks like %s under any name', (what, value) => {
    expect(environmentProblems(stack, { SETTING: value })).toEqual([`environment.SETTING holds what looks like ${what}; pass it in secrets from Secrets Manager`]);
  });

  test('accepts ordinary settings, hashes and ARNs, but still refuses a harmless value under a secret-like name', () => {
    expect(environmentProblems(stack, {
      LOG_LEVEL: 'info',
      GIT_SHA: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
      API_KEY_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:upstream-AbCdEf',
      TOKEN_AUDIENCE_URL: 'https://mcp.example.com/mcp',
    })).toEqual(['environment.TOKEN_AUDIENCE_URL is named like a secret; pass it in secrets from Secrets Manager, or pass its ARN']);
  });
});
