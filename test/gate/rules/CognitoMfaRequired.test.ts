import * as cognito from 'aws-cdk-lib/aws-cognito';
import { mcpFindings, testStack } from './findings';
import { CognitoMfaRequired } from '../../../lib/gate';

describe('CognitoMfaRequired', () => {
  test('required MFA with an authenticator app is compliant', () => {
    const stack = testStack();
    new cognito.UserPool(stack, 'Users', { mfa: cognito.Mfa.REQUIRED, mfaSecondFactor: { otp: true, sms: false } });
    expect(mcpFindings(stack, CognitoMfaRequired)).toEqual([]);
  });

  test('reports a user pool without MFA or with optional MFA', () => {
    const stack = testStack();
    new cognito.UserPool(stack, 'Default');
    new cognito.UserPool(stack, 'Optional', { mfa: cognito.Mfa.OPTIONAL, mfaSecondFactor: { otp: true, sms: false } });
    expect(mcpFindings(stack, CognitoMfaRequired)).toEqual([
      'Mcp-CognitoMfaRequired[MfaConfiguration::OFF] at Test/Default/Resource',
      'Mcp-CognitoMfaRequired[MfaConfiguration::OPTIONAL] at Test/Optional/Resource',
    ]);
  });

  test('reports required MFA that only offers SMS codes (the L2 default second factor)', () => {
    const stack = testStack();
    new cognito.UserPool(stack, 'Sms', { mfa: cognito.Mfa.REQUIRED });
    expect(mcpFindings(stack, CognitoMfaRequired)).toEqual(['Mcp-CognitoMfaRequired[EnabledMfas::SMS_MFA] at Test/Sms/Resource']);
  });
});
