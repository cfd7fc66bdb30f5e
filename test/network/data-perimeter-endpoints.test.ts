import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { declaredPrinciples } from '../../lib/core';
import { DataPerimeterEndpoints, DataPerimeterEndpointsProps } from '../../lib/network';
import { gateFindings } from '../support/gate';
import { standInVpc, testStack } from '../support/stand-ins';

const ACCOUNT = '111111111111';
const PERIMETER = {
  Sid: 'AllowThisAccountPrincipalsToThisAccountResources',
  Effect: 'Allow',
  Principal: { AWS: '*' },
  Action: '*',
  Resource: '*',
  Condition: { StringEquals: { 'aws:PrincipalAccount': ACCOUNT, 'aws:ResourceAccount': ACCOUNT } },
};

function build(props: Partial<DataPerimeterEndpointsProps> = {}) {
  const stack = testStack();
  const vpc = standInVpc(stack, { Ingress: 'public', Workload: 'isolated' });
  const endpoints = new DataPerimeterEndpoints(stack, 'Endpoints', { vpc, subnets: { subnetGroupName: 'Workload' }, ...props });
  const workloadCidrs = vpc.selectSubnets({ subnetGroupName: 'Workload' }).subnets.map((s) => s.ipv4CidrBlock);
  return { stack, vpc, endpoints, workloadCidrs, template: Template.fromStack(stack) };
}

function interfaceServiceNames(template: Template): string[] {
  return Object.values(template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Interface' } }))
    .map(({ Properties: p }) => p.ServiceName).sort();
}

describe('DataPerimeterEndpoints', () => {
  test('creates S3 and DynamoDB gateway endpoints routed from the workload subnets only', () => {
    const { template, stack, vpc } = build();
    const workloadRouteTables = vpc.selectSubnets({ subnetGroupName: 'Workload' }).subnets
      .map((s) => ({ Ref: stack.getLogicalId(s.node.findChild('RouteTable') as ec2.CfnRouteTable) }));
    for (const service of ['s3', 'dynamodb']) {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'Gateway',
        ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, `.${service}`]] },
        RouteTableIds: workloadRouteTables,
      });
    }
  });

  test('creates the baseline interface endpoints with private DNS in the workload subnets', () => {
    const { template, stack, vpc, endpoints } = build();
    expect(interfaceServiceNames(template)).toEqual([
      'com.amazonaws.us-east-1.ecr.api', 'com.amazonaws.us-east-1.ecr.dkr', 'com.amazonaws.us-east-1.kms',
      'com.amazonaws.us-east-1.logs', 'com.amazonaws.us-east-1.secretsmanager', 'com.amazonaws.us-east-1.ssm',
      'com.amazonaws.us-east-1.sts',
    ]);
    const workloadSubnetIds = vpc.selectSubnets({ subnetGroupName: 'Workload' }).subnets
      .map((s) => ({ Ref: stack.getLogicalId(s.node.defaultChild as ec2.CfnSubnet) }));
    const interfaces = template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Interface' } });
    for (const { Properties: p } of Object.values(interfaces)) {
      expect(p.PrivateDnsEnabled).toBe(true);
      expect(p.SubnetIds).toEqual(workloadSubnetIds);
      expect(p.SecurityGroupIds).toEqual([{ 'Fn::GetAtt': [stack.getLogicalId(endpoints.securityGroup.node.defaultChild as ec2.CfnSecurityGroup), 'GroupId'] }]);
    }
    expect(Object.keys(endpoints.interfaceEndpoints).sort()).toEqual(['CloudWatchLogs', 'EcrApi', 'EcrDocker', 'Kms', 'SecretsManager', 'Ssm', 'Sts']);
  });

  test('the endpoint security group admits HTTPS from each workload subnet and nothing else, and opens nothing outbound', () => {
    const { template, workloadCidrs } = build();
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: workloadCidrs.map((cidr) => Match.objectLike({ CidrIp: cidr, IpProtocol: 'tcp', FromPort: 443, ToPort: 443 })),
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic' })],
    });
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
  });

  // proves: isolation/data, secure-by-default/minimal-permissions
  test('every endpoint policy confines requests to principals and resources of this account', () => {
    const { template } = build({ extraInterfaceEndpoints: { Sqs: ec2.InterfaceVpcEndpointAwsService.SQS } });
    const all = Object.values(template.findResources('AWS::EC2::VPCEndpoint'));
    expect(all).toHaveLength(10);
    for (const { Properties: p } of all) {
      expect(p.PolicyDocument.Statement[0]).toEqual(PERIMETER);
    }
  });

  test('only the S3 endpoint has a second statement: read-only access to the ECR image layer bucket of the region', () => {
    const { template } = build();
    const policies = Object.values(template.findResources('AWS::EC2::VPCEndpoint')).map(({ Properties: p }) => p.PolicyDocument.Statement);
    const exceptions = policies.filter((statements) => statements.length > 1);
    expect(exceptions).toEqual([[PERIMETER, {
      Sid: 'AllowEcrImageLayersFromTheAwsOwnedBucket',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 's3:GetObject',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::prod-us-east-1-starport-layer-bucket/*']] },
    }]]);
  });

  test('adds the extra interface endpoints under the ids given', () => {
    const { template, endpoints } = build({ extraInterfaceEndpoints: { Sqs: ec2.InterfaceVpcEndpointAwsService.SQS } });
    expect(interfaceServiceNames(template)).toContain('com.amazonaws.us-east-1.sqs');
    expect(endpoints.interfaceEndpoints.Sqs.node.path).toBe('Test/Endpoints/Sqs');
  });

  test('declares the principles it implements', () => {
    expect(declaredPrinciples(build().endpoints)).toEqual(expect.arrayContaining(['isolation/network', 'isolation/data']));
  });

  test('adds no gate finding', () => {
    const { stack } = build({ extraInterfaceEndpoints: { Sqs: ec2.InterfaceVpcEndpointAwsService.SQS } });
    expect(gateFindings(stack).filter((f) => f.path.startsWith('Test/Endpoints/'))).toEqual([]);
  });

  test('fails on an extra endpoint that repeats a baseline service or id, or has an unusable id', () => {
    expect(() => build({
      extraInterfaceEndpoints: {
        'Kms': ec2.InterfaceVpcEndpointAwsService.SQS,
        'S3': ec2.InterfaceVpcEndpointAwsService.SNS,
        'MoreKms': ec2.InterfaceVpcEndpointAwsService.KMS,
        'sqs queue': ec2.InterfaceVpcEndpointAwsService.EVENTBRIDGE,
      },
    })).toThrow(new RegExp([
      "extraInterfaceEndpoints: key 'Kms' is already used by a baseline endpoint",
      "extraInterfaceEndpoints: key 'S3' is already used by a baseline endpoint",
      "extraInterfaceEndpoints: 'MoreKms' repeats the service 'kms', already provided by 'Kms'",
      "extraInterfaceEndpoints: key 'sqs queue' must be a PascalCase construct id",
    ].join('[\\s\\S]*')));
  });
});

describe('DataPerimeterEndpoints clients', () => {
  /** A VPC with a second group of task subnets that has no route out. */
  function buildWithClients(props: Partial<DataPerimeterEndpointsProps>) {
    const stack = testStack();
    const vpc = standInVpc(stack, { Workload: 'isolated', Sealed: 'isolated' });
    const endpoints = new DataPerimeterEndpoints(stack, 'Endpoints', { vpc, subnets: { subnetGroupName: 'Workload' }, ...props });
    const subnets = (group: string) => vpc.selectSubnets({ subnetGroupName: group }).subnets;
    const groupId = () => stack.getLogicalId(endpoints.securityGroup.node.defaultChild as ec2.CfnSecurityGroup);
    return { stack, vpc, endpoints, subnets, groupId };
  }

  test('routes the gateway endpoints from the client subnets too and admits their CIDR blocks, placing endpoints in `subnets` only', () => {
    // GIVEN / WHEN
    const { stack, endpoints, subnets, groupId } = buildWithClients({ clientSubnets: [{ subnetGroupName: 'Sealed' }] });
    const template = Template.fromStack(stack);
    // THEN
    const tables = [...subnets('Workload'), ...subnets('Sealed')].map((s) => ({ Ref: stack.getLogicalId(s.node.findChild('RouteTable') as ec2.CfnRouteTable) }));
    template.resourcePropertiesCountIs('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway', RouteTableIds: tables }, 2);
    expect(template.toJSON().Resources[groupId()].Properties.SecurityGroupIngress.map((r: { CidrIp: string }) => r.CidrIp))
      .toEqual([...subnets('Workload'), ...subnets('Sealed')].map((s) => s.ipv4CidrBlock));
    const placed = subnets('Workload').map((s) => ({ Ref: stack.getLogicalId(s.node.defaultChild as ec2.CfnSubnet) }));
    template.resourcePropertiesCountIs('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface', SubnetIds: placed }, 7);
    expect(endpoints.clients).toBe('subnets');
  });

  // proves: zero-trust/micro-segmentation
  test("with clients 'security-groups', admits no address range, only the groups given to allowFrom", () => {
    // GIVEN
    const { stack, vpc, endpoints, groupId } = buildWithClients({ clients: 'security-groups', clientSubnets: [{ subnetGroupName: 'Sealed' }] });
    const first = new ec2.SecurityGroup(stack, 'First', { vpc });
    const second = new ec2.SecurityGroup(stack, 'Second', { vpc });
    // WHEN
    endpoints.allowFrom(first);
    endpoints.allowFrom(second);
    // THEN
    const template = Template.fromStack(stack);
    expect(template.toJSON().Resources[groupId()].Properties.SecurityGroupIngress).toBeUndefined();
    const rules = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map(({ Properties: p }) => p);
    expect(rules.map((r) => [r.GroupId, r.SourceSecurityGroupId['Fn::GetAtt'][0], r.FromPort, r.ToPort])).toEqual([
      [{ 'Fn::GetAtt': [groupId(), 'GroupId'] }, stack.getLogicalId(first.node.defaultChild as ec2.CfnSecurityGroup), 443, 443],
      [{ 'Fn::GetAtt': [groupId(), 'GroupId'] }, stack.getLogicalId(second.node.defaultChild as ec2.CfnSecurityGroup), 443, 443],
    ]);
  });

  test("fails at synth when clients is 'security-groups' and no group was admitted", () => {
    const { stack } = buildWithClients({ clients: 'security-groups' });
    expect(() => Template.fromStack(stack)).toThrow(/admits no client: call allowFrom for each service that uses AWS APIs/);
  });

  test('fails with an unknown kind of client', () => {
    expect(() => buildWithClients({ clients: 'everyone' as 'subnets' })).toThrow(/clients: 'everyone' is not a kind of endpoint client; allowed are 'subnets' and 'security-groups'/);
  });
});
