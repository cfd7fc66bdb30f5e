import { Duration } from 'aws-cdk-lib';
import { MAX_LATTICE_SERVICE_NAME, latticeServiceName } from './lattice-names';
import { reservedEnvironmentProblems } from '../../shared/gateway-upstream-service';
import { ZeroTrustNetworkStackProps } from '../zero-trust-network-props';

/** The settings the pattern checks, defaults applied. */
export interface ZeroTrustSettings {
  readonly props: ZeroTrustNetworkStackProps;
  readonly serverEgress: string;
  readonly allowedDomains: readonly string[];
  readonly maxTokenLifetime: Duration;
  readonly maxSessionLifetime: Duration;
}

const SERVER_EGRESS = ['none', 'firewall'];

/** Every problem with the pattern-specific settings, one sentence each naming the prop; empty when valid. */
export function zeroTrustProblems(settings: ZeroTrustSettings): string[] {
  const { props, serverEgress, allowedDomains, maxTokenLifetime, maxSessionLifetime } = settings;
  const problems: string[] = [];
  if (!SERVER_EGRESS.includes(serverEgress)) {
    problems.push(`serverEgress: '${serverEgress}' is not allowed; choose 'none' or 'firewall'`);
  }
  if (serverEgress !== 'firewall' && allowedDomains.length > 0) {
    problems.push(`allowedDomains: ${allowedDomains.length} domain(s) given but serverEgress is '${serverEgress}'; ` +
      'MCP servers reach allowed domains only with serverEgress \'firewall\'');
  }
  if (serverEgress === 'firewall' && allowedDomains.length === 0) {
    problems.push('allowedDomains: serverEgress is \'firewall\' but no domain is allowed; name the domains the servers need, or choose \'none\'');
  }
  if (props.verifiedAccess && props.endpoint.internetFacing) {
    problems.push('endpoint.internetFacing: true, but verifiedAccess is given; Verified Access replaces the public load balancer, ' +
      'so set internetFacing to false');
  }
  if (props.clientPeers && (props.verifiedAccess || props.endpoint.internetFacing)) {
    problems.push('clientPeers: given, but the load balancer ' + (props.verifiedAccess
      ? 'admits only Verified Access' : 'faces the internet') + '; clientPeers applies to an internal load balancer without Verified Access');
  }

  const longer = (lifetime: Duration, bound: Duration) =>
    !lifetime.isUnresolved() && !bound.isUnresolved() && lifetime.toSeconds() > bound.toSeconds();
  const limit = `maxTokenLifetime (${maxTokenLifetime.toHumanString()})`;
  if (props.identity.kind === 'cognito') {
    if (longer(props.identity.accessTokenValidity, maxTokenLifetime)) {
      problems.push(`identity.accessTokenValidity: ${props.identity.accessTokenValidity.toHumanString()} exceeds ${limit}; ` +
        'short-lived access tokens limit what a stolen token is worth');
    }
    if (longer(props.identity.refreshTokenValidity, maxSessionLifetime)) {
      problems.push(`identity.refreshTokenValidity: ${props.identity.refreshTokenValidity.toHumanString()} exceeds ` +
        `maxSessionLifetime (${maxSessionLifetime.toHumanString()}); users sign in again, with MFA, at least that often`);
    }
  }
  if (longer(props.gateway.upstreamTokenLifetime, maxTokenLifetime)) {
    problems.push(`gateway.upstreamTokenLifetime: ${props.gateway.upstreamTokenLifetime.toHumanString()} exceeds ${limit}`);
  }

  problems.push(...reservedEnvironmentProblems(props.servers));
  for (const server of props.servers) {
    const name = latticeServiceName(props.projectName, server.name);
    if (name.length > MAX_LATTICE_SERVICE_NAME) {
      problems.push(`servers: '${server.name}' makes the VPC Lattice service name '${name}' ${name.length} characters long; ` +
        `Lattice allows ${MAX_LATTICE_SERVICE_NAME}: shorten projectName or the server name`);
    }
  }
  return problems;
}
