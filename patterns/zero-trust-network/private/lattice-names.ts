/** VPC Lattice's limit on service names. */
export const MAX_LATTICE_SERVICE_NAME = 40;

/** The VPC Lattice service name of an MCP server, unique per project in the account and region. */
export function latticeServiceName(projectName: string, serverName: string): string {
  return `${projectName}-${serverName}`;
}

/** The VPC Lattice service network name of the pattern. */
export function serviceNetworkName(projectName: string): string {
  return `${projectName}-zero-trust`;
}
