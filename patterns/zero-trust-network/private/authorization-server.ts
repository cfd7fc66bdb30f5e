import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { IMcpAuthorizationServer, McpIdentity } from '../../../lib/identity';
import { McpIdentitySpec } from '../../shared/mcp-pattern-props';
import { McpServerSpec } from '../../shared/mcp-server-spec';

/**
 * The authorization server of MCP clients: a Cognito user pool with one pre-registered public
 * client per spec entry, or an external OpenID Connect issuer. Access and ID tokens share the
 * configured validity.
 */
export function createAuthorizationServer(
  scope: Construct,
  identity: McpIdentitySpec,
  resource: string,
  servers: readonly McpServerSpec[],
): IMcpAuthorizationServer {
  const toolGroups = [...new Map(servers.flatMap((s) => s.toolGroups).map((g) => [g.name, g])).values()];
  if (identity.kind === 'oidc') {
    return McpIdentity.fromOidcIssuer({ issuer: identity.issuer, jwksUri: identity.jwksUri, resource, toolGroups });
  }
  return new McpIdentity(scope, 'Identity', {
    resource,
    toolGroups,
    domainPrefix: identity.domainPrefix,
    publicClients: Object.fromEntries(identity.clients.map((client) => [clientKey(client.name), {
      callbackUrls: [...client.callbackUrls],
      accessTokenValidity: identity.accessTokenValidity,
      idTokenValidity: identity.accessTokenValidity,
      refreshTokenValidity: identity.refreshTokenValidity,
    }])),
  });
}

/**
 * The hosts the gateway must reach to validate access tokens, for the egress allow-list.
 * Cognito serves a user pool's keys from `cognito-idp.<region>.<suffix>`; Cognito's PrivateLink
 * endpoint does not serve user pools that have a domain, and the MCP pool has one (managed
 * login), so the keys can only be fetched over the internet. An external issuer's keys are on
 * the hosts of its issuer and JWKS URLs.
 */
export function authorizationServerHosts(scope: Construct, identity: McpIdentitySpec): string[] {
  if (identity.kind === 'cognito') {
    const stack = Stack.of(scope);
    return [`cognito-idp.${stack.region}.${stack.urlSuffix}`];
  }
  const urls = [identity.issuer, ...(identity.jwksUri ? [identity.jwksUri] : [])];
  return [...new Set(urls.map((url) => new URL(url).hostname.toLowerCase()))];
}

/** Client names are DNS-label style; McpIdentity keys are letters and digits. */
function clientKey(name: string): string {
  return name.split('-').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}
