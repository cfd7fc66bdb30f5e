import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { declaredPrinciples } from '../../lib/core';
import { KeyRing } from '../../lib/encryption';
import { AllTrafficFlowLog, AllTrafficFlowLogProps } from '../../lib/network';
import { gateFindings } from '../support/gate';
import { standInVpc } from '../support/stand-ins';

function build(props: Partial<AllTrafficFlowLogProps> = {}) {
  const stack = new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-east-1' } });
  const keys = new KeyRing(stack, 'Keys');
  const vpc = standInVpc(stack);
  const flowLog = new AllTrafficFlowLog(stack, 'FlowLog', { vpc, encryptionKey: keys.logs, ...props });
  const id = (construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as kms.CfnKey);
  return { stack, keys, vpc, flowLog, id, template: Template.fromStack(stack) };
}

describe('AllTrafficFlowLog', () => {
  // proves: secure-by-default/logging, observability
  test('logs ALL traffic of the VPC, in one-minute records, through its role', () => {
    const { template, flowLog, vpc, id } = build();
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'VPC',
      ResourceId: { Ref: id(vpc) },
      TrafficType: 'ALL',
      MaxAggregationInterval: 60,
      LogDestinationType: 'cloud-watch-logs',
      LogGroupName: { Ref: id(flowLog.logGroup) },
      DeliverLogsPermissionArn: { 'Fn::GetAtt': [id(flowLog.role), 'Arn'] },
    });
  });

  test('writes to a log group encrypted with the key given, kept a year by default or as long as asked', () => {
    const { template, keys, id } = build();
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [id(keys.logs), 'Arn'] }, RetentionInDays: 365 });
    build({ retention: logs.RetentionDays.FIVE_YEARS }).template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 1827 });
  });

  test('fails with a retention under a year', () => {
    expect(() => build({ retention: logs.RetentionDays.SIX_MONTHS })).toThrow(/retention must be at least 365 days, got 180/);
  });

  test('only the flow logs service, for flow logs of this account, can assume the role', () => {
    const { template } = build();
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
          Condition: {
            StringEquals: { 'aws:SourceAccount': '111111111111' },
            ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:us-east-1:111111111111:vpc-flow-log/*']] } },
          },
        }],
      },
    });
  });

  test('the role may only write to its log group, through a managed policy and no inline policy', () => {
    const { template, flowLog, id } = build();
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'vpc-flow-logs.amazonaws.com' } })] }),
      ManagedPolicyArns: [{ Ref: Match.stringLikeRegexp('^FlowLogWritePolicy') }],
      Policies: Match.absent(),
    });
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [{
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [id(flowLog.logGroup), 'Arn'] },
        }],
      },
    });
  });

  test('declares the logging principles', () => {
    expect(declaredPrinciples(build().flowLog)).toEqual(expect.arrayContaining(['secure-by-default/logging', 'observability']));
  });

  test('adds no gate finding', () => {
    const { stack } = build();
    expect(gateFindings(stack).filter((f) => f.path.startsWith('Test/FlowLog/'))).toEqual([]);
  });
});
