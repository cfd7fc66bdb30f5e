export * from './mcp-server-service';
export * from './secure-cluster';
