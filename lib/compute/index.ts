export * from './mcp-server-service';
export * from './secure-cluster';
export * from './mcp-server-service-constants';
