import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { McpServerSpec } from './mcp-server-spec';
import { McpServerService, McpServerServiceProps } from '../../lib/compute';

/**
 * Environment variables every pattern sets on its MCP servers: where the server listens and
 * whose tokens it accepts (the contract of `runtime/sample-mcp-server`). A server spec may not
 * set them.
 */
export const MCP_SERVER_ENV = {
  /** Container port, where the pattern sends requests. */
  port: 'PORT',
  /** Path of the Streamable HTTP endpoint. */
  path: 'MCP_PATH',
  /** ARN (key or alias) of the KMS key whose public key verifies the gateway's tokens. */
  signingKeyArn: 'GATEWAY_SIGNING_KEY_ARN',
  /** `iss` of the gateway's tokens: the gateway's public URL. */
  issuer: 'GATEWAY_ISSUER',
  /** `aud` the server requires: its own URL, which the gateway mints its tokens for. */
  audience: 'SERVER_AUDIENCE',
} as const;

/** One problem per server whose environment sets a variable of `MCP_SERVER_ENV`. */
export function reservedEnvironmentProblems(servers: readonly McpServerSpec[]): string[] {
  const reserved: readonly string[] = Object.values(MCP_SERVER_ENV);
  return servers.flatMap((server, index) => {
    const taken = Object.keys(server.environment).filter((name) => reserved.includes(name));
    return taken.length === 0 ? [] : [`servers[${index}].environment sets ${taken.join(', ')}, which the pattern sets `
      + '(where the server listens and whose tokens it accepts); remove them'];
  });
}

/**
 * The gateway's token signing key, as a server verifies with it: a key of this app (the server
 * may read its public key), or one it knows only by alias ARN, with the statement that lets it
 * read that public key.
 */
export type GatewayVerificationKey =
  | { readonly key: kms.IKey }
  | { readonly aliasArn: string; readonly readPublicKey: iam.PolicyStatement };

/** Properties of `gatewayUpstreamService`. */
export interface GatewayUpstreamServiceProps
  extends Pick<McpServerServiceProps, 'cluster' | 'vpcSubnets' | 'allowFrom' | 'logKey' | 'logGroup'> {
  /** What to run. */
  readonly spec: McpServerSpec;
  /** `iss` of the gateway's tokens (the gateway's public URL). */
  readonly gatewayIssuer: string;
  /** `aud` the server requires: the URL the gateway calls it at. */
  readonly audience: string;
  /** The key the gateway signs its tokens with. */
  readonly verificationKey: GatewayVerificationKey;
}

/**
 * An MCP server as an upstream of the gateway, the same in every pattern: the spec's image,
 * sizing, environment and secrets (from Secrets Manager), told where to listen and to accept
 * only tokens the gateway minted for `audience`; its task role holds the spec's `awsAccess` and
 * the right to read the public key of the gateway's signing key, nothing else. Verification
 * needs only the public key: the server can neither sign nor call `kms:Verify`. The pattern
 * decides who may reach it (`allowFrom`) and how it is published (Lattice, Service Connect).
 */
export function gatewayUpstreamService(scope: Construct, id: string, props: GatewayUpstreamServiceProps): McpServerService {
  const { spec, verificationKey } = props;
  const service = new McpServerService(scope, id, {
    cluster: props.cluster,
    vpcSubnets: props.vpcSubnets,
    allowFrom: props.allowFrom,
    logKey: props.logKey,
    logGroup: props.logGroup,
    image: spec.image,
    port: spec.port,
    environment: {
      ...spec.environment,
      [MCP_SERVER_ENV.port]: String(spec.port),
      [MCP_SERVER_ENV.path]: spec.path,
      [MCP_SERVER_ENV.signingKeyArn]: 'key' in verificationKey ? verificationKey.key.keyArn : verificationKey.aliasArn,
      [MCP_SERVER_ENV.issuer]: props.gatewayIssuer,
      [MCP_SERVER_ENV.audience]: props.audience,
    },
    secrets: Object.fromEntries(Object.entries(spec.secrets).map(([name, secret]) => [name, ecs.Secret.fromSecretsManager(secret)])),
    cpu: spec.cpu,
    memoryLimitMiB: spec.memoryMiB,
    desiredCount: spec.desiredCount,
    maxCapacity: spec.maxCount,
  });
  spec.awsAccess.forEach((statement) => service.taskRole.addToPrincipalPolicy(statement));
  if ('key' in verificationKey) {
    verificationKey.key.grant(service.taskRole, 'kms:GetPublicKey');
  } else {
    service.taskRole.addToPrincipalPolicy(verificationKey.readPublicKey);
  }
  return service;
}
