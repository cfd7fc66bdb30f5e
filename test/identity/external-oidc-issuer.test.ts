import { McpIdentity } from '../../lib/identity';

const toolGroups = [{ name: 'read', description: 'Read-only tools' }];

describe('McpIdentity.fromOidcIssuer', () => {
  test('derives discovery URL, audience and scopes from issuer and resource', () => {
    // GIVEN / WHEN
    const server = McpIdentity.fromOidcIssuer({
      issuer: 'https://login.example.com/tenant',
      resource: 'https://mcp.example.com/mcp',
      toolGroups,
    });

    // THEN
    expect(server.authorizationServerMetadataUrl).toBe('https://login.example.com/tenant/.well-known/openid-configuration');
    expect(server.jwksUri).toBeUndefined();
    expect(server.audience).toBe('https://mcp.example.com/mcp');
    expect(server.toolGroupScopes).toEqual({ read: 'https://mcp.example.com/mcp/read' });
    expect(server.metadataAdvertisesPkce).toBe(true);
  });

  test('keeps explicit JWKS, metadata URL, audience and scope prefix', () => {
    const server = McpIdentity.fromOidcIssuer({
      issuer: 'https://idp.example.com',
      resource: 'https://mcp.example.com/mcp',
      toolGroups,
      jwksUri: 'https://idp.example.com/keys',
      authorizationServerMetadataUrl: 'https://idp.example.com/.well-known/oauth-authorization-server',
      audience: 'api://mcp',
      scopePrefix: 'mcp:',
    });
    expect(server.jwksUri).toBe('https://idp.example.com/keys');
    expect(server.authorizationServerMetadataUrl).toBe('https://idp.example.com/.well-known/oauth-authorization-server');
    expect(server.audience).toBe('api://mcp');
    expect(server.toolGroupScopes).toEqual({ read: 'mcp:read' });
  });

  test('fails with an http issuer, listing every bad URL', () => {
    expect(() => McpIdentity.fromOidcIssuer({
      issuer: 'http://idp.example.com',
      resource: 'https://mcp.example.com/mcp',
      toolGroups,
      jwksUri: 'http://idp.example.com/keys',
    })).toThrow(/issuer 'http:\/\/idp\.example\.com' must use https[\s\S]*jwksUri 'http:\/\/idp\.example\.com\/keys' must use https/);
  });

  test('fails with an issuer carrying a query, or a resource with a fragment', () => {
    expect(() => McpIdentity.fromOidcIssuer({
      issuer: 'https://idp.example.com/?tenant=1',
      resource: 'https://mcp.example.com/mcp#x',
      toolGroups,
    })).toThrow(/issuer '.*' must not contain a query[\s\S]*resource '.*' must not contain a fragment/);
  });

  test('fails without tool groups', () => {
    expect(() => McpIdentity.fromOidcIssuer({ issuer: 'https://idp.example.com', resource: 'https://mcp.example.com/mcp', toolGroups: [] }))
      .toThrow(/toolGroups must contain at least one tool group/);
  });
});
