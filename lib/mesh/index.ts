export * from './mcp-lattice-service';
export * from './mcp-service-network';
