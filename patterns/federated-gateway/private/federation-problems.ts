import { Token } from 'aws-cdk-lib';
import { reservedEnvironmentProblems } from '../../shared/gateway-upstream-service';
import { McpServerSpec } from '../../shared/mcp-server-spec';
import { FederatedUpstreamEndpoint } from '../federated-upstream';

const SPOKE_NAME = /^[a-z][a-z0-9-]{0,23}$/;

/** Why the hub and its spokes must share a region, said once for every message that needs it. */
export const REGIONAL_REASON = 'VPC Lattice service networks are regional: a service can join only a network of its own region';

/** What a spoke stack is given, for validation. */
export interface SpokeSettings {
  readonly spokeName: string;
  readonly servers: readonly McpServerSpec[];
  readonly spokeAccount: string;
  readonly spokeRegion: string;
  readonly hubAccount: string;
  readonly hubRegion: string;
}

/** Problems of a spoke's properties, one sentence each naming the prop; empty when valid. */
export function spokeProblems(settings: SpokeSettings): string[] {
  const problems: string[] = [];
  if (!SPOKE_NAME.test(settings.spokeName)) {
    problems.push(`spokeName must be 1-24 lowercase letters, digits or '-', starting with a letter, got '${settings.spokeName}'`);
  }
  if (settings.servers.length === 0) {
    problems.push('servers must list at least one MCP server: a spoke without servers would pay for a VPC that serves nothing');
  }
  settings.servers.forEach((server, index) => {
    if (server.spoke !== undefined && server.spoke !== settings.spokeName) {
      problems.push(`servers[${index}] (${server.name}) belongs to spoke '${server.spoke}', not to '${settings.spokeName}'`);
    }
  });
  problems.push(...reservedEnvironmentProblems(settings.servers));
  const duplicates = duplicatesOf(settings.servers.map((s) => s.name));
  if (duplicates.length > 0) problems.push(`servers: names must be unique, got ${duplicates.map((d) => `'${d}'`).join(', ')} more than once`);
  if (resolved(settings.hubRegion) && resolved(settings.spokeRegion) && settings.hubRegion !== settings.spokeRegion) {
    problems.push(`hubEnv.region is '${settings.hubRegion}' but the spoke is in '${settings.spokeRegion}'; ${REGIONAL_REASON}`);
  }
  if (resolved(settings.hubAccount) && !resolved(settings.spokeAccount)) {
    problems.push(`env.account must be set when hubEnv.account is ('${settings.hubAccount}'): without it the spoke cannot tell whether the hub is in its own account`);
  }
  return problems;
}

/** Problems of the hub's endpoints against its servers; empty when valid. */
export function endpointProblems(servers: readonly McpServerSpec[], endpoints: readonly FederatedUpstreamEndpoint[], hubRegion: string): string[] {
  const problems: string[] = [];
  const names = new Set(servers.map((s) => s.name));
  for (const server of servers) {
    const count = endpoints.filter((e) => e.server === server.name).length;
    if (count !== 1) problems.push(`endpoints must give exactly one endpoint for server '${server.name}', got ${count}`);
  }
  endpoints.forEach((endpoint, index) => {
    const where = `endpoints[${index}]`;
    if (!names.has(endpoint.server)) {
      problems.push(`${where}.server is '${endpoint.server}', which is not one of servers (${[...names].join(', ')})`);
    }
    if (resolved(endpoint.url) && !/^https:\/\/[a-z0-9.-]+\/[\w/-]*$/.test(endpoint.url)) {
      problems.push(`${where}.url must be the https:// URL of a VPC Lattice service with the MCP path, got '${endpoint.url}'`);
    }
    if (resolved(endpoint.serviceArn)) {
      const arn = parseLatticeServiceArn(endpoint.serviceArn);
      if (!arn) {
        problems.push(`${where}.serviceArn must be a VPC Lattice service ARN (arn:aws:vpc-lattice:<region>:<account>:service/svc-…), got '${endpoint.serviceArn}'`);
      } else if (resolved(hubRegion) && arn.region !== hubRegion) {
        problems.push(`${where}.serviceArn is in '${arn.region}' but the hub is in '${hubRegion}'; ${REGIONAL_REASON}`);
      }
    }
  });
  return problems;
}

function parseLatticeServiceArn(value: string): { region: string } | undefined {
  if (!/^arn:aws[a-z-]*:vpc-lattice:[a-z0-9-]+:\d{12}:service\/svc-[0-9a-z]{17}$/.test(value)) return undefined;
  return { region: value.split(':')[3] };
}

function duplicatesOf(values: readonly string[]): string[] {
  return [...new Set(values.filter((value, index) => values.indexOf(value) !== index))];
}

function resolved(value: string | undefined): value is string {
  return value !== undefined && !Token.isUnresolved(value);
}
