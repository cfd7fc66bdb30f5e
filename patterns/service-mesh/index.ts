export * from './mesh-mcp-server';
export * from './mesh-observability';
export * from './service-mesh-stack';
