import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { errorOf, HUB_ACCOUNT, SPOKE_ACCOUNT } from './fixtures';
import { FederatedGatewaySpokeStack, FederatedGatewaySpokeStackProps } from '../../../patterns/federated-gateway';
import { expectGateClean, gateFindings } from '../../support/gate';
import { testServer } from '../shared/fixtures';

function spokeStack(overrides: Partial<FederatedGatewaySpokeStackProps> = {}): FederatedGatewaySpokeStack {
  return new FederatedGatewaySpokeStack(new App(), 'Spoke', {
    env: { account: HUB_ACCOUNT, region: 'us-east-1' },
    projectName: 'mcp-test',
    spokeName: 'default',
    gatewayIssuer: 'https://mcp.example.com/mcp',
    network: { cidr: '10.20.0.0/16', availabilityZones: ['us-east-1a', 'us-east-1b'] },
    servers: [testServer('notes')],
    logRetention: logs.RetentionDays.ONE_YEAR,
    ...overrides,
  });
}

describe('FederatedGatewaySpokeStack', () => {
  test('reaches the internet through NAT only when egress is \'nat\', still with no public IP on the tasks', () => {
    const template = Template.fromStack(spokeStack({ egress: 'nat' }));
    template.resourceCountIs('AWS::EC2::NatGateway', 2);
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 0);
    template.hasResourceProperties('AWS::ECS::Service', {
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) },
    });
  });

  test('keeps its key aliases apart from the hub\'s in the same account', () => {
    Template.fromStack(spokeStack()).hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/mcp-test-default/logs' });
  });

  test('runs without a hub account as an environment-agnostic stack, naming the role of its own account', () => {
    const stack = new FederatedGatewaySpokeStack(new App(), 'Spoke', {
      env: { region: 'us-east-1' },
      projectName: 'mcp-test',
      spokeName: 'default',
      gatewayIssuer: 'https://mcp.example.com/mcp',
      network: { cidr: '10.20.0.0/16', availabilityZones: ['us-east-1a', 'us-east-1b'] },
      servers: [testServer('notes')],
      logRetention: logs.RetentionDays.ONE_YEAR,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::VpcLattice::AuthPolicy', {
      Policy: { Statement: [Match.objectLike({ Principal: { AWS: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':role/mcp-test-federated-gateway']] }] } })] },
    });
    // The acknowledgement of the alias-conditioned key read follows the token-rendered ARN.
    expectGateClean(stack);
  });

  test('acknowledges the hub key read only: a wildcard in a server\'s own AWS access is still a finding', () => {
    const stack = spokeStack({
      servers: [testServer('notes', { awsAccess: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::notes-bucket/*'] })] })],
    });
    expect(gateFindings(stack).map((finding) => finding.id)).toContain('AwsSolutions::AwsSolutions-IAM5[Resource::arn:aws:s3:::notes-bucket/*]');
  });
});

describe('FederatedGatewaySpokeStack validation', () => {
  test('fails with a hub in another region, saying why', () => {
    expect(errorOf(() => spokeStack({ hubEnv: { account: HUB_ACCOUNT, region: 'eu-west-1' } })))
      .toMatch(/hubEnv.region is 'eu-west-1' but the spoke is in 'us-east-1'; VPC Lattice service networks are regional/);
  });

  test('fails as an environment-agnostic stack with a hub account', () => {
    expect(errorOf(() => spokeStack({ env: { region: 'us-east-1' }, hubEnv: { account: SPOKE_ACCOUNT, region: 'us-east-1' } })))
      .toMatch(/env.account must be set when hubEnv.account is \('222222222222'\)/);
  });

  test('fails with no servers', () => {
    expect(errorOf(() => spokeStack({ servers: [] }))).toMatch(/servers must list at least one MCP server/);
  });

  test('fails with a bad spoke name, a server of another spoke, a repeated server and reserved variables, all at once', () => {
    const message = errorOf(() => spokeStack({
      spokeName: 'Payments',
      servers: [
        testServer('notes', { spoke: 'billing' }),
        testServer('notes', { environment: { SERVER_AUDIENCE: 'https://attacker.example.com', LOG_LEVEL: 'info' } }),
      ],
    }));
    expect(message).toMatch(/^FederatedGatewaySpokeStack Spoke: invalid properties:/);
    expect(message).toMatch(/spokeName must be 1-24 lowercase letters, digits or '-', starting with a letter, got 'Payments'/);
    expect(message).toMatch(/servers\[0\] \(notes\) belongs to spoke 'billing', not to 'Payments'/);
    expect(message).toMatch(/servers: names must be unique, got 'notes' more than once/);
    expect(message).toMatch(/servers\[1\]\.environment sets SERVER_AUDIENCE, which the pattern sets/);
  });
});
