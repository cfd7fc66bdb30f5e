import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { declaredPrinciples } from '../../lib/core';
import { DataPerimeterEndpoints, DataPerimeterEndpointsProps } from '../../lib/network';
import { gateFindings } from '../support/gate';

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
  const stack = new Stack(new App(), 'Test', { env: { account: ACCOUNT, region: 'us-east-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    natGateways: 0,
    subnetConfiguration: [
      { name: 'Ingress', subnetType: ec2.SubnetType.PUBLIC, mapPublicIpOnLaunch: false },
      { name: 'Workload', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
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
