import { reservedEnvironmentProblems } from '../../shared/gateway-upstream-service';
import { McpServerSpec } from '../../shared/mcp-server-spec';

/** The settings of a ServiceMeshStack that validation looks at, defaults applied. */
export interface ServiceMeshSettings {
  readonly servers: readonly McpServerSpec[];
  /** Name of the gateway in the mesh; no server may take it. */
  readonly gatewayMeshName: string;
}

/** Every problem with `settings`, one string each naming the prop, the value and what is allowed. */
export function serviceMeshProblems(settings: ServiceMeshSettings): string[] {
  const problems: string[] = [];
  if (settings.servers.length === 0) {
    problems.push('servers must list at least one MCP server: the mesh exists to carry the gateway\'s calls to them');
  }
  settings.servers.forEach((server, index) => {
    if (server.name === settings.gatewayMeshName) {
      problems.push(`servers[${index}].name '${server.name}' is the gateway's name in the mesh; give the server another name`);
    }
  });
  problems.push(...reservedEnvironmentProblems(settings.servers));
  return problems;
}
