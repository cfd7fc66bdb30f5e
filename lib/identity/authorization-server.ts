/** A group of MCP tools that share one OAuth scope. */
export interface McpToolGroup {
  /**
   * Group name; becomes the last segment of the scope (`<resource>/<name>`).
   * Lowercase letters, digits and hyphens, starting with a letter, at most 63 characters.
   */
  readonly name: string;
  /** What the scope allows, shown to users on consent screens; 1 to 256 characters. */
  readonly description: string;
}

/**
 * The OAuth 2.1 authorization server that issues the access tokens the MCP gateway accepts.
 * Implemented by `McpIdentity` (an Amazon Cognito user pool) and by
 * `McpIdentity.fromOidcIssuer(...)` (any external OpenID Connect issuer). The gateway publishes
 * `issuer` in its Protected Resource Metadata (RFC 9728) and verifies every token against
 * `issuer`, `jwksUri` and `audience`.
 */
export interface IMcpAuthorizationServer {
  /** Issuer identifier: the exact `iss` claim of accepted tokens. An https URL. */
  readonly issuer: string;
  /**
   * JSON Web Key Set the token signatures are verified with.
   * Undefined when the gateway must read `jwks_uri` from the metadata document.
   */
  readonly jwksUri?: string;
  /** RFC 8414 or OpenID Connect discovery document of the issuer. An https URL. */
  readonly authorizationServerMetadataUrl: string;
  /**
   * Canonical URI of the MCP gateway (RFC 8707 resource indicator, MCP "canonical server URI").
   * Clients send it as `resource`; tokens are bound to it.
   */
  readonly resource: string;
  /** The `aud` value an access token must carry to be accepted. */
  readonly audience: string;
  /** Scope that grants each tool group, keyed by tool group name. */
  readonly toolGroupScopes: Readonly<Record<string, string>>;
  /**
   * Whether the issuer's metadata lists `S256` in `code_challenge_methods_supported`.
   * MCP clients refuse to start an authorization when it does not; the gateway must then
   * serve metadata that does (see docs/identity-client-registration.md).
   */
  readonly metadataAdvertisesPkce: boolean;
}
