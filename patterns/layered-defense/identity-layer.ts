import { Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { declarePrinciples } from '../../lib/core/controls';
import { IMcpAuthorizationServer, McpIdentity } from '../../lib/identity';

/** Template metadata key recording who enforces MFA when the kit cannot. */
export const EXTERNAL_MFA_METADATA_KEY = 'McpKit::IdentityLayer';

/** Properties of the IdentityLayer. */
export interface IdentityLayerProps {
  /** The authorization server whose access tokens the gateway accepts. */
  readonly authorizationServer: IMcpAuthorizationServer;
  /**
   * The operator's statement that the external issuer requires MFA, which the kit cannot switch
   * on there. Required (true) with an external issuer; recorded in the template's metadata.
   * @default false - only a Cognito user pool of the kit is accepted
   */
  readonly externalIssuerEnforcesMfa?: boolean;
}

/**
 * Layer 2 of the seed's layered defense: who the caller is. With Cognito, the user pool
 * requires TOTP MFA for everyone, enforces threat protection (compromised credentials,
 * adaptive authentication), and issues access tokens bound to the gateway's URI that live
 * 5 to 60 minutes (15 by default) with rotated refresh tokens of at most 12 hours. The gateway
 * verifies every token on every request, and its adaptive risk score asks for step-up or ends
 * the session when a session behaves unlike its history.
 *
 * It owns no resource: the authorization server belongs to the platform and is named here.
 */
export class IdentityLayer extends Construct {
  /** The authorization server of MCP clients. */
  public readonly authorizationServer: IMcpAuthorizationServer;
  /** The Cognito user pool, when the kit runs the authorization server. */
  public readonly userPool?: cognito.IUserPool;
  /** Who enforces multi-factor authentication. */
  public readonly mfaEnforcedBy: 'cognito' | 'external-issuer';

  constructor(scope: Construct, id: string, props: IdentityLayerProps) {
    super(scope, id);
    this.authorizationServer = props.authorizationServer;
    if (props.authorizationServer instanceof McpIdentity) {
      this.userPool = props.authorizationServer.userPool;
      this.mfaEnforcedBy = 'cognito';
    } else {
      if (!(props.externalIssuerEnforcesMfa ?? false)) {
        throw new Error(`IdentityLayer ${this.node.path}: externalIssuerEnforcesMfa is false for the external issuer `
          + `'${props.authorizationServer.issuer}'; the kit cannot require MFA there, so set it to true once the issuer does`);
      }
      this.mfaEnforcedBy = 'external-issuer';
      // Visible to whoever reviews the template: this control rests on a statement, not on code.
      Stack.of(this).addMetadata(EXTERNAL_MFA_METADATA_KEY, {
        mfa: `enforced by the external issuer ${props.authorizationServer.issuer}, as declared with externalIssuerEnforcesMfa`,
      });
    }
    declarePrinciples(this, 'defense-in-depth/identity');
  }
}
