import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { KeyRing } from '../../lib/encryption';
import { McpLatticeService, McpServiceNetwork } from '../../lib/mesh';
import { expectGateClean } from '../support/gate';
import { standInVpc, testStack } from '../support/stand-ins';

function setup() {
  const stack = testStack();
  const keys = new KeyRing(stack, 'Keys');
  const vpc = standInVpc(stack, { workload: 'isolated' });
  const gatewayRole = new iam.Role(stack, 'GatewayRole', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
  return { stack, keys, vpc, gatewayRole };
}

describe('McpServiceNetwork', () => {
  test('uses AWS_IAM auth, limits the auth policy to named accounts and logs access', () => {
    const { stack, keys } = setup();
    new McpServiceNetwork(stack, 'Network', { name: 'mcp-net', logKey: keys.logs, principalAccounts: ['222222222222'] });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::VpcLattice::ServiceNetwork', { Name: 'mcp-net', AuthType: 'AWS_IAM' });
    template.hasResourceProperties('AWS::VpcLattice::AuthPolicy', {
      Policy: {
        Statement: [Match.objectLike({
          Action: 'vpc-lattice-svcs:Invoke',
          Condition: {
            StringEquals: { 'aws:PrincipalAccount': ['111111111111', '222222222222'] },
            StringNotEqualsIgnoreCase: { 'aws:PrincipalType': 'anonymous' },
          },
        })],
      },
    });
    template.hasResourceProperties('AWS::VpcLattice::AccessLogSubscription', { DestinationArn: Match.anyValue() });
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/vendedlogs/vpc-lattice/mcp-net', KmsKeyId: Match.anyValue() });
    template.resourceCountIs('AWS::RAM::ResourceShare', 0);
  });

  test('shares with spoke accounts inside the organization only', () => {
    const { stack, keys } = setup();
    new McpServiceNetwork(stack, 'Network', { name: 'mcp-net', logKey: keys.logs, shareWithAccounts: ['333333333333'] });
    Template.fromStack(stack).hasResourceProperties('AWS::RAM::ResourceShare', {
      Principals: ['333333333333'],
      AllowExternalPrincipals: false,
    });
  });

  test('fails on a bad name and account ids, listing both', () => {
    const { stack, keys } = setup();
    expect(() => new McpServiceNetwork(stack, 'Network', { name: 'Bad_Name', logKey: keys.logs, shareWithAccounts: ['12'] }))
      .toThrow(/name must be 3-63 lowercase[\s\S]*shareWithAccounts must contain 12-digit account ids, got '12'/);
  });
});

describe('McpLatticeService', () => {
  // proves: zero-trust/continuous-verification, zero-trust/micro-segmentation, secure-by-default/encryption
  test('publishes an HTTPS, IAM-authenticated service whose auth policy names only the gateway role and the MCP path', () => {
    const { stack, keys, vpc, gatewayRole } = setup();
    const network = new McpServiceNetwork(stack, 'Network', { name: 'mcp-net', logKey: keys.logs });
    new McpLatticeService(stack, 'Notes', {
      name: 'notes', vpc, port: 8080, allowedPrincipals: [gatewayRole], logKey: keys.logs, serviceNetworkIdentifier: network.serviceNetworkId,
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::VpcLattice::Service', { Name: 'notes', AuthType: 'AWS_IAM' });
    template.hasResourceProperties('AWS::VpcLattice::Listener', { Protocol: 'HTTPS', Port: 443 });
    template.hasResourceProperties('AWS::VpcLattice::TargetGroup', {
      Type: 'IP',
      Config: Match.objectLike({ Port: 8080, HealthCheck: Match.objectLike({ Path: '/healthz' }) }),
    });
    template.hasResourceProperties('AWS::VpcLattice::AuthPolicy', {
      Policy: {
        Statement: [Match.objectLike({
          Principal: { AWS: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^GatewayRole'), 'Arn'] }] },
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Notes'), 'Arn'] }, '/mcp']] },
          Condition: { StringEquals: { 'vpc-lattice-svcs:RequestMethod': ['POST', 'GET', 'DELETE'] } },
        })],
      },
    });
    template.resourceCountIs('AWS::VpcLattice::ServiceNetworkServiceAssociation', 1);
  });

  // proves: zero-trust/continuous-verification
  test('no VPC Lattice resource allows unauthenticated access', () => {
    const { stack, keys, vpc, gatewayRole } = setup();
    new McpServiceNetwork(stack, 'Network', { name: 'mcp-net', logKey: keys.logs });
    new McpLatticeService(stack, 'Notes', { name: 'notes', vpc, port: 8080, allowedPrincipals: [gatewayRole], logKey: keys.logs });
    const template = Template.fromStack(stack);
    for (const type of ['AWS::VpcLattice::Service', 'AWS::VpcLattice::ServiceNetwork']) {
      const resources = Object.values(template.findResources(type));
      expect(resources.length).toBeGreaterThan(0);
      resources.forEach((r) => expect(r.Properties.AuthType).toBe('AWS_IAM'));
    }
  });

  test('is gate clean with its network', () => {
    const { stack, keys, vpc, gatewayRole } = setup();
    const network = new McpServiceNetwork(stack, 'Network', { name: 'mcp-net', logKey: keys.logs });
    const service = new McpLatticeService(stack, 'Notes', {
      name: 'notes', vpc, port: 8080, allowedPrincipals: [gatewayRole], logKey: keys.logs, serviceNetworkIdentifier: network.serviceNetworkId,
    });
    // The test VPC is scaffolding; SegmentedVpc has its own gate tests.
    expectGateClean(network);
    expectGateClean(service);
  });

  test('fails on a bad port', () => {
    const { stack, keys, vpc } = setup();
    expect(() => new McpLatticeService(stack, 'Notes', { name: 'notes', vpc, port: 70000, logKey: keys.logs }))
      .toThrow(/port must be an integer from 1 to 65535, got 70000/);
  });

  test('fails to synthesize when no principal may invoke it', () => {
    const { stack, keys, vpc } = setup();
    new McpLatticeService(stack, 'Notes', { name: 'notes', vpc, port: 8080, logKey: keys.logs });
    expect(() => Template.fromStack(stack)).toThrow(/has no allowed principal/);
  });

  test('allowInvokeFrom names a role created later in the auth policy and grants it invoke', () => {
    const { stack, keys, vpc } = setup();
    const service = new McpLatticeService(stack, 'Notes', { name: 'notes', vpc, port: 8080, logKey: keys.logs });
    const later = new iam.Role(stack, 'Later', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    service.allowInvokeFrom(later);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::VpcLattice::AuthPolicy', {
      Policy: { Statement: [Match.objectLike({ Principal: { AWS: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Later'), 'Arn'] }] } })] },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'vpc-lattice-svcs:Invoke' })] },
      Roles: [{ Ref: Match.stringLikeRegexp('^Later') }],
    });
  });
});
