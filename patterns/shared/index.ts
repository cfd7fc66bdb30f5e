export * from './gateway-upstream-service';
export * from './lattice-client-access';
export * from './mcp-pattern-props';
export * from './mcp-pattern-stack';
export * from './mcp-platform';
export * from './mcp-server-spec';
