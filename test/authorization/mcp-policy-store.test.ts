import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { McpPolicyStore } from '../../lib/authorization';
import { expectGateClean } from '../support/gate';

const SCHEMA = `
namespace Mcp {
  entity User { scopes: Set<String> };
  entity Tool { upstream: String, group: String };
  action call_tool appliesTo { principal: [User], resource: [Tool], context: { risk: Long } };
}`;

const POLICIES = `
// Users may call tools of the groups their scopes grant.
permit (principal, action == Mcp::Action::"call_tool", resource)
when { principal.scopes.contains(resource.group) && context.risk < 50 };

@id("high-risk")
@description("Nobody calls tools while the session is high risk.")
forbid (principal, action, resource) when { context.risk >= 80 };
`;

function newStack(): Stack {
  return new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-east-1' } });
}

describe('McpPolicyStore', () => {
  // proves: defense-in-depth/authorization
  test('creates a STRICT, deletion-protected store with the schema as Cedar JSON and one policy per statement', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    const store = new McpPolicyStore(stack, 'Policies', { schema: SCHEMA, policies: POLICIES });
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::VerifiedPermissions::PolicyStore', {
      ValidationSettings: { Mode: 'STRICT' },
      DeletionProtection: { Mode: 'ENABLED' },
      Schema: {
        CedarJson: Match.serializedJson(Match.objectLike({ Mcp: Match.objectLike({ entityTypes: Match.objectLike({ Tool: Match.anyValue() }) }) })),
      },
    });
    template.resourceCountIs('AWS::VerifiedPermissions::Policy', 2);
    template.hasResourceProperties('AWS::VerifiedPermissions::Policy', {
      Definition: { Static: { Statement: Match.stringLikeRegexp('^@id\\("high-risk"\\)[\\s\\S]*forbid'), Description: 'Nobody calls tools while the session is high risk.' } },
    });
    template.hasResource('AWS::VerifiedPermissions::PolicyStore', { DeletionPolicy: 'Retain' });
    expect(store.policyCount).toBe(2);
  });

  test('grantIsAuthorized allows only authorization calls on this store', () => {
    const stack = newStack();
    const store = new McpPolicyStore(stack, 'Policies', { schema: SCHEMA, policies: POLICIES });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    store.grantIsAuthorized(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Action: ['verifiedpermissions:IsAuthorized', 'verifiedpermissions:IsAuthorizedWithToken', 'verifiedpermissions:BatchIsAuthorized'],
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Policies'), 'Arn'] },
        }],
      },
    });
  });

  test('is gate clean', () => {
    const stack = newStack();
    new McpPolicyStore(stack, 'Policies', { schema: SCHEMA, policies: POLICIES });
    expectGateClean(stack);
  });

  test('fails when a policy references an attribute the schema does not declare', () => {
    const stack = newStack();
    const bad = 'permit (principal, action == Mcp::Action::"call_tool", resource) when { resource.owner == "x" };';
    expect(() => new McpPolicyStore(stack, 'Policies', { schema: SCHEMA, policies: bad, source: 'bad.cedar' }))
      .toThrow(/Invalid Cedar policies in bad.cedar:\n  - policy policy0: .*owner/);
  });

  test('fails on a syntax error in the schema', () => {
    expect(() => new McpPolicyStore(newStack(), 'Policies', { schema: 'namespace {', policies: POLICIES }))
      .toThrow(/Invalid Cedar policies in inline policies:\n  - schema: /);
  });

  test('fails on an empty policy set', () => {
    expect(() => new McpPolicyStore(newStack(), 'Policies', { schema: SCHEMA, policies: '// nothing here' }))
      .toThrow(/no policy found/);
  });
});
