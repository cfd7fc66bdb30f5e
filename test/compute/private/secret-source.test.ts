import { App, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as sm from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { secretSource } from '../../../lib/compute/private/secret-source';

function newStack(id = 'Test'): Stack {
  return new Stack(new App(), id, { env: { account: '111111111111', region: 'us-east-1' } });
}

describe('secretSource', () => {
  test('recognises Secrets Manager secrets however they are referenced', () => {
    const stack = newStack();
    const owned = new sm.Secret(stack, 'Owned');
    const secrets = [
      ecs.Secret.fromSecretsManager(owned),
      ecs.Secret.fromSecretsManager(owned, 'password'),
      ecs.Secret.fromSecretsManagerVersion(owned, { versionStage: 'AWSCURRENT' }),
      ecs.Secret.fromSecretsManager(sm.Secret.fromSecretNameV2(stack, 'ByName', 'mcp/upstream')),
      ecs.Secret.fromSecretsManager(sm.Secret.fromSecretCompleteArn(stack, 'ByArn', 'arn:aws:secretsmanager:us-east-1:111111111111:secret:mcp/upstream-AbCdEf')),
    ];
    expect(secrets.map((secret) => secretSource(stack, secret))).toEqual(Array(secrets.length).fill('secrets-manager'));
  });

  test('recognises a secret defined in another stack of the app', () => {
    const app = new App();
    const producer = new Stack(app, 'Producer', { env: { account: '111111111111', region: 'us-east-1' } });
    const consumer = new Stack(app, 'Consumer', { env: { account: '111111111111', region: 'us-east-1' } });
    const secret = new sm.Secret(producer, 'Shared');
    expect(secretSource(consumer, ecs.Secret.fromSecretsManager(secret))).toBe('secrets-manager');
  });

  test('reports SSM parameters, plain and SecureString, owned or imported', () => {
    const stack = newStack();
    const parameters = [
      new ssm.StringParameter(stack, 'Owned', { stringValue: 'v' }),
      ssm.StringParameter.fromStringParameterName(stack, 'Named', '/mcp/setting'),
      ssm.StringParameter.fromSecureStringParameterAttributes(stack, 'Secure', { parameterName: '/mcp/key' }),
    ];
    expect(parameters.map((p) => secretSource(stack, ecs.Secret.fromSsmParameter(p)))).toEqual(['ssm-parameter', 'ssm-parameter', 'ssm-parameter']);
  });

  test('does not take an unknown reference for a Secrets Manager secret', () => {
    const stack = newStack();
    // A Ref to an SSM parameter (its name), not its ARN: neither service can be read from it.
    const parameter = new ssm.StringParameter(stack, 'Parameter', { stringValue: 'v' });
    const lookalike: ecs.Secret = { arn: parameter.parameterName, grantRead: () => { throw new Error('unused'); } };
    expect(secretSource(stack, lookalike)).toBe('unrecognised');
  });
});
