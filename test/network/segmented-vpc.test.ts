import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { declaredPrinciples } from '../../lib/core';
import { KeyRing } from '../../lib/encryption';
import { SegmentedVpc, SegmentedVpcProps } from '../../lib/network';
import { expectGateClean } from '../support/gate';

type Options = Partial<SegmentedVpcProps>;

function build(options: Options = {}, stack = new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-east-1' } })) {
  const keys = new KeyRing(stack, 'Keys');
  const network = new SegmentedVpc(stack, 'Network', { flowLogEncryptionKey: keys.logs, ...options });
  return { stack, keys, network, template: Template.fromStack(stack) };
}

function subnetsOf(template: Template, group: string) {
  return Object.values(template.findResources('AWS::EC2::Subnet', {
    Properties: { Tags: Match.arrayWith([{ Key: 'aws-cdk:subnet-name', Value: group }]) },
  })).map(({ Properties: p }) => p);
}

describe('SegmentedVpc tiers', () => {
  test('puts one subnet of each tier in every zone, none mapping public IPs on launch', () => {
    // GIVEN / WHEN
    const { template } = build({ availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'] });
    // THEN
    template.resourceCountIs('AWS::EC2::Subnet', 9);
    for (const group of ['Ingress', 'Workload', 'Data']) {
      const subnets = subnetsOf(template, group);
      expect(subnets.map((s) => s.AvailabilityZone)).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c']);
      expect(subnets.every((s) => s.MapPublicIpOnLaunch === false)).toBe(true);
    }
    expect(subnetsOf(template, 'Ingress').map((s) => s.Tags.find((t: { Key: string }) => t.Key === 'aws-cdk:subnet-type').Value))
      .toEqual(['Public', 'Public', 'Public']);
  });

  test('defaults to 10.0.0.0/16 and to the zones a and b of the stack region', () => {
    const { template, network } = build();
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16' });
    expect(network.availabilityZones).toEqual(['us-east-1a', 'us-east-1b']);
  });

  test('uses the CIDR block given, and exposes it as a literal', () => {
    const { template, network } = build({ cidr: '172.20.0.0/20' });
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '172.20.0.0/20' });
    expect(network.cidr).toBe('172.20.0.0/20');
  });

  test('exposes the tiers as subnet selections of the VPC', () => {
    const { network } = build();
    expect(network.vpc.selectSubnets(network.ingressSubnets).subnets).toEqual(network.vpc.publicSubnets);
    expect(network.vpc.selectSubnets(network.workloadSubnets).subnets).toHaveLength(2);
    expect(network.vpc.selectSubnets(network.dataSubnets).subnets).toHaveLength(2);
    expect(network.endpointSecurityGroup).toBe(network.endpoints.securityGroup);
  });
});

describe('SegmentedVpc egress', () => {
  // proves: isolation/network, defense-in-depth/network
  test("defaults to 'none': no NAT gateway and no default route in the workload or data tiers", () => {
    const { template, network } = build();
    expect(network.egress).toBe('none');
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    // The only default routes are the ingress tier's, to the internet gateway.
    const routes = Object.values(template.findResources('AWS::EC2::Route')).map(({ Properties: p }) => p);
    expect(routes).toHaveLength(2);
    expect(routes.every((r) => r.GatewayId !== undefined && r.NatGatewayId === undefined)).toBe(true);
  });

  test("with 'nat', one NAT gateway per zone in the ingress tier and a route to it from each workload subnet", () => {
    const { template } = build({ egress: 'nat', availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'] });
    template.resourceCountIs('AWS::EC2::NatGateway', 3);
    const natRoutes = template.findResources('AWS::EC2::Route', { Properties: { NatGatewayId: Match.anyValue() } });
    expect(Object.keys(natRoutes).every((id) => id.startsWith('NetworkWorkloadSubnet'))).toBe(true);
    expect(Object.keys(natRoutes)).toHaveLength(3);
  });

  test("with 'nat' and natGateways 1, a single NAT gateway", () => {
    build({ egress: 'nat', natGateways: 1 }).template.resourceCountIs('AWS::EC2::NatGateway', 1);
  });

  test('an internal ingress tier without NAT has no internet gateway at all', () => {
    const { template } = build({ internetFacing: false });
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::Route', 0);
  });

  test('an internal ingress tier with NAT keeps public subnets for the NAT gateways', () => {
    const { template } = build({ internetFacing: false, egress: 'nat' });
    template.resourceCountIs('AWS::EC2::InternetGateway', 1);
    template.resourceCountIs('AWS::EC2::NatGateway', 2);
  });
});

describe('SegmentedVpc controls', () => {
  test('logs ALL traffic to a log group encrypted with the key given, kept a year', () => {
    const { template, stack, keys } = build();
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs', ResourceId: { Ref: 'Network6E62CE96' },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(keys.logs.node.defaultChild as kms.CfnKey), 'Arn'] },
      RetentionInDays: 365,
    });
  });

  test('keeps flow logs for the retention given', () => {
    build({ flowLogRetention: logs.RetentionDays.TWO_YEARS }).template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 731 });
  });

  // proves: isolation/network
  test('closes the default security group with the custom resource scoped to that one group', () => {
    const { template } = build();
    template.hasResourceProperties('Custom::VpcRestrictDefaultSG', {
      DefaultSecurityGroupId: { 'Fn::GetAtt': ['Network6E62CE96', 'DefaultSecurityGroup'] },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      Policies: [{
        PolicyName: 'Inline',
        PolicyDocument: { Statement: [Match.objectLike({ Resource: [{ 'Fn::Join': ['', Match.arrayWith([{ 'Fn::GetAtt': ['Network6E62CE96', 'DefaultSecurityGroup'] }])] }] })] },
      }],
    });
  });

  test('passes the ports and workload clients to the tier ACLs', () => {
    const { template } = build({ workloadPorts: [8443], dataPorts: [5432], workloadClientCidrs: ['169.254.171.0/24'] });
    template.hasResourceProperties('AWS::EC2::NetworkAclEntry', { CidrBlock: '169.254.171.0/24', Egress: false, PortRange: { From: 8443, To: 8443 } });
    template.hasResourceProperties('AWS::EC2::NetworkAclEntry', { Egress: false, PortRange: { From: 8443, To: 8443 }, RuleAction: 'allow' });
    template.hasResourceProperties('AWS::EC2::NetworkAclEntry', { Egress: false, PortRange: { From: 5432, To: 5432 }, RuleAction: 'allow' });
  });

  test('declares the network principles', () => {
    expect(declaredPrinciples(build().network)).toEqual(
      expect.arrayContaining(['isolation/network', 'zero-trust/micro-segmentation', 'defense-in-depth/network']),
    );
  });
});

describe('SegmentedVpc validation', () => {
  const agnostic = () => new Stack(new App(), 'Test');

  test('fails with a single availability zone', () => {
    expect(() => build({ availabilityZones: ['us-east-1a'] })).toThrow(/availabilityZones: got \["us-east-1a"\]; at least 2 zones are required/);
  });

  test('fails with a repeated availability zone', () => {
    expect(() => build({ availabilityZones: ['us-east-1a', 'us-east-1a'] })).toThrow(/availabilityZones: us-east-1a listed more than once/);
  });

  test('fails with a zone of another region', () => {
    expect(() => build({ availabilityZones: ['us-east-1a', 'eu-west-1b'] })).toThrow(/'eu-west-1b' is not a zone of the stack's region us-east-1/);
  });

  test('fails in an environment-agnostic stack without zones, and works with them', () => {
    expect(() => build({}, agnostic())).toThrow(/availabilityZones: required when the stack's region is not resolved/);
    expect(build({ availabilityZones: ['eu-west-1a', 'eu-west-1b'] }, agnostic()).network.availabilityZones).toEqual(['eu-west-1a', 'eu-west-1b']);
  });

  test.each([
    ['10.0.0.0', /cidr: '10.0.0.0' is not an IPv4 network in CIDR notation/],
    ['10.0.0.1/16', /cidr: '10.0.0.1\/16' is not an IPv4 network in CIDR notation with host bits zero/],
    ['10.0.0.0/8', /cidr: '10.0.0.0\/8' has prefix \/8; allowed are \/16 to \/22/],
    ['10.0.0.0/24', /has prefix \/24/],
    ['8.8.0.0/16', /cidr: '8.8.0.0\/16' is publicly routable/],
    ['300.0.0.0/16', /is not an IPv4 network/],
  ])('fails with the CIDR block %s', (cidr, message) => {
    expect(() => build({ cidr })).toThrow(message);
  });

  test('fails with NAT gateways but no NAT egress, or more NAT gateways than zones', () => {
    expect(() => build({ natGateways: 1 })).toThrow(/natGateways: 1 given but egress is 'none'; NAT gateways exist only with egress 'nat' or 'firewall'/);
    expect(() => build({ egress: 'nat', natGateways: 3 })).toThrow(/natGateways: 3 is not between 1 and the number of availability zones \(2\)/);
  });

  test('fails with an unknown egress mode', () => {
    expect(() => build({ egress: 'internet' as 'nat' })).toThrow(/egress: 'internet' is not an egress mode; allowed are 'none', 'nat' and 'firewall'/);
  });

  test('reports every problem at once, naming each prop', () => {
    expect(() => build({ availabilityZones: ['us-east-1a'], cidr: 'bad', workloadPorts: [0], extraInterfaceEndpoints: { Kms: ec2.InterfaceVpcEndpointAwsService.KMS } }))
      .toThrow(/SegmentedVpc Test\/Network: invalid properties:\n {2}- availabilityZones[^\n]*\n {2}- cidr[^\n]*\n {2}- workloadPorts[^\n]*\n {2}- extraInterfaceEndpoints/);
  });
});

describe('SegmentedVpc gate and synth', () => {
  test.each([
    ['egress none', {}],
    ['egress nat', { egress: 'nat' as const }],
    ['internal, egress none', { internetFacing: false }],
    ['three zones with data ports and extra endpoints', {
      availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
      dataPorts: [5432],
      extraInterfaceEndpoints: { Sqs: ec2.InterfaceVpcEndpointAwsService.SQS },
    }],
  ])('is gate clean: %s', (_name, options: Options) => {
    expectGateClean(build(options).stack);
  });

  test('is gate clean in an environment-agnostic stack', () => {
    expectGateClean(build({ availabilityZones: ['eu-west-1a', 'eu-west-1b'] }, new Stack(new App(), 'Test')).stack);
  });

  test('a stack that declares its zones synthesizes with no context lookup and no CloudFormation validation finding', () => {
    // GIVEN a stack that answers availabilityZones itself, as patterns must for offline synth
    class ZonedStack extends Stack {
      get availabilityZones(): string[] {
        return ['us-east-1a', 'us-east-1b'];
      }
    }
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'segmented-vpc-'));
    const app = new App({ outdir, context: { '@aws-cdk/core:validationReportJson': true } });
    build({ egress: 'nat' }, new ZonedStack(app, 'Test', { env: { account: '111111111111', region: 'us-east-1' } }));
    // WHEN
    const assembly = app.synth();
    // THEN
    expect(assembly.manifest.missing ?? []).toEqual([]);
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'policy-validation-report.json'), 'utf8'));
    expect(report.pluginReports.flatMap((r: { violations: unknown[] }) => r.violations)).toEqual([]);
  });

  test('a plain stack with account and region needs an availability-zones lookup (the reason for the above)', () => {
    const app = new App();
    build({}, new Stack(app, 'Test', { env: { account: '111111111111', region: 'us-east-1' } }));
    expect(app.synth().manifest.missing?.map((m) => m.provider)).toEqual(['availability-zones']);
  });

  test('an environment-agnostic stack synthesizes with no lookup and a region-relative endpoint bucket', () => {
    const app = new App();
    const { template } = build({ availabilityZones: ['eu-west-1a', 'eu-west-1b'] }, new Stack(app, 'Test'));
    expect(app.synth().manifest.missing).toBeUndefined();
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::prod-', { Ref: 'AWS::Region' }, '-starport-layer-bucket/*']] },
        })]),
      },
    });
  });
});
