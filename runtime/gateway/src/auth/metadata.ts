/** Inputs of the protected resource metadata document. */
export interface ProtectedResourceOptions {
  /** Canonical URI of the gateway (the token audience). */
  readonly resource: string;
  readonly authorizationServers: readonly string[];
  readonly scopesSupported: readonly string[];
  /** Documentation URL shown to humans. */
  readonly documentation?: string;
}

/** Path of the metadata for `resource` (RFC 9728 section 3.1: well-known prefix, then the path). */
export function metadataPath(resource: string): string {
  const path = new URL(resource).pathname.replace(/\/$/, '');
  return `/.well-known/oauth-protected-resource${path}`;
}

/** Absolute URL of the metadata, as advertised in `WWW-Authenticate`. */
export function metadataUrl(resource: string): string {
  return new URL(metadataPath(resource), resource).toString();
}

/** RFC 9728 OAuth 2.0 Protected Resource Metadata for the gateway. */
export function protectedResourceMetadata(options: ProtectedResourceOptions): Record<string, unknown> {
  return {
    resource: options.resource,
    authorization_servers: options.authorizationServers,
    scopes_supported: options.scopesSupported,
    bearer_methods_supported: ['header'],
    resource_name: 'MCP security gateway',
    ...(options.documentation !== undefined ? { resource_documentation: options.documentation } : {}),
  };
}
