import { App, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { SecureCluster } from '../../lib/compute';
import { KeyRing } from '../../lib/encryption';
import { McpSecurityGateway, McpSecurityGatewayProps } from '../../lib/gateway';
import { IMcpAuthorizationServer, McpIdentity } from '../../lib/identity';
import { SecureLoadBalancer, SecureLoadBalancerProps } from '../../lib/perimeter';

export const PUBLIC_URL = 'https://mcp.example.com/mcp';
export const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:111111111111:certificate/11111111-2222-3333-4444-555555555555';
/** A gateway image pinned by digest; nothing is pulled or built at synth. */
export const IMAGE = ecs.ContainerImage.fromRegistry(`public.ecr.aws/example/mcp-gateway@sha256:${'a'.repeat(64)}`);
export const PIN = `sha256:${'b'.repeat(64)}`;

/** What a gateway test builds on. */
export interface GatewayFixture {
  readonly stack: Stack;
  readonly vpc: ec2.Vpc;
  /** Everything under test; the VPC is a minimal stand-in for the network layer, outside it. */
  readonly subject: Construct;
  readonly keys: KeyRing;
  readonly cluster: SecureCluster;
  readonly authorizationServer: IMcpAuthorizationServer;
}

/** A stack with a two-zone VPC (public `Ingress`, isolated `Workload`), keys, a cluster and an external issuer. */
export function gatewayFixture(): GatewayFixture {
  const stack = new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-east-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    natGateways: 0,
    subnetConfiguration: [
      { name: 'Ingress', subnetType: ec2.SubnetType.PUBLIC, mapPublicIpOnLaunch: false },
      { name: 'Workload', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
  const subject = new Construct(stack, 'Subject');
  return {
    stack,
    vpc,
    subject,
    keys: new KeyRing(subject, 'Keys'),
    cluster: new SecureCluster(subject, 'Cluster', { vpc }),
    authorizationServer: McpIdentity.fromOidcIssuer({
      issuer: 'https://issuer.example.com',
      jwksUri: 'https://issuer.example.com/.well-known/jwks.json',
      resource: PUBLIC_URL,
      toolGroups: [{ name: 'read', description: 'Read-only tools' }, { name: 'write', description: 'Tools that change data' }],
    }),
  };
}

/** An internet-facing SecureLoadBalancer whose web ACL admits the gateway's health path. */
export function endpoint(fixture: GatewayFixture, overrides: Partial<SecureLoadBalancerProps> = {}): SecureLoadBalancer {
  return new SecureLoadBalancer(fixture.subject, 'Endpoint', {
    vpc: fixture.vpc,
    internetFacing: true,
    certificates: [acm.Certificate.fromCertificateArn(fixture.stack, 'Certificate', CERTIFICATE_ARN)],
    accessLogBucket: s3.Bucket.fromBucketName(fixture.stack, 'AccessLogs', 'mcp-kit-access-logs'),
    logEncryptionKey: fixture.keys.logs,
    webAcl: { healthPath: '/healthz' },
    ...overrides,
  });
}

/** The props every gateway test starts from. */
export function baseProps(fixture: GatewayFixture, loadBalancer: SecureLoadBalancer): McpSecurityGatewayProps {
  return {
    cluster: fixture.cluster.cluster,
    vpcSubnets: { subnetGroupName: 'Workload' },
    loadBalancer,
    publicUrl: PUBLIC_URL,
    authorizationServer: fixture.authorizationServer,
    signingKey: fixture.keys.signing,
    auditKey: fixture.keys.data,
    logKey: fixture.keys.logs,
    secretsKey: fixture.keys.secrets,
    upstreams: [{ name: 'github', url: 'https://github-mcp.internal.example.com/mcp' }],
    image: IMAGE,
  };
}

/** A gateway with the fixture's props, overridden by `overrides`. */
export function mcpGateway(fixture: GatewayFixture, overrides: Partial<McpSecurityGatewayProps> = {}): McpSecurityGateway {
  const loadBalancer = overrides.loadBalancer ?? endpoint(fixture);
  return new McpSecurityGateway(fixture.subject, 'Gateway', { ...baseProps(fixture, loadBalancer), ...overrides });
}
