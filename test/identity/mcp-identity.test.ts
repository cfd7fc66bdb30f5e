import { App, CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { declaredPrinciples } from '../../lib/core';
import { McpIdentity, McpIdentityProps } from '../../lib/identity';
import { expectControlTowerClean } from '../support/cfn-guard';
import { expectGateClean } from '../support/gate';

const RESOURCE = 'https://mcp.example.com/mcp';

function newStack(): Stack {
  return new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-east-1' } });
}

function identity(stack: Stack, overrides: Partial<McpIdentityProps> = {}): McpIdentity {
  return new McpIdentity(stack, 'Identity', {
    resource: RESOURCE,
    toolGroups: [
      { name: 'read', description: 'Read-only tools' },
      { name: 'write', description: 'Tools that change data' },
    ],
    domainPrefix: 'example-mcp',
    publicClients: { VsCode: { callbackUrls: ['http://127.0.0.1:33418/', 'https://vscode.dev/redirect'] } },
    ...overrides,
  });
}

/** The scope string as Cognito sees it: the resource server's Ref joined with the group. */
function scope(group: string) {
  return { 'Fn::Join': ['', [{ Ref: Match.stringLikeRegexp('IdentityResourceServer') }, `/${group}`]] };
}

describe('McpIdentity user pool', () => {
  // proves: defense-in-depth/identity, zero-trust/continuous-verification
  test('requires TOTP MFA and offers no SMS by default', () => {
    // GIVEN / WHEN
    const stack = newStack();
    identity(stack);

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      SmsConfiguration: Match.absent(),
    });
    template.resourceCountIs('AWS::IAM::Role', 0);
  });

  // proves: defense-in-depth/identity, defense-in-depth/monitoring
  test('enforces threat protection on the Plus plan', () => {
    const stack = newStack();
    identity(stack);
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
  });

  test('allows no self sign-up, recovers by verified email only and is protected from deletion', () => {
    const stack = newStack();
    identity(stack);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
      DeletionProtection: 'ACTIVE',
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
    });
    template.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('requires long passwords of every character class and remembers 24 of them', () => {
    const stack = newStack();
    identity(stack);
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', {
      Policies: {
        PasswordPolicy: {
          MinimumLength: 14,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
          PasswordHistorySize: 24,
          TemporaryPasswordValidityDays: 3,
        },
      },
    });
  });

  test('offers SMS only when asked, through a role with a managed policy that denies topics', () => {
    const stack = newStack();
    identity(stack, { allowSmsMfa: true });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      EnabledMfas: ['SMS_MFA', 'SOFTWARE_TOKEN_MFA'],
      SmsConfiguration: { ExternalId: Match.anyValue(), SnsCallerArn: Match.anyValue() },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({
          Principal: { Service: 'cognito-idp.amazonaws.com' },
          Condition: { StringEquals: { 'sts:ExternalId': Match.anyValue(), 'aws:SourceAccount': '111111111111' } },
        })],
      },
      Policies: Match.absent(),
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish' })]) },
    });
  });
});

describe('McpIdentity resource server and domain', () => {
  test('names the resource server after the canonical URI with one scope per tool group', () => {
    const stack = newStack();
    identity(stack);
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: RESOURCE,
      Scopes: [
        { ScopeName: 'read', ScopeDescription: 'Read-only tools' },
        { ScopeName: 'write', ScopeDescription: 'Tools that change data' },
      ],
    });
  });

  test('serves managed login on the Cognito domain with the given prefix', () => {
    const stack = newStack();
    identity(stack);
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: 'example-mcp',
      ManagedLoginVersion: 2,
    });
  });

  test('exposes issuer, JWKS, metadata, audience and scopes for the gateway', () => {
    const stack = newStack();
    const id = identity(stack);
    const poolRef = { Ref: stack.getLogicalId(id.userPool.node.defaultChild as CfnElement) };
    const issuerParts = ['https://cognito-idp.us-east-1.', { Ref: 'AWS::URLSuffix' }, '/', poolRef];
    expect(stack.resolve(id.issuer)).toEqual({ 'Fn::Join': ['', issuerParts] });
    expect(stack.resolve(id.jwksUri)).toEqual({ 'Fn::Join': ['', [...issuerParts, '/.well-known/jwks.json']] });
    expect(stack.resolve(id.authorizationServerMetadataUrl))
      .toEqual({ 'Fn::Join': ['', [...issuerParts, '/.well-known/openid-configuration']] });
    expect(id.audience).toBe(RESOURCE);
    expect(id.toolGroupScopes).toEqual({ read: `${RESOURCE}/read`, write: `${RESOURCE}/write` });
    expect(id.metadataAdvertisesPkce).toBe(false);
  });
});

describe('McpIdentity public clients', () => {
  // proves: defense-in-depth/identity
  test('allow only the authorization code grant, without secret, with exact redirect URIs', () => {
    const stack = newStack();
    identity(stack);
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'VsCode',
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      GenerateSecret: false,
      CallbackURLs: ['http://127.0.0.1:33418/', 'https://vscode.dev/redirect'],
      AllowedOAuthScopes: ['openid', scope('read'), scope('write')],
      SupportedIdentityProviders: ['COGNITO'],
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'],
    });
  });

  test('hide user existence, allow revocation and rotate refresh tokens', () => {
    const stack = newStack();
    identity(stack);
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPoolClient', {
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 10 },
    });
  });

  // proves: zero-trust/just-in-time, isolation/temporal
  test('issue 15-minute access and ID tokens and 8-hour refresh tokens by default', () => {
    const stack = newStack();
    identity(stack);
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AccessTokenValidity: 15,
      IdTokenValidity: 15,
      RefreshTokenValidity: 480,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
    });
  });

  // proves: zero-trust/least-privilege
  test('are limited to the tool groups they name', () => {
    const stack = newStack();
    identity(stack, { publicClients: { Inspector: { callbackUrls: ['http://localhost:6274/oauth/callback'], toolGroups: ['read'] } } });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'Inspector',
      AllowedOAuthScopes: ['openid', scope('read')],
    });
  });

  test('each get a managed login style', () => {
    const stack = newStack();
    identity(stack);
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::ManagedLoginBranding', {
      ClientId: { Ref: Match.stringLikeRegexp('IdentityClientsVsCode') },
      UseCognitoProvidedValues: true,
    });
  });

  test('can be added after construction and looked up by key', () => {
    const stack = newStack();
    const id = identity(stack, { publicClients: {} });
    const added = id.addPublicClient('Claude', { callbackUrls: ['https://claude.ai/api/mcp/auth_callback'] });
    expect(id.client('Claude')).toBe(added);
    Template.fromStack(stack).resourceCountIs('AWS::Cognito::UserPoolClient', 1);
  });
});

describe('McpIdentity machine clients', () => {
  test('are absent unless declared: no client credentials grant by default', () => {
    const stack = newStack();
    identity(stack);
    Template.fromStack(stack).resourcePropertiesCountIs('AWS::Cognito::UserPoolClient',
      { AllowedOAuthFlows: ['client_credentials'] }, 0);
  });

  test('use the client credentials grant with a secret and only their tool groups', () => {
    const stack = newStack();
    identity(stack, { machineClients: { Pipeline: { toolGroups: ['read'] } } });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'Pipeline',
      AllowedOAuthFlows: ['client_credentials'],
      GenerateSecret: true,
      AllowedOAuthScopes: [scope('read')],
      AccessTokenValidity: 15,
      EnableTokenRevocation: true,
    });
  });
});

describe('McpIdentity validation', () => {
  test('accepts https, and http on 127.0.0.1, [::1] and localhost', () => {
    expect(() => identity(newStack(), {
      publicClients: {
        Native: { callbackUrls: ['http://127.0.0.1:33418', 'http://[::1]:8080/cb', 'http://localhost:6274/oauth/callback', 'https://claude.ai/api/mcp/auth_callback'] },
      },
    })).not.toThrow();
  });

  test('fails with a non-https, non-loopback callback URL', () => {
    expect(() => identity(newStack(), { publicClients: { Web: { callbackUrls: ['http://app.example.com/callback'] } } }))
      .toThrow(/clients\.Web\.callbackUrls: 'http:\/\/app\.example\.com\/callback' may use http only on the loopback interface/);
  });

  test('fails with a custom-scheme, wildcard or fragment callback URL, listing every problem', () => {
    expect(() => identity(newStack(), {
      publicClients: { Bad: { callbackUrls: ['cursor://anysphere.cursor-mcp/oauth/callback', 'https://*.example.com/cb', 'https://a.example.com/cb#x'] } },
    })).toThrow(/scheme 'cursor:'[\s\S]*wildcard[\s\S]*fragment/);
  });

  test('fails when the implicit grant is requested', () => {
    expect(() => identity(newStack(), {
      publicClients: { Spa: { callbackUrls: ['https://app.example.com/cb'], flows: { authorizationCodeGrant: true, implicitCodeGrant: true } } },
    })).toThrow(/clients\.Spa\.flows\.implicitCodeGrant is refused: OAuth 2\.1 removed the implicit grant/);
  });

  test('fails when a public client asks for client credentials', () => {
    expect(() => identity(newStack(), {
      publicClients: { Spa: { callbackUrls: ['https://app.example.com/cb'], flows: { clientCredentials: true } } },
    })).toThrow(/flows\.clientCredentials is refused for a public client[\s\S]*authorizationCodeGrant must be true/);
  });

  // proves: zero-trust/just-in-time, isolation/temporal
  test('fails when token lifetimes exceed the bounds', () => {
    expect(() => identity(newStack(), {
      publicClients: {
        Long: {
          callbackUrls: ['https://app.example.com/cb'],
          accessTokenValidity: Duration.hours(2),
          refreshTokenValidity: Duration.days(30),
        },
      },
    })).toThrow(/accessTokenValidity must be between 5 minutes and 1 hour, got 2 hours[\s\S]*refreshTokenValidity must be between 1 hour and 12 hours, got 30 days/);
  });

  test('fails when a machine client names no or unknown tool groups', () => {
    expect(() => identity(newStack(), { machineClients: { Bot: { toolGroups: [] }, Job: { toolGroups: ['admin'] } } }))
      .toThrow(/clients\.Bot\.toolGroups must name at least one tool group[\s\S]*'admin' is not a declared tool group/);
  });

  test('fails when the resource is not a canonical https URI', () => {
    expect(() => identity(newStack(), { resource: 'http://MCP.example.com/mcp?x=1' }))
      .toThrow(/resource 'http:\/\/MCP\.example\.com\/mcp\?x=1' must use https/);
    expect(() => identity(newStack(), { resource: 'https://MCP.example.com/mcp' }))
      .toThrow(/must use a lowercase scheme and host/);
  });

  test('fails with invalid or duplicate tool group names', () => {
    expect(() => identity(newStack(), {
      toolGroups: [{ name: 'Read Tools', description: 'x' }, { name: 'ok', description: 'x' }, { name: 'ok', description: '' }],
    })).toThrow(/name 'Read Tools' must be lowercase[\s\S]*'ok' is declared twice[\s\S]*description of 'ok' must be 1 to 256 characters/);
  });

  test('fails with a domain prefix Cognito would refuse', () => {
    expect(() => identity(newStack(), { domainPrefix: 'my-cognito-login' }))
      .toThrow(/domainPrefix 'my-cognito-login' must not contain 'cognito'/);
    expect(() => identity(newStack(), { domainPrefix: 'Bad_Prefix' }))
      .toThrow(/domainPrefix 'Bad_Prefix' must be 1 to 63 lowercase letters/);
  });

  test('fails with a client key that is not a safe construct id, or registered twice', () => {
    const stack = newStack();
    const id = identity(stack);
    expect(() => id.addPublicClient('VsCode', { callbackUrls: ['https://vscode.dev/redirect'] }))
      .toThrow(/client key 'VsCode' is registered twice/);
    expect(() => id.addMachineClient('my/bot', { toolGroups: ['read'] }))
      .toThrow(/client key 'my\/bot' must be letters and digits/);
  });
});

describe('McpIdentity gate', () => {
  test('defaults pass the gate', () => {
    const stack = newStack();
    identity(stack);
    expectGateClean(stack);
  });

  test('defaults, SMS MFA and a machine client pass the Control Tower proactive controls', () => {
    const stack = newStack();
    identity(stack, { allowSmsMfa: true, machineClients: { Pipeline: { toolGroups: ['read'] } } });
    expectControlTowerClean(stack);
  });

  test('SMS MFA and a machine client pass the gate', () => {
    const stack = newStack();
    identity(stack, { allowSmsMfa: true, machineClients: { Pipeline: { toolGroups: ['read'] } } });
    expectGateClean(stack);
  });
});

describe('McpIdentity principles', () => {
  test('declares the identity layer, continuous verification and short-lived access', () => {
    const id = identity(newStack());
    expect(declaredPrinciples(id)).toEqual(expect.arrayContaining([
      'defense-in-depth/identity', 'zero-trust/continuous-verification', 'zero-trust/just-in-time', 'isolation/temporal',
    ]));
  });
});
