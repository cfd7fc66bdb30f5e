import { Duration, Token } from 'aws-cdk-lib';
import { GATEWAY_HEALTH_PATH, GATEWAY_MCP_PATH, GatewayRiskThresholds, GatewayToolPins, GatewayUpstream } from '../gateway-config';

/** Bounds of the runtime's `tokens.ttlSeconds`, kept above a minute so that renewal has room. */
const TOKEN_TTL_SECONDS = { min: 60, max: 3600 };
/** Bounds of the runtime's `upstreams[].timeoutMs`. */
const UPSTREAM_TIMEOUT_MS = { min: 100, max: 600_000 };
const UPSTREAM_NAME = /^[a-z][a-z0-9-]{0,30}$/;
const GATEWAY_NAME = /^[A-Za-z0-9._-]{1,64}$/;
const PIN = /^sha256:[0-9a-f]{64}$/;

/** The gateway settings validation looks at, defaults applied. */
export interface GatewaySettings {
  readonly publicUrl: string;
  readonly resource: string;
  readonly jwksUri?: string;
  readonly webAclMcpPaths: readonly string[];
  readonly webAclHealthPath: string;
  readonly upstreams: readonly GatewayUpstream[];
  readonly gatewayName: string;
  readonly tokenTtl: Duration;
  readonly riskThresholds: GatewayRiskThresholds;
  readonly toolPins: GatewayToolPins;
  readonly denialAlarmThreshold: number;
  readonly dockerfileProblem?: string;
  readonly quarantineRequestBusArn?: string;
}

/** Every problem with `settings`, one string each naming the prop, the value and what is allowed. */
export function gatewayProblems(settings: GatewaySettings): string[] {
  const problems: string[] = [];
  problems.push(...publicUrlProblems(settings));
  if (settings.jwksUri === undefined) {
    problems.push('authorizationServer has no jwksUri; the gateway verifies access tokens against a JWKS URL, so give the issuer\'s jwks_uri');
  }
  if (!settings.webAclMcpPaths.includes(GATEWAY_MCP_PATH)) {
    problems.push(`loadBalancer admits the MCP paths ${JSON.stringify(settings.webAclMcpPaths)}; the gateway serves '${GATEWAY_MCP_PATH}', so create the SecureLoadBalancer with webAcl.mcpPaths including it`);
  }
  if (settings.webAclHealthPath !== GATEWAY_HEALTH_PATH) {
    problems.push(`loadBalancer answers health checks on '${settings.webAclHealthPath}'; the gateway serves '${GATEWAY_HEALTH_PATH}', so create the SecureLoadBalancer with webAcl.healthPath '${GATEWAY_HEALTH_PATH}'`);
  }
  problems.push(...upstreamProblems(settings.upstreams));
  problems.push(...pinProblems(settings.toolPins, settings.upstreams));

  if (!Token.isUnresolved(settings.gatewayName) && !GATEWAY_NAME.test(settings.gatewayName)) {
    problems.push(`gatewayName must be 1 to 64 letters, digits, '.', '_' or '-', got '${settings.gatewayName}'`);
  }
  if (!settings.tokenTtl.isUnresolved()) {
    const seconds = settings.tokenTtl.toSeconds({ integral: false });
    if (!Number.isInteger(seconds) || seconds < TOKEN_TTL_SECONDS.min || seconds > TOKEN_TTL_SECONDS.max) {
      problems.push(`tokenTtl must be whole seconds from ${TOKEN_TTL_SECONDS.min} to ${TOKEN_TTL_SECONDS.max}, got ${seconds} seconds`);
    }
  }
  const { stepUp, endSession } = settings.riskThresholds;
  if (!(stepUp > 0) || !(endSession > 0) || !Number.isFinite(stepUp) || !Number.isFinite(endSession) || stepUp >= endSession) {
    problems.push(`riskThresholds must be positive with stepUp below endSession, got stepUp ${stepUp} and endSession ${endSession}`);
  }
  if (!Number.isInteger(settings.denialAlarmThreshold) || settings.denialAlarmThreshold < 1) {
    problems.push(`denialAlarmThreshold must be a whole number of at least 1, got ${settings.denialAlarmThreshold}`);
  }
  if (settings.dockerfileProblem) problems.push(settings.dockerfileProblem);
  if (settings.quarantineRequestBusArn !== undefined && !settings.upstreams.some((u) => u.ecsService !== undefined)) {
    problems.push('quarantineRequestBus is set but no upstream has an ecsService; a quarantine request names the upstream\'s ECS service, so give ecsService to the upstreams to protect');
  }
  return problems;
}

function publicUrlProblems(settings: GatewaySettings): string[] {
  const { publicUrl, resource } = settings;
  if (Token.isUnresolved(publicUrl)) return [];
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    return [`publicUrl must be an absolute https URL, got '${publicUrl}'`];
  }
  const problems: string[] = [];
  if (url.protocol !== 'https:') problems.push(`publicUrl must use https (clients send bearer tokens to it), got '${publicUrl}'`);
  if (url.search !== '' || url.hash !== '') problems.push(`publicUrl is a canonical resource URI and must have no query or fragment, got '${publicUrl}'`);
  if (!Token.isUnresolved(resource) && resource !== publicUrl) {
    problems.push(`publicUrl '${publicUrl}' differs from the resource '${resource}' the authorization server binds tokens to; they must be the same canonical URI`);
  }
  return problems;
}

function upstreamProblems(upstreams: readonly GatewayUpstream[]): string[] {
  if (upstreams.length === 0) return ['upstreams must list at least one upstream MCP server'];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [index, upstream] of upstreams.entries()) {
    const where = `upstreams[${index}]`;
    if (!Token.isUnresolved(upstream.name)) {
      if (!UPSTREAM_NAME.test(upstream.name)) {
        problems.push(`${where}.name must be 1 to 31 lowercase letters, digits or '-', starting with a letter, got '${upstream.name}'`);
      }
      if (seen.has(upstream.name)) problems.push(`${where}.name '${upstream.name}' is used by an earlier upstream; names must be unique`);
      seen.add(upstream.name);
    }
    if (!Token.isUnresolved(upstream.url)) {
      if (upstream.transport === 'service-connect-tls') {
        if (!isServiceConnectUrl(upstream.url)) {
          problems.push(`${where}.url must be a Service Connect endpoint 'http://<alias>:<port><path>' (one DNS label, explicit port) with transport 'service-connect-tls', got '${upstream.url}'`);
        }
      } else if (!isHttpsUrl(upstream.url)) {
        problems.push(`${where}.url must be an https URL (the gateway sends upstreams bearer tokens), got '${upstream.url}'; `
          + 'an http URL is accepted only for a Service Connect TLS server, with transport \'service-connect-tls\'');
      }
    }
    if (upstream.audience !== undefined && !Token.isUnresolved(upstream.audience) && upstream.audience.trim() === '') {
      problems.push(`${where}.audience must not be empty`);
    }
    if (upstream.timeout && !upstream.timeout.isUnresolved()) {
      const ms = upstream.timeout.toMilliseconds();
      if (ms < UPSTREAM_TIMEOUT_MS.min || ms > UPSTREAM_TIMEOUT_MS.max) {
        problems.push(`${where}.timeout must be from 100 milliseconds to 10 minutes, got ${upstream.timeout.toHumanString()}`);
      }
    }
  }
  return problems;
}

function pinProblems(pins: GatewayToolPins, upstreams: readonly GatewayUpstream[]): string[] {
  const names = new Set(upstreams.map((upstream) => upstream.name));
  const problems: string[] = [];
  for (const [upstream, tools] of Object.entries(pins)) {
    if (!names.has(upstream)) problems.push(`toolPins names the upstream '${upstream}', which is not in upstreams`);
    for (const [tool, hashes] of Object.entries(tools)) {
      const list = [hashes].flat();
      if (list.length === 0 || list.some((hash) => !PIN.test(hash))) {
        problems.push(`toolPins.${upstream}.${tool} must be one or more 'sha256:' followed by 64 lowercase hex digits`);
      }
    }
  }
  return problems;
}

/**
 * `http://<alias>:<port>[<path>]`: a Service Connect client alias is one DNS label that only
 * the proxy in the gateway's task resolves. A dotted host name could resolve outside the mesh
 * and carry bearer tokens in plain text.
 */
function isServiceConnectUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' && /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(url.hostname) && url.port !== ''
      && url.username === '' && url.password === '' && url.search === '' && url.hash === '';
  } catch {
    return false;
  }
}

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}
