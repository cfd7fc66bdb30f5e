export * from './mcp-web-acl';
export * from './secure-load-balancer';
