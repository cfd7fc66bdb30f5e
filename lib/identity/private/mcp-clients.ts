import { Duration } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { McpToolGroup } from '../authorization-server';
import { MCP_TOKEN_LIFETIMES as LIFETIMES, McpMachineClientOptions, McpPublicClientOptions } from '../mcp-client-options';
import { durationProblem, redirectUriProblem } from './oauth-validation';

const CLIENT_KEY = /^[A-Za-z][A-Za-z0-9]{0,63}$/;

/**
 * Refresh tokens are rotated on every use (OAuth 2.1 §4.3.1 for public clients). The grace
 * period lets a client that refreshes twice concurrently keep working for a few seconds.
 */
const REFRESH_ROTATION_GRACE = Duration.seconds(10);

/** Properties of McpClients. */
export interface McpClientsProps {
  readonly userPool: cognito.IUserPool;
  readonly resourceServer: cognito.IUserPoolResourceServer;
  readonly toolGroups: readonly McpToolGroup[];
}

/** The app clients of an McpIdentity: validates every registration, then creates it. */
export class McpClients extends Construct {
  private readonly registered = new Map<string, cognito.UserPoolClient>();
  private readonly scopes: Map<string, cognito.OAuthScope>;

  constructor(scope: Construct, id: string, private readonly props: McpClientsProps) {
    super(scope, id);
    this.scopes = new Map(props.toolGroups.map((group) => [group.name, cognito.OAuthScope.resourceServer(
      props.resourceServer,
      new cognito.ResourceServerScope({ scopeName: group.name, scopeDescription: group.description }),
    )]));
  }

  /** Validate all registrations, throw once listing every problem, then create the clients. */
  public add(
    publicClients: Record<string, McpPublicClientOptions>,
    machineClients: Record<string, McpMachineClientOptions>,
  ): cognito.UserPoolClient[] {
    const problems = [
      ...this.keyProblems([...Object.keys(publicClients), ...Object.keys(machineClients)]),
      ...Object.entries(publicClients).flatMap(([key, options]) => this.publicProblems(key, options)),
      ...Object.entries(machineClients).flatMap(([key, options]) => this.machineProblems(key, options)),
    ];
    if (problems.length > 0) {
      throw new Error(`McpIdentity ${this.node.scope?.node.path}: invalid client registrations:\n  - ${problems.join('\n  - ')}`);
    }
    return [
      ...Object.entries(publicClients).map(([key, options]) => this.createPublic(key, options)),
      ...Object.entries(machineClients).map(([key, options]) => this.createMachine(key, options)),
    ];
  }

  /** The client registered under `key`. */
  public get(key: string): cognito.UserPoolClient {
    const client = this.registered.get(key);
    if (!client) throw new Error(`McpIdentity: no client registered under '${key}'`);
    return client;
  }

  private keyProblems(keys: string[]): string[] {
    const problems: string[] = [];
    keys.forEach((key, index) => {
      if (!CLIENT_KEY.test(key)) problems.push(`client key '${key}' must be letters and digits, starting with a letter, at most 64 characters`);
      if (this.registered.has(key) || keys.indexOf(key) !== index) problems.push(`client key '${key}' is registered twice`);
    });
    return problems;
  }

  private toolGroupProblems(key: string, groups: string[]): string[] {
    if (groups.length === 0) return [`clients.${key}.toolGroups must name at least one tool group`];
    return groups.filter((group) => !this.scopes.has(group))
      .map((group) => `clients.${key}.toolGroups: '${group}' is not a declared tool group (${[...this.scopes.keys()].join(', ')})`);
  }

  private publicProblems(key: string, options: McpPublicClientOptions): string[] {
    const prefix = `clients.${key}`;
    const problems: string[] = [];
    const flows = options.flows ?? { authorizationCodeGrant: true };
    if (flows.implicitCodeGrant) problems.push(`${prefix}.flows.implicitCodeGrant is refused: OAuth 2.1 removed the implicit grant; use the authorization code grant with PKCE`);
    if (flows.clientCredentials) problems.push(`${prefix}.flows.clientCredentials is refused for a public client; register a machine client (machineClients) instead`);
    if (!flows.authorizationCodeGrant) problems.push(`${prefix}.flows.authorizationCodeGrant must be true`);
    if (options.callbackUrls.length === 0) problems.push(`${prefix}.callbackUrls must contain at least one redirect URI`);
    for (const [prop, uris] of [['callbackUrls', options.callbackUrls], ['logoutUrls', options.logoutUrls ?? []]] as const) {
      for (const uri of uris) {
        const problem = redirectUriProblem(uri);
        if (problem) problems.push(`${prefix}.${prop}: '${uri}' ${problem}`);
      }
    }
    if (options.toolGroups) problems.push(...this.toolGroupProblems(key, options.toolGroups));
    problems.push(...[
      durationProblem(`${prefix}.accessTokenValidity`, options.accessTokenValidity ?? LIFETIMES.defaultAccessToken, LIFETIMES.minAccessToken, LIFETIMES.maxAccessToken),
      durationProblem(`${prefix}.idTokenValidity`, options.idTokenValidity ?? LIFETIMES.defaultAccessToken, LIFETIMES.minAccessToken, LIFETIMES.maxAccessToken),
      durationProblem(`${prefix}.refreshTokenValidity`, options.refreshTokenValidity ?? LIFETIMES.defaultRefreshToken, LIFETIMES.minRefreshToken, LIFETIMES.maxRefreshToken),
    ].filter((p): p is string => p !== undefined));
    return problems;
  }

  private machineProblems(key: string, options: McpMachineClientOptions): string[] {
    const problem = durationProblem(`clients.${key}.accessTokenValidity`,
      options.accessTokenValidity ?? LIFETIMES.defaultAccessToken, LIFETIMES.minAccessToken, LIFETIMES.maxAccessToken);
    return [...this.toolGroupProblems(key, options.toolGroups), ...(problem ? [problem] : [])];
  }

  private scopesFor(groups: readonly string[]): cognito.OAuthScope[] {
    return groups.map((group) => this.scopes.get(group)!);
  }

  private createPublic(key: string, options: McpPublicClientOptions): cognito.UserPoolClient {
    const scope = new Construct(this, key);
    const client = new cognito.UserPoolClient(scope, 'Resource', {
      userPool: this.props.userPool,
      userPoolClientName: key,
      generateSecret: false,
      // SRP only: no plaintext-password or custom flows that would bypass managed login.
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        callbackUrls: options.callbackUrls,
        logoutUrls: options.logoutUrls,
        scopes: [cognito.OAuthScope.OPENID, ...this.scopesFor(options.toolGroups ?? [...this.scopes.keys()])],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: options.accessTokenValidity ?? LIFETIMES.defaultAccessToken,
      idTokenValidity: options.idTokenValidity ?? LIFETIMES.defaultAccessToken,
      refreshTokenValidity: options.refreshTokenValidity ?? LIFETIMES.defaultRefreshToken,
      refreshTokenRotationGracePeriod: REFRESH_ROTATION_GRACE,
    });
    // Managed login serves a client only once a style is assigned to it.
    new cognito.CfnManagedLoginBranding(scope, 'ManagedLoginBranding', {
      userPoolId: this.props.userPool.userPoolId,
      clientId: client.userPoolClientId,
      useCognitoProvidedValues: true,
    });
    this.registered.set(key, client);
    return client;
  }

  private createMachine(key: string, options: McpMachineClientOptions): cognito.UserPoolClient {
    const client = new cognito.UserPoolClient(new Construct(this, key), 'Resource', {
      userPool: this.props.userPool,
      userPoolClientName: key,
      generateSecret: true,
      authFlows: { userSrp: false },
      oAuth: { flows: { clientCredentials: true }, scopes: this.scopesFor(options.toolGroups) },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: options.accessTokenValidity ?? LIFETIMES.defaultAccessToken,
    });
    this.registered.set(key, client);
    return client;
  }
}
