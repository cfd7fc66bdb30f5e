export * from './gateway-config';
export * from './mcp-security-gateway';
