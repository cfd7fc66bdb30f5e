import { IMcpAuthorizationServer, McpToolGroup } from './authorization-server';
import { httpsUrlProblem, resourceUriProblem, toolGroupProblems } from './private/oauth-validation';

/** Properties of an external OpenID Connect issuer used instead of Amazon Cognito. */
export interface ExternalOidcIssuerProps {
  /** Issuer identifier, exactly as in the `iss` claim. An https URL without query or fragment. */
  readonly issuer: string;
  /** Canonical URI of the MCP gateway; clients send it as the RFC 8707 `resource`. */
  readonly resource: string;
  /** Tool groups; each is granted by the scope `<scopePrefix><name>`. */
  readonly toolGroups: readonly McpToolGroup[];
  /**
   * JSON Web Key Set of the issuer. An https URL.
   * @default - the gateway reads `jwks_uri` from the metadata document
   */
  readonly jwksUri?: string;
  /**
   * Metadata document of the issuer. An https URL.
   * @default - `<issuer>/.well-known/openid-configuration` (OpenID Connect discovery)
   */
  readonly authorizationServerMetadataUrl?: string;
  /**
   * The `aud` claim the issuer puts in access tokens for the gateway.
   * @default - the `resource` (the issuer binds tokens to the RFC 8707 resource indicator)
   */
  readonly audience?: string;
  /**
   * Prefix of the tool-group scopes.
   * @default - `<resource>/`
   */
  readonly scopePrefix?: string;
  /**
   * Whether the issuer's metadata lists `S256` in `code_challenge_methods_supported`.
   * @default true
   */
  readonly metadataAdvertisesPkce?: boolean;
}

/**
 * An external OpenID Connect issuer (Okta, Entra ID, Auth0, Keycloak…) as the gateway's
 * authorization server; use one that supports dynamic client registration or Client ID
 * Metadata Documents when MCP clients must register themselves. Creates no AWS resources.
 * Obtain it with `McpIdentity.fromOidcIssuer(...)`.
 */
export class ExternalOidcIssuer implements IMcpAuthorizationServer {
  public readonly issuer: string;
  public readonly jwksUri?: string;
  public readonly authorizationServerMetadataUrl: string;
  public readonly resource: string;
  public readonly audience: string;
  public readonly toolGroupScopes: Readonly<Record<string, string>>;
  public readonly metadataAdvertisesPkce: boolean;

  constructor(props: ExternalOidcIssuerProps) {
    const issuer = props.issuer.replace(/\/+$/, '');
    const metadataUrl = props.authorizationServerMetadataUrl ?? `${issuer}/.well-known/openid-configuration`;
    const scopePrefix = props.scopePrefix ?? `${props.resource}/`;

    const problems: string[] = [];
    const check = (prop: string, value: string, problem: string | undefined) => {
      if (problem) problems.push(`${prop} '${value}' ${problem}`);
    };
    check('issuer', props.issuer, httpsUrlProblem(props.issuer));
    check('resource', props.resource, resourceUriProblem(props.resource));
    check('authorizationServerMetadataUrl', metadataUrl, httpsUrlProblem(metadataUrl, { allowQuery: true }));
    if (props.jwksUri !== undefined) check('jwksUri', props.jwksUri, httpsUrlProblem(props.jwksUri, { allowQuery: true }));
    if (props.audience !== undefined && props.audience.trim() === '') problems.push('audience must not be empty');
    problems.push(...toolGroupProblems(props.toolGroups, props.resource));
    if (problems.length > 0) {
      throw new Error(`McpIdentity.fromOidcIssuer: invalid properties:\n  - ${problems.join('\n  - ')}`);
    }

    this.issuer = props.issuer;
    this.jwksUri = props.jwksUri;
    this.authorizationServerMetadataUrl = metadataUrl;
    this.resource = props.resource;
    this.audience = props.audience ?? props.resource;
    this.toolGroupScopes = Object.fromEntries(props.toolGroups.map((g) => [g.name, `${scopePrefix}${g.name}`]));
    this.metadataAdvertisesPkce = props.metadataAdvertisesPkce ?? true;
  }
}
