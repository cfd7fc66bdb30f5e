import { Duration } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';

/** Token lifetimes the kit applies and the bounds it accepts. */
export const MCP_TOKEN_LIFETIMES = {
  /** Default validity of access and ID tokens. */
  defaultAccessToken: Duration.minutes(15),
  /** Longest access or ID token validity accepted. */
  maxAccessToken: Duration.minutes(60),
  /** Shortest access or ID token validity Cognito supports. */
  minAccessToken: Duration.minutes(5),
  /** Default validity of refresh tokens: one working day. */
  defaultRefreshToken: Duration.hours(8),
  /** Longest refresh token validity accepted. */
  maxRefreshToken: Duration.hours(12),
  /** Shortest refresh token validity Cognito supports. */
  minRefreshToken: Duration.minutes(60),
} as const;

/**
 * A pre-registered public MCP client (VS Code, Claude Desktop, MCP Inspector…): authorization
 * code grant with PKCE, no client secret, exact redirect URIs.
 */
export interface McpPublicClientOptions {
  /**
   * Exact redirect URIs the client uses: https, or http on the loopback interface
   * (127.0.0.1, [::1], localhost) with the port the client listens on. At least one.
   */
  readonly callbackUrls: string[];
  /**
   * Exact URIs the client may return to after signing out; same rules as `callbackUrls`.
   * @default - no sign-out redirect
   */
  readonly logoutUrls?: string[];
  /**
   * Tool groups the client may request scopes for.
   * @default - every tool group
   */
  readonly toolGroups?: string[];
  /**
   * OAuth grant types. Only the authorization code grant is accepted: the implicit grant is
   * removed by OAuth 2.1, and client credentials belong to `machineClients`.
   * @default { authorizationCodeGrant: true }
   */
  readonly flows?: cognito.OAuthFlows;
  /**
   * Validity of access tokens; 5 to 60 minutes.
   * @default Duration.minutes(15)
   */
  readonly accessTokenValidity?: Duration;
  /**
   * Validity of ID tokens; 5 to 60 minutes.
   * @default Duration.minutes(15)
   */
  readonly idTokenValidity?: Duration;
  /**
   * Validity of refresh tokens (rotated on every use); 60 minutes to 12 hours.
   * @default Duration.hours(8)
   */
  readonly refreshTokenValidity?: Duration;
}

/**
 * A confidential machine client (an agent or pipeline without a user): client credentials
 * grant with a generated client secret, access tokens only.
 */
export interface McpMachineClientOptions {
  /**
   * Tool groups the client may request scopes for. At least one; machine clients get no
   * default access.
   */
  readonly toolGroups: string[];
  /**
   * Validity of access tokens; 5 to 60 minutes.
   * @default Duration.minutes(15)
   */
  readonly accessTokenValidity?: Duration;
}
