import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { mcpFindings, testStack } from './findings';
import { NoPlaintextSecrets } from '../../../lib/gate';

function fn(stack: ReturnType<typeof testStack>, environment: Record<string, string>) {
  return new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({});'),
    environment,
  });
}

describe('NoPlaintextSecrets', () => {
  test('configuration, ARNs and ECS secrets are compliant', () => {
    const stack = testStack();
    const secret = new secretsmanager.Secret(stack, 'Secret');
    fn(stack, { TOKEN_AUDIENCE: 'https://mcp.example.com', CLIENT_SECRET_ARN: secret.secretArn, LOG_LEVEL: 'info', API_KEY: '' });
    new ecs.FargateTaskDefinition(stack, 'Task').addContainer('mcp', {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/mcp/server:1'),
      environment: { UPSTREAM_URL: 'https://api.example.com' },
      secrets: { UPSTREAM_TOKEN: ecs.Secret.fromSecretsManager(secret) },
    });
    expect(mcpFindings(stack, NoPlaintextSecrets)).toEqual([]);
  });

  test('reports literal values of secret-named variables, per container and variable', () => {
    const stack = testStack();
    fn(stack, { openAiApiKey: 'not-a-real-key-but-a-literal', LOG_LEVEL: 'info' });
    new ecs.FargateTaskDefinition(stack, 'Task').addContainer('mcp', {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/mcp/server:1'),
      environment: { DB_PASSWORD: 'hunter2hunter2', PORT: '8080' },
    });
    expect(mcpFindings(stack, NoPlaintextSecrets)).toEqual([
      'Mcp-NoPlaintextSecrets[openAiApiKey] at Test/Fn/Resource',
      'Mcp-NoPlaintextSecrets[mcp::DB_PASSWORD] at Test/Task/Resource',
    ]);
  });

  test('reports secret dynamic references and known key formats whatever the variable is called', () => {
    const stack = testStack();
    const secret = new secretsmanager.Secret(stack, 'Secret');
    fn(stack, {
      UPSTREAM: secret.secretValue.unsafeUnwrap(),
      DEPLOY_USER: 'AKIAIOSFODNN7EXAMPLE',
    });
    expect(mcpFindings(stack, NoPlaintextSecrets)).toEqual([
      'Mcp-NoPlaintextSecrets[UPSTREAM] at Test/Fn/Resource',
      'Mcp-NoPlaintextSecrets[DEPLOY_USER] at Test/Fn/Resource',
    ]);
  });
});
