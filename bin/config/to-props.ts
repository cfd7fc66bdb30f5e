import * as path from 'path';
import { Duration, SecretValue } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { KitConfig, PatternName } from './schema';
import { FederatedSpokeSpec } from '../../patterns/federated-gateway/create-federated-gateway';
import { IAccountBaseline, McpNetworkSpec, McpPatternProps } from '../../patterns/shared/mcp-pattern-props';
import { McpServerSpec } from '../../patterns/shared/mcp-server-spec';
import { ZeroTrustVerifiedAccessOptions } from '../../patterns/zero-trust-network/zero-trust-network-props';

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
type FederatedGatewayConfig = NonNullable<KitConfig['patterns']['federatedGateway']>;
type ZeroTrustNetworkConfig = NonNullable<KitConfig['patterns']['zeroTrustNetwork']>;

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
      // Unset only in the zero-trust pattern: internal when Verified Access replaces the public load balancer.
      internetFacing: pattern.internetFacing ?? !('verifiedAccess' in pattern && pattern.verifiedAccess),
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

/**
 * The spokes of the federated gateway. A spoke's zones and CIDR default to the hub's: spokes
 * are in the hub's region, and Lattice does not route between the VPCs, so ranges may overlap.
 */
export function federatedSpokes(pattern: FederatedGatewayConfig, hubNetwork: McpNetworkSpec): FederatedSpokeSpec[] {
  return pattern.spokes.map((spoke) => ({
    name: spoke.name,
    env: { account: spoke.env.account, region: spoke.env.region },
    network: {
      cidr: spoke.cidr ?? hubNetwork.cidr,
      availabilityZones: spoke.env.availabilityZones ?? hubNetwork.availabilityZones,
    },
    egress: spoke.egress,
  }));
}

/**
 * Verified Access of the zero-trust pattern. The client secret becomes a Secrets Manager
 * dynamic reference: CloudFormation resolves it at deployment, the template holds only the ARN.
 */
export function verifiedAccessOptions(pattern: ZeroTrustNetworkConfig): ZeroTrustVerifiedAccessOptions | undefined {
  if (!pattern.verifiedAccess) return undefined;
  // The schema requires verifiedAccessOidc with verifiedAccess.
  const oidc = pattern.verifiedAccessOidc!;
  return {
    oidc: {
      issuer: oidc.issuer,
      authorizationEndpoint: oidc.authorizationEndpoint,
      tokenEndpoint: oidc.tokenEndpoint,
      userInfoEndpoint: oidc.userInfoEndpoint,
      clientId: oidc.clientId,
      clientSecret: SecretValue.secretsManager(oidc.clientSecret.secretArn, { jsonField: oidc.clientSecret.jsonField }),
      scope: oidc.scope,
    },
    policyDocument: pattern.verifiedAccessPolicy,
  };
}
