export * from './cedar-policy-set';
export * from './mcp-policy-store';
