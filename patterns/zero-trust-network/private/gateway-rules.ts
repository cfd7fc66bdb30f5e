import { GatewayAuthorizationRule, GatewayToolPins } from '../../../lib/gateway';
import { IMcpAuthorizationServer } from '../../../lib/identity';
import { McpServerSpec } from '../../shared/mcp-server-spec';

/** Each tool needs the scope of its group; destructive tools are flagged whatever they claim. */
export function authorizationRules(servers: readonly McpServerSpec[], authorizationServer: IMcpAuthorizationServer): GatewayAuthorizationRule[] {
  return servers.flatMap((server) => server.tools.map((tool) => ({
    kind: 'tool' as const,
    match: `${server.name}/${tool.name}`,
    groups: [tool.group],
    requiredScopes: [authorizationServer.toolGroupScopes[tool.group]],
    destructive: tool.destructive,
  })));
}

/** Approved tool-definition hashes from the server specs; unpinned tools stay quarantined. */
export function toolPins(servers: readonly McpServerSpec[]): GatewayToolPins {
  const pins: Record<string, Record<string, string>> = {};
  for (const server of servers) {
    for (const tool of server.tools) {
      if (tool.pin) (pins[server.name] ??= {})[tool.name] = tool.pin;
    }
  }
  return pins;
}
