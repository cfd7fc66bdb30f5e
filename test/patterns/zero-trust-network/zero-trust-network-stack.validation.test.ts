import { App, Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { VERIFIED_ACCESS, zeroTrustStack } from './fixture';
import { McpIdentitySpec } from '../../../patterns/shared';
import { patternTestProps, testServer } from '../shared/fixtures';

/** The Cognito identity of the shared fixture with other token lifetimes. */
function cognito(accessTokenValidity: Duration, refreshTokenValidity = Duration.hours(8)): McpIdentitySpec {
  const identity = patternTestProps(new App()).identity;
  if (identity.kind !== 'cognito') throw new Error('the shared fixture uses Cognito');
  return { ...identity, accessTokenValidity, refreshTokenValidity };
}

describe('ZeroTrustNetworkStack validation', () => {
  test('fails with allowed domains but no server egress', () => {
    expect(() => zeroTrustStack({ allowedDomains: ['api.github.com'] }))
      .toThrow(/allowedDomains: 1 domain\(s\) given but serverEgress is 'none'; MCP servers reach allowed domains only with serverEgress 'firewall'/);
  });

  test('fails with server egress through the firewall but no domain', () => {
    expect(() => zeroTrustStack({ serverEgress: 'firewall' })).toThrow(/allowedDomains: serverEgress is 'firewall' but no domain is allowed/);
  });

  test('fails with an unknown server egress', () => {
    expect(() => zeroTrustStack({ serverEgress: 'nat' as 'none' })).toThrow(/serverEgress: 'nat' is not allowed; choose 'none' or 'firewall'/);
  });

  test('fails with Verified Access in front of an internet-facing load balancer', () => {
    expect(() => zeroTrustStack({ verifiedAccess: VERIFIED_ACCESS }))
      .toThrow(/endpoint.internetFacing: true, but verifiedAccess is given; Verified Access replaces the public load balancer/);
  });

  test('fails with client peers for a load balancer that faces the internet or admits only Verified Access', () => {
    const clientPeers = [ec2.Peer.ipv4('192.168.0.0/20')];
    expect(() => zeroTrustStack({ clientPeers })).toThrow(/clientPeers: given, but the load balancer faces the internet/);
    expect(() => zeroTrustStack({ clientPeers, verifiedAccess: VERIFIED_ACCESS, endpoint: { domainName: 'mcp.example.com', internetFacing: false } }))
      .toThrow(/clientPeers: given, but the load balancer admits only Verified Access/);
  });

  test('fails with access tokens that live longer than 15 minutes', () => {
    expect(() => zeroTrustStack({ identity: cognito(Duration.minutes(30)) }))
      .toThrow(/identity.accessTokenValidity: 30 minutes exceeds maxTokenLifetime \(15 minutes\)/);
  });

  test('accepts longer access tokens only when maxTokenLifetime says so, visibly', () => {
    const { stack } = zeroTrustStack({ identity: cognito(Duration.minutes(30)), maxTokenLifetime: Duration.minutes(30) });
    expect(stack.authorizationServer.issuer).toContain('cognito-idp');
  });

  test('fails with sign-ins that last longer than 8 hours', () => {
    expect(() => zeroTrustStack({ identity: cognito(Duration.minutes(15), Duration.hours(12)) }))
      .toThrow(/identity.refreshTokenValidity: 12 hours exceeds maxSessionLifetime \(8 hours\)/);
  });

  test('fails with upstream tokens that live longer than the token limit', () => {
    const gateway = { upstreamTokenLifetime: Duration.minutes(20), riskStepUpScore: 50, riskEndSessionScore: 80, desiredCount: 2 };
    expect(() => zeroTrustStack({ gateway })).toThrow(/gateway.upstreamTokenLifetime: 20 minutes exceeds maxTokenLifetime \(15 minutes\)/);
  });

  test('fails with a server whose Lattice service name would be too long', () => {
    expect(() => zeroTrustStack({ servers: [testServer('notes-and-tickets-from-the-archive')] }))
      .toThrow(/servers: 'notes-and-tickets-from-the-archive' makes the VPC Lattice service name 'mcp-test-notes-and-tickets-from-the-archive' 43 characters long; Lattice allows 40/);
  });

  test('fails with a server that sets the variables the pattern owns', () => {
    expect(() => zeroTrustStack({ servers: [testServer('notes', { environment: { SERVER_AUDIENCE: 'https://anything', MODE: 'ok' } })] }))
      .toThrow(/servers\[0\]\.environment sets SERVER_AUDIENCE, which the pattern sets/);
  });

  test('reports every problem at once', () => {
    expect(() => zeroTrustStack({ allowedDomains: ['api.github.com'], verifiedAccess: VERIFIED_ACCESS, identity: cognito(Duration.minutes(60)) }))
      .toThrow(/invalid properties:\n {2}- allowedDomains[^\n]*\n {2}- endpoint.internetFacing[^\n]*\n {2}- identity.accessTokenValidity/);
  });
});
