import { App, Duration } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AccountBaselineStack } from '../../../patterns/baseline/account-baseline-stack';
import { McpPatternProps } from '../../../patterns/shared/mcp-pattern-props';
import { McpServerSpec } from '../../../patterns/shared/mcp-server-spec';

/** Environment of pattern tests: explicit account, region and zones, no lookups. */
export const TEST_ENV = { account: '111111111111', region: 'us-east-1' } as const;

/** A registry image keeps tests free of Docker build contexts. */
export function testServer(name: string, overrides: Partial<McpServerSpec> = {}): McpServerSpec {
  return {
    name,
    image: ecs.ContainerImage.fromRegistry(`public.ecr.aws/example/${name}:1.0.0`),
    port: 8080,
    path: '/mcp',
    toolGroups: [{ name: `${name}-read`, description: 'Read' }],
    tools: [{ name: 'search', group: `${name}-read`, destructive: false, pin: `sha256:${'a'.repeat(64)}` }],
    awsAccess: [],
    environment: {},
    secrets: {},
    cpu: 256,
    memoryMiB: 512,
    desiredCount: 2,
    maxCount: 4,
    ...overrides,
  };
}

/** Props every pattern stack accepts, with a baseline stack in the same app. */
export function patternTestProps(app: App, overrides: Partial<McpPatternProps> = {}): McpPatternProps {
  const baseline = new AccountBaselineStack(app, 'Baseline', { env: TEST_ENV });
  return {
    env: TEST_ENV,
    projectName: 'mcp-test',
    baseline,
    network: { cidr: '10.10.0.0/16', availabilityZones: ['us-east-1a', 'us-east-1b'] },
    endpoint: { domainName: 'mcp.example.com', internetFacing: true },
    identity: {
      kind: 'cognito',
      domainPrefix: 'mcp-test-login',
      clients: [{ name: 'inspector', callbackUrls: ['http://localhost:6274/oauth/callback'] }],
      accessTokenValidity: Duration.minutes(15),
      refreshTokenValidity: Duration.hours(8),
    },
    servers: [testServer('notes')],
    gateway: { upstreamTokenLifetime: Duration.minutes(5), riskStepUpScore: 50, riskEndSessionScore: 80, desiredCount: 2 },
    logRetention: logs.RetentionDays.ONE_YEAR,
    ...overrides,
  };
}
