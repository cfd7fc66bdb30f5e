import { SecretValue, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as sm from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { computeFixture, mcpServer } from './fixture';
import { SecureLogGroup } from '../../lib/logging';

describe('McpServerService validation', () => {
  test('fails with one task', () => {
    expect(() => mcpServer(computeFixture(), { desiredCount: 1 }))
      .toThrow(/desiredCount must be an integer of at least 2 \(one task per Availability Zone\), got 1/);
  });

  test('fails with autoscaling bounds below two or inverted', () => {
    expect(() => mcpServer(computeFixture(), { minCapacity: 1, maxCapacity: 1, desiredCount: 2 }))
      .toThrow(/minCapacity must be an integer of at least 2, got 1[\s\S]*desiredCount must be between minCapacity and maxCapacity \(1-1\), got 2/);
    expect(() => mcpServer(computeFixture(), { minCapacity: 4, maxCapacity: 3, desiredCount: 4 }))
      .toThrow(/maxCapacity must be an integer of at least minCapacity \(4\), got 3/);
  });

  test('fails when the service would admit everyone', () => {
    expect(() => mcpServer(computeFixture(), { allowFrom: ec2.Peer.anyIpv4() }))
      .toThrow(/allowFrom must be a named peer \(a security group or a private prefix\), got 0.0.0.0\/0/);
  });

  test('admits a private prefix such as the VPC Lattice data plane', () => {
    const service = mcpServer(computeFixture(), { allowFrom: ec2.Peer.ipv4('169.254.171.0/24') });
    const ingress = Template.fromStack(Stack.of(service)).findResources('AWS::EC2::SecurityGroup');
    const rules = Object.values(ingress).flatMap((r) => r.Properties.SecurityGroupIngress ?? []);
    expect(rules).toContainEqual(expect.objectContaining({ CidrIp: '169.254.171.0/24', FromPort: 8080, ToPort: 8080 }));
  });

  test('fails when the container would run as root', () => {
    for (const user of ['root', '0', '0:0', 'root:1000', '']) {
      expect(() => mcpServer(computeFixture(), { user })).toThrow(/runs the container as root; give a non-root '<uid>:<gid>'/);
    }
  });

  test('fails with a secret-looking environment variable name', () => {
    expect(() => mcpServer(computeFixture(), { environment: { GITHUB_TOKEN: 'placeholder', DbPassword: 'x', UPSTREAM_API_KEY: 'y' } }))
      .toThrow(/environment\.GITHUB_TOKEN is named like a secret[\s\S]*environment\.DbPassword is named like a secret[\s\S]*environment\.UPSTREAM_API_KEY is named like a secret/);
  });

  test('fails with secret-looking values whatever the name, without printing them', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl';
    const accessKeyId = 'AKIAIOSFODNN7EXAMPLE';
    const secretAccessKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    let message = '';
    try {
      mcpServer(computeFixture(), { environment: { SESSION: jwt, AWS_ID: accessKeyId, OTHER: secretAccessKey, DSN: 'postgres://app:hunter2@db:5432/app' } });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/environment\.SESSION holds what looks like a JSON Web Token/);
    expect(message).toMatch(/environment\.AWS_ID holds what looks like an AWS access key id/);
    expect(message).toMatch(/environment\.OTHER holds what looks like an AWS secret access key/);
    expect(message).toMatch(/environment\.DSN holds what looks like a URL with a password/);
    for (const value of [jwt, accessKeyId, secretAccessKey, 'hunter2']) expect(message).not.toContain(value);
  });

  test('fails with a secret resolved into an environment variable by a dynamic reference', () => {
    const fixture = computeFixture();
    const secret = new sm.Secret(fixture.stack, 'Secret');
    expect(() => mcpServer(fixture, { environment: { CONFIG: SecretValue.secretsManager(secret.secretArn).unsafeUnwrap() } }))
      .toThrow(/environment\.CONFIG holds what looks like a CloudFormation secret dynamic reference/);
  });

  test('accepts secret ARNs and ordinary settings in the environment', () => {
    const fixture = computeFixture();
    const secret = new sm.Secret(fixture.stack, 'Secret');
    expect(() => mcpServer(fixture, {
      environment: {
        DB_SECRET_ARN: secret.secretArn,
        SIGNING_KEY_ARN: 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        LOG_LEVEL: 'debug',
        BUILD_SHA: '0123456789abcdef0123456789abcdef01234567',
        UPSTREAM_URL: 'https://api.example.com/v1',
      },
    })).not.toThrow();
  });

  test('fails with an SSM parameter as secret', () => {
    const fixture = computeFixture();
    const parameter = new ssm.StringParameter(fixture.stack, 'Param', { stringValue: 'value' });
    const imported = ssm.StringParameter.fromSecureStringParameterAttributes(fixture.stack, 'Imported', { parameterName: '/mcp/key' });
    expect(() => mcpServer(fixture, {
      secrets: { PLAIN: ecs.Secret.fromSsmParameter(parameter), SECURE: ecs.Secret.fromSsmParameter(imported) },
    })).toThrow(/secrets\.PLAIN is an SSM parameter; only Secrets Manager secrets are accepted[\s\S]*secrets\.SECURE is an SSM parameter/);
  });

  test('fails when a name is both a secret and an environment variable', () => {
    const fixture = computeFixture();
    const secret = new sm.Secret(fixture.stack, 'Secret');
    expect(() => mcpServer(fixture, { secrets: { MODE: ecs.Secret.fromSecretsManager(secret) }, environment: { MODE: 'x' } }))
      .toThrow(/MODE is both in environment and in secrets/);
  });

  test('fails with subnets in one Availability Zone or public subnets', () => {
    expect(() => mcpServer(computeFixture(), { vpcSubnets: { subnetGroupName: 'Workload', availabilityZones: ['us-east-1a'] } }))
      .toThrow(/vpcSubnets must span at least 2 Availability Zones so tasks survive the loss of one, got 1 \(us-east-1a\)/);
    expect(() => mcpServer(computeFixture(), { vpcSubnets: { subnetGroupName: 'Ingress' } }))
      .toThrow(/vpcSubnets selects public subnets; run MCP servers in the private workload tier/);
  });

  test('fails without a log destination, or with two', () => {
    expect(() => mcpServer(computeFixture(), { logKey: undefined })).toThrow(/give exactly one of logKey and logGroup/);
    const fixture = computeFixture();
    const logGroup = new SecureLogGroup(fixture.subject, 'Logs', { encryptionKey: fixture.keys.logs });
    expect(() => mcpServer(fixture, { logGroup })).toThrow(/give exactly one of logKey and logGroup/);
  });

  test('fails with an invalid port or scaling target', () => {
    expect(() => mcpServer(computeFixture(), { port: 0, targetCpuUtilizationPercent: 95 }))
      .toThrow(/port must be an integer from 1 to 65535, got 0[\s\S]*targetCpuUtilizationPercent must be from 10 to 90, got 95/);
  });
});
