import { App, SecretValue } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ZeroTrustNetworkStack, ZeroTrustNetworkStackProps, ZeroTrustVerifiedAccessOptions } from '../../../patterns/zero-trust-network';
import { patternTestProps } from '../shared/fixtures';

/** A confidential OIDC client for Verified Access, its secret in Secrets Manager. */
export const VERIFIED_ACCESS: ZeroTrustVerifiedAccessOptions = {
  oidc: {
    issuer: 'https://login.example.com',
    authorizationEndpoint: 'https://login.example.com/oauth2/authorize',
    tokenEndpoint: 'https://login.example.com/oauth2/token',
    userInfoEndpoint: 'https://login.example.com/oauth2/userinfo',
    clientId: 'verified-access',
    clientSecret: SecretValue.secretsManager('arn:aws:secretsmanager:us-east-1:111111111111:secret:mcp/va-AbCdEf', { jsonField: 'client_secret' }),
  },
};

/** A zero-trust stack from the shared pattern test props, overridden by `props`. */
export function zeroTrustStack(props: Partial<ZeroTrustNetworkStackProps> = {}) {
  const app = new App();
  const stack = new ZeroTrustNetworkStack(app, 'ZeroTrust', { ...patternTestProps(app), ...props });
  return { app, stack, template: () => Template.fromStack(stack) };
}
