import { SecretValue } from 'aws-cdk-lib';

/** The OpenID Connect identity provider that authenticates users for Verified Access. */
export interface VerifiedAccessOidcOptions {
  /** The issuer, an HTTPS URL, e.g. `https://login.example.com`. */
  readonly issuer: string;
  /** The authorization endpoint, an HTTPS URL. */
  readonly authorizationEndpoint: string;
  /** The token endpoint, an HTTPS URL. */
  readonly tokenEndpoint: string;
  /** The user info endpoint, an HTTPS URL; its claims are what policies see. */
  readonly userInfoEndpoint: string;
  /** The OAuth client id registered for Verified Access. */
  readonly clientId: string;
  /**
   * The client secret, read from Secrets Manager at deployment:
   * `SecretValue.secretsManager(arn, { jsonField })` or `secret.secretValueFromJson(field)`.
   * Any other kind of value is refused, because it would be written into the template.
   */
  readonly clientSecret: SecretValue;
  /**
   * Space-separated scopes requested; must include `openid`.
   * @default 'openid'
   */
  readonly scope?: string;
}
