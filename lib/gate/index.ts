export * from './acknowledge';
export * from './mcp-checks';
export * from './mcp-rule';
export * from './rules';
export * from './security-gate';
