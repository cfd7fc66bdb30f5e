/** Name of an MCP server's container port mapping (used by Service Connect and VPC Lattice). */
export const MCP_PORT_NAME = 'mcp';
