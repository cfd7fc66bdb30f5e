import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { KitConfig, PatternName } from './schema';
import { IAccountBaseline, McpPatternProps } from '../../patterns/shared/mcp-pattern-props';
import { McpServerSpec } from '../../patterns/shared/mcp-server-spec';

/** Short names used in resource names when several patterns share an account. */
export const PATTERN_SHORT_NAMES: Readonly<Record<PatternName, string>> = {
  federatedGateway: 'fed',
  zeroTrustNetwork: 'zt',
  layeredDefense: 'ld',
  serviceMesh: 'sm',
};

/** Default VPC CIDR per pattern, distinct so that patterns can later be peered. */
const DEFAULT_CIDRS: Readonly<Record<PatternName, string>> = {
  federatedGateway: '10.10.0.0/16',
  zeroTrustNetwork: '10.20.0.0/16',
  layeredDefense: '10.30.0.0/16',
  serviceMesh: '10.40.0.0/16',
};

type PatternConfig = NonNullable<KitConfig['patterns'][PatternName]>;

/** The environment of a pattern, with explicit zones. */
export function patternEnvironment(pattern: PatternConfig): { account?: string; region: string; availabilityZones: string[] } {
  const { account, region, availabilityZones } = pattern.env;
  return { account, region, availabilityZones: availabilityZones ?? [`${region}a`, `${region}b`] };
}

/**
 * The MCP servers of the config as typed specs. Secrets are imported (by ARN, nothing is
 * created) into `scope` under ids prefixed with `idPrefix`.
 */
export function serverSpecs(scope: Construct, idPrefix: string, config: KitConfig, configDirectory: string): McpServerSpec[] {
  return config.mcpServers.map((server) => ({
    name: server.name,
    image: typeof server.image === 'string'
      ? ecs.ContainerImage.fromRegistry(server.image)
      : ecs.ContainerImage.fromAsset(path.resolve(configDirectory, server.image.directory)),
    port: server.port,
    path: server.path,
    toolGroups: server.toolGroups,
    tools: server.tools.map((tool) => ({ name: tool.name, group: tool.group, destructive: tool.destructive, pin: tool.pin })),
    awsAccess: server.awsAccess.map((access) => new iam.PolicyStatement({ actions: access.actions, resources: access.resources })),
    environment: server.environment,
    secrets: Object.fromEntries(Object.entries(server.secrets).map(([name, arn]) =>
      [name, secretsmanager.Secret.fromSecretCompleteArn(scope, `${idPrefix}-${server.name}-secret-${name}`, arn)])),
    cpu: server.cpu,
    memoryMiB: server.memoryMiB,
    desiredCount: server.desiredCount,
    maxCount: server.maxCount,
    spoke: server.spoke,
  }));
}

/**
 * The props every pattern stack takes, derived from the config. When several patterns are
 * enabled, names that must be unique per account and region (key aliases, Cognito domain,
 * endpoint host) get the pattern's short name.
 */
export function patternProps(
  name: PatternName,
  config: KitConfig,
  baseline: IAccountBaseline,
  servers: McpServerSpec[],
): McpPatternProps {
  const pattern = config.patterns[name]!;
  const shared = Object.values(config.patterns).filter((p) => p?.enabled).length > 1;
  const short = PATTERN_SHORT_NAMES[name];
  const env = patternEnvironment(pattern);
  const identity = config.identity;
  return {
    env: { account: env.account, region: env.region },
    projectName: `${config.projectName}-${short}`,
    baseline,
    network: { cidr: pattern.cidr ?? DEFAULT_CIDRS[name], availabilityZones: env.availabilityZones },
    endpoint: {
      domainName: shared ? `${short}.${config.endpoint.domainName}` : config.endpoint.domainName,
      certificateArn: config.endpoint.certificateArn,
      internetFacing: pattern.internetFacing,
    },
    identity: identity.type === 'oidc'
      ? { kind: 'oidc', issuer: identity.issuer, jwksUri: identity.jwksUri }
      : {
        kind: 'cognito',
        domainPrefix: shared ? `${identity.domainPrefix}-${short}` : identity.domainPrefix,
        clients: identity.clients,
        accessTokenValidity: Duration.minutes(identity.accessTokenMinutes),
        refreshTokenValidity: Duration.hours(identity.refreshTokenHours),
      },
    servers,
    gateway: {
      upstreamTokenLifetime: Duration.seconds(config.gateway.upstreamTokenSeconds),
      riskStepUpScore: config.gateway.riskStepUpScore,
      riskEndSessionScore: config.gateway.riskEndSessionScore,
      desiredCount: config.gateway.desiredCount,
    },
    logRetention: config.logging.retentionDays as logs.RetentionDays,
  };
}
