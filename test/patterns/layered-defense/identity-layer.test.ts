import { App, Stack } from 'aws-cdk-lib';
import { McpIdentity } from '../../../lib/identity';
import { EXTERNAL_MFA_METADATA_KEY, IdentityLayer } from '../../../patterns/layered-defense';
import { TEST_ENV } from '../shared/fixtures';

function externalIssuer() {
  return McpIdentity.fromOidcIssuer({
    issuer: 'https://login.example.com',
    jwksUri: 'https://login.example.com/jwks.json',
    resource: 'https://mcp.example.com/mcp',
    toolGroups: [{ name: 'notes-read', description: 'Read notes' }],
  });
}

describe('IdentityLayer', () => {
  test('with an external issuer declared to enforce MFA, says so in the template metadata', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Test', { env: TEST_ENV });
    // WHEN
    const layer = new IdentityLayer(stack, 'Layer2Identity', { authorizationServer: externalIssuer(), externalIssuerEnforcesMfa: true });
    // THEN
    expect(layer.mfaEnforcedBy).toBe('external-issuer');
    // (The stack's template Metadata section; the stack test checks it in a synthesized template.)
    expect(stack.templateOptions.metadata?.[EXTERNAL_MFA_METADATA_KEY]).toEqual({
      mfa: 'enforced by the external issuer https://login.example.com, as declared with externalIssuerEnforcesMfa',
    });
  });

  test('fails with an external issuer when MFA is not declared', () => {
    const stack = new Stack(new App(), 'Test', { env: TEST_ENV });
    expect(() => new IdentityLayer(stack, 'Layer2Identity', { authorizationServer: externalIssuer() }))
      .toThrow(/IdentityLayer Test\/Layer2Identity: externalIssuerEnforcesMfa is false for the external issuer 'https:\/\/login.example.com'/);
  });
});
