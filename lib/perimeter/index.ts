export * from './mcp-web-acl';
