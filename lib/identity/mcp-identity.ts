import { Duration, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { IMcpAuthorizationServer, McpToolGroup } from './authorization-server';
import { ExternalOidcIssuer, ExternalOidcIssuerProps } from './external-oidc-issuer';
import { McpMachineClientOptions, McpPublicClientOptions } from './mcp-client-options';
import { McpClients } from './private/mcp-clients';
import { declarePrinciples } from '../core/controls';
import { resourceUriProblem, toolGroupProblems } from './private/oauth-validation';
import { createSmsRole } from './private/sms-role';

/** Cognito refuses domain prefixes containing these words. */
const RESERVED_DOMAIN_WORDS = ['aws', 'amazon', 'cognito'];
const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Properties of McpIdentity. */
export interface McpIdentityProps {
  /**
   * Canonical URI of the MCP gateway, e.g. `https://mcp.example.com/mcp`. Becomes the resource
   * server identifier, the scope prefix and the audience of access tokens (RFC 8707).
   */
  readonly resource: string;
  /** Tool groups; each gets the scope `<resource>/<name>`. At least one. */
  readonly toolGroups: McpToolGroup[];
  /**
   * Prefix of the Cognito domain `https://<prefix>.auth.<region>.amazoncognito.com` that serves
   * managed login and the OAuth endpoints. Lowercase letters, digits and hyphens; must not
   * contain 'aws', 'amazon' or 'cognito'.
   */
  readonly domainPrefix: string;
  /**
   * Pre-registered public clients, keyed by a stable name (letters and digits) that is also
   * the construct id: changing a key replaces the client and its client id.
   * @default - none; add them later with `addPublicClient`
   */
  readonly publicClients?: Record<string, McpPublicClientOptions>;
  /**
   * Confidential machine clients (client credentials grant), keyed like `publicClients`.
   * @default - none: the client credentials grant is not available
   */
  readonly machineClients?: Record<string, McpMachineClientOptions>;
  /**
   * Offer SMS as a second factor besides TOTP. SMS is open to SIM swapping and creates an
   * IAM role for Cognito to publish through SNS.
   * @default false
   */
  readonly allowSmsMfa?: boolean;
  /**
   * How Cognito sends invitation and recovery emails.
   * @default - Cognito's own sender (limited daily volume)
   */
  readonly email?: cognito.UserPoolEmail;
  /**
   * What happens to the user pool when the stack is deleted. Deletion protection stays on.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * An Amazon Cognito user pool as the OAuth 2.1 authorization server of MCP clients: MFA
 * required (TOTP), threat protection enforced (Plus plan), no self sign-up, strong passwords,
 * email-only recovery, deletion protection; a resource server whose identifier is the
 * gateway's canonical URI with one scope per tool group; a managed-login domain; and
 * pre-registered clients limited to the authorization code grant with PKCE and short-lived,
 * revocable, rotated tokens. Cognito has no dynamic client registration: see
 * docs/identity-client-registration.md.
 */
export class McpIdentity extends Construct implements IMcpAuthorizationServer {
  /** An external OpenID Connect issuer instead of Cognito; validates its URLs. */
  public static fromOidcIssuer(props: ExternalOidcIssuerProps): IMcpAuthorizationServer {
    return new ExternalOidcIssuer(props);
  }

  /** The user pool. */
  public readonly userPool: cognito.UserPool;
  /** Resource server named after the gateway's canonical URI, one scope per tool group. */
  public readonly resourceServer: cognito.UserPoolResourceServer;
  /** Cognito domain serving managed login and the OAuth 2.0 endpoints. */
  public readonly domain: cognito.UserPoolDomain;
  /** `https://cognito-idp.<region>.amazonaws.com/<user pool id>`. */
  public readonly issuer: string;
  /** `<issuer>/.well-known/jwks.json`. */
  public readonly jwksUri: string;
  /** `<issuer>/.well-known/openid-configuration`. */
  public readonly authorizationServerMetadataUrl: string;
  /** The gateway's canonical URI, as given in `resource`. */
  public readonly resource: string;
  /** Equal to `resource`: managed login binds access tokens to the requested resource. */
  public readonly audience: string;
  /** `<resource>/<group>` for each tool group. */
  public readonly toolGroupScopes: Readonly<Record<string, string>>;
  /** Cognito's discovery document omits `code_challenge_methods_supported`, although it supports S256. */
  public readonly metadataAdvertisesPkce = false;
  private readonly clients: McpClients;

  constructor(scope: Construct, id: string, props: McpIdentityProps) {
    super(scope, id);
    const allowSmsMfa = props.allowSmsMfa ?? false;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    const problems: string[] = [];
    const resourceProblem = resourceUriProblem(props.resource);
    if (resourceProblem) problems.push(`resource '${props.resource}' ${resourceProblem}`);
    problems.push(...toolGroupProblems(props.toolGroups, props.resource));
    if (!Token.isUnresolved(props.domainPrefix)) {
      if (!DOMAIN_PREFIX.test(props.domainPrefix)) {
        problems.push(`domainPrefix '${props.domainPrefix}' must be 1 to 63 lowercase letters, digits or inner hyphens`);
      }
      const reserved = RESERVED_DOMAIN_WORDS.filter((word) => props.domainPrefix.includes(word));
      if (reserved.length > 0) problems.push(`domainPrefix '${props.domainPrefix}' must not contain '${reserved.join("', '")}'`);
    }
    if (problems.length > 0) {
      throw new Error(`McpIdentity ${this.node.path}: invalid properties:\n  - ${problems.join('\n  - ')}`);
    }

    // Built here rather than by UserPool so that its policy is managed, not inline.
    const smsExternalId = Names.uniqueId(this);
    const smsRole = allowSmsMfa ? createSmsRole(this, smsExternalId) : undefined;

    this.userPool = new cognito.UserPool(this, 'Resource', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      // An unverified new address never replaces the verified one: no takeover by email change.
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: allowSmsMfa, email: false },
      smsRole,
      smsRoleExternalId: smsRole ? smsExternalId : undefined,
      enableSmsRole: allowSmsMfa,
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        passwordHistorySize: 24,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      email: props.email,
      removalPolicy,
    });

    this.resourceServer = this.userPool.addResourceServer('ResourceServer', {
      identifier: props.resource,
      userPoolResourceServerName: 'MCP gateway',
      scopes: props.toolGroups.map((group) => ({ scopeName: group.name, scopeDescription: group.description })),
    });

    // Managed login (not the classic hosted UI) is what binds access tokens to the RFC 8707
    // `resource` parameter (aud claim) on the Essentials and Plus plans.
    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
      managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });

    this.resource = props.resource;
    this.audience = props.resource;
    // The documented issuer form; the ProviderURL attribute is not documented to carry the scheme.
    this.issuer = `https://cognito-idp.${Stack.of(this).region}.${Stack.of(this).urlSuffix}/${this.userPool.userPoolId}`;
    this.jwksUri = `${this.issuer}/.well-known/jwks.json`;
    this.authorizationServerMetadataUrl = `${this.issuer}/.well-known/openid-configuration`;
    this.toolGroupScopes = Object.fromEntries(props.toolGroups.map((g) => [g.name, `${props.resource}/${g.name}`]));

    this.clients = new McpClients(this, 'Clients', {
      userPool: this.userPool,
      resourceServer: this.resourceServer,
      toolGroups: props.toolGroups,
    });
    this.clients.add(props.publicClients ?? {}, props.machineClients ?? {});

    declarePrinciples(this,
      'defense-in-depth/identity',
      'zero-trust/continuous-verification',
      'zero-trust/least-privilege',
      'zero-trust/just-in-time',
      'isolation/temporal',
      'secure-by-default/fail-secure',
    );
  }

  /** Register a public client (authorization code + PKCE); validates its redirect URIs. */
  public addPublicClient(key: string, options: McpPublicClientOptions): cognito.UserPoolClient {
    return this.clients.add({ [key]: options }, {})[0];
  }

  /** Register a confidential machine client (client credentials grant). */
  public addMachineClient(key: string, options: McpMachineClientOptions): cognito.UserPoolClient {
    return this.clients.add({}, { [key]: options })[0];
  }

  /** The app client registered under `key`. */
  public client(key: string): cognito.UserPoolClient {
    return this.clients.get(key);
  }
}
