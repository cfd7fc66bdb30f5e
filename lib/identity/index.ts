export * from './authorization-server';
export * from './external-oidc-issuer';
export * from './mcp-client-options';
export * from './mcp-identity';
