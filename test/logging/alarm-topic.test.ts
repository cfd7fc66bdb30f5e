import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { declaredPrinciples } from '../../lib/core';
import { KeyRing } from '../../lib/encryption';
import { AlarmTopic } from '../../lib/logging';
import { expectGateClean } from '../support/gate';

const ALARMS_OF_THIS_ACCOUNT = {
  StringEquals: { 'aws:SourceAccount': '111111111111' },
  ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:us-east-1:111111111111:alarm:*']] } },
};

function fixture(): { stack: Stack; keys: KeyRing; topic: AlarmTopic } {
  const stack = new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-east-1' } });
  const keys = new KeyRing(stack, 'Keys');
  const topic = new AlarmTopic(stack, 'Alarms', { encryptionKey: keys.logs, topicName: 'security-alarms', displayName: 'MCP security' });
  return { stack, keys, topic };
}

describe('AlarmTopic', () => {
  test('encrypts the topic with the given key and signs messages with SHA256', () => {
    const { stack, keys, topic } = fixture();
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [stack.getLogicalId(keys.logs.node.defaultChild as kms.CfnKey), 'Arn'] },
      SignatureVersion: '2',
      TopicName: 'security-alarms',
      DisplayName: 'MCP security',
    });
    expect(topic.topic.node.id).toBe('Resource');
  });

  test('refuses publishing without TLS and lets only CloudWatch alarms of this account publish', () => {
    const { stack, topic } = fixture();
    const topicRef = { Ref: stack.getLogicalId(topic.topic.node.defaultChild as never) };
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: [
          { Sid: 'AllowPublishThroughSSLOnly', Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Resource: topicRef, Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
          { Sid: 'AllowCloudWatchAlarmsOfThisAccount', Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: topicRef, Condition: ALARMS_OF_THIS_ACCOUNT },
        ],
      },
    });
  });

  test('lets CloudWatch alarms of this account use the key', () => {
    const { stack } = fixture();
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([{
          Sid: 'AllowCloudWatchAlarmsOfThisAccount',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Resource: '*',
          Condition: ALARMS_OF_THIS_ACCOUNT,
        }]),
      },
    });
  });

  test('warns that an imported key needs the CloudWatch alarms statement from its owner', () => {
    const stack = new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-east-1' } });
    const key = kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    new AlarmTopic(stack, 'Alarms', { encryptionKey: key });
    Annotations.fromStack(stack).hasWarning('/Test/Alarms', Match.stringLikeRegexp('add these statements to it: AllowCloudWatchAlarmsOfThisAccount'));
  });

  test('declares the principles it implements', () => {
    expect(declaredPrinciples(fixture().topic)).toEqual(['secure-by-default/monitoring', 'secure-by-default/encryption', 'defense-in-depth/monitoring']);
  });

  test('passes the gate', () => {
    expectGateClean(fixture().stack);
  });
});
