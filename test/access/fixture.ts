import { App, SecretValue, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { VerifiedAccessApplication, VerifiedAccessApplicationProps, VerifiedAccessOidcOptions } from '../../lib/access';
import { KeyRing } from '../../lib/encryption';
import { standInVpc, testStack } from '../support/stand-ins';

export const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:111111111111:certificate/11111111-2222-3333-4444-555555555555';
export const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:mcp/verified-access-client-AbCdEf';

/** The identity provider every test starts from. */
export const OIDC: VerifiedAccessOidcOptions = {
  issuer: 'https://login.example.com',
  authorizationEndpoint: 'https://login.example.com/oauth2/authorize',
  tokenEndpoint: 'https://login.example.com/oauth2/token',
  userInfoEndpoint: 'https://login.example.com/oauth2/userinfo',
  clientId: 'verified-access',
  clientSecret: SecretValue.secretsManager(SECRET_ARN, { jsonField: 'client_secret' }),
};

/** What an access test builds on. */
export interface AccessFixture {
  readonly stack: Stack;
  /** A stand-in VPC with isolated `Balancer` and `Workload` subnets, outside the gate checks. */
  readonly vpc: ec2.Vpc;
  /** A stand-in internal load balancer, outside the gate checks (the perimeter layer has its own). */
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly keys: KeyRing;
  readonly base: VerifiedAccessApplicationProps;
}

/** A stack with a VPC, an internal load balancer and a key ring. */
export function accessFixture(internetFacing = false): AccessFixture {
  const stack = testStack();
  const vpc = standInVpc(stack, { Public: 'public', Balancer: 'isolated', Workload: 'isolated' });
  const loadBalancer = new elbv2.ApplicationLoadBalancer(stack, 'LoadBalancer', {
    vpc,
    internetFacing,
    vpcSubnets: { subnetGroupName: internetFacing ? 'Public' : 'Balancer' },
  });
  const keys = new KeyRing(stack, 'Keys');
  const base: VerifiedAccessApplicationProps = {
    vpc,
    loadBalancer,
    vpcSubnets: { subnetGroupName: 'Balancer' },
    applicationDomain: 'mcp.example.com',
    domainCertificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', CERTIFICATE_ARN),
    oidc: OIDC,
    encryptionKey: keys.data,
    logEncryptionKey: keys.logs,
  };
  return { stack, vpc, loadBalancer, keys, base };
}

/** Builds a VerifiedAccessApplication `Access` from the fixture props overridden by `props`. */
export function buildAccess(props: Partial<VerifiedAccessApplicationProps> = {}, fixture = accessFixture()) {
  const access = new VerifiedAccessApplication(fixture.stack, 'Access', { ...fixture.base, ...props });
  return { ...fixture, access, template: () => Template.fromStack(fixture.stack) };
}
