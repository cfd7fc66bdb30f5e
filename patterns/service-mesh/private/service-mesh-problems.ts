import { McpServerSpec } from '../../shared/mcp-server-spec';
import { MESH_SERVER_ENV } from '../mesh-mcp-server';

/** The settings of a ServiceMeshStack that validation looks at, defaults applied. */
export interface ServiceMeshSettings {
  readonly servers: readonly McpServerSpec[];
  /** Name of the gateway in the mesh; no server may take it. */
  readonly gatewayMeshName: string;
}

const RESERVED_ENV = new Set<string>(Object.values(MESH_SERVER_ENV));

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
    const reserved = Object.keys(server.environment).filter((name) => RESERVED_ENV.has(name));
    if (reserved.length > 0) {
      problems.push(`servers[${index}].environment sets ${reserved.join(', ')}, which the pattern sets so that the server listens `
        + 'where the mesh sends traffic and accepts only the gateway\'s tokens for its own URL; remove them');
    }
  });
  return problems;
}
