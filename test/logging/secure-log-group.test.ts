import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { declaredPrinciples } from '../../lib/core';
import { KeyRing } from '../../lib/encryption';
import { MIN_LOG_RETENTION_DAYS, SecureLogGroup } from '../../lib/logging';
import { expectGateClean } from '../support/gate';

function newStack(): Stack {
  return new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-east-1' } });
}

describe('SecureLogGroup', () => {
  // proves: secure-by-default/logging, secure-by-default/encryption
  test('encrypts with the given key, keeps logs a year and is retained', () => {
    // GIVEN
    const stack = newStack();
    const keys = new KeyRing(stack, 'Keys');
    // WHEN
    const group = new SecureLogGroup(stack, 'Logs', { encryptionKey: keys.logs });
    // THEN
    const template = Template.fromStack(stack);
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: {
        KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(keys.logs.node.defaultChild as kms.CfnKey), 'Arn'] },
        RetentionInDays: 365,
        LogGroupName: Match.absent(),
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    expect(group.logGroup.node.id).toBe('Resource');
    expect(MIN_LOG_RETENTION_DAYS).toBe(365);
  });

  test('accepts a longer retention and a name', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    new SecureLogGroup(stack, 'Long', { encryptionKey: key, retention: logs.RetentionDays.TEN_YEARS, logGroupName: 'aws-waf-logs-mcp' });
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 3653, LogGroupName: 'aws-waf-logs-mcp' });
  });

  test('fails for a never-expire retention, which renders no retention at all', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    expect(() => new SecureLogGroup(stack, 'Forever', { encryptionKey: key, retention: logs.RetentionDays.INFINITE }))
      .toThrow(/RetentionDays.INFINITE is refused/);
  });

  test('lets CloudWatch Logs of this account and region use a key that is not from the KeyRing', () => {
    // GIVEN
    const stack = newStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    // WHEN
    new SecureLogGroup(stack, 'Logs', { encryptionKey: key });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([{
          Sid: 'AllowCloudWatchLogsOfThisAccount',
          Effect: 'Allow',
          Principal: { Service: 'logs.us-east-1.amazonaws.com' },
          Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
          Resource: '*',
          Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:us-east-1:111111111111:log-group:*']] } } },
        }]),
      },
    });
  });

  test('adds nothing to the KeyRing logs key, which already allows CloudWatch Logs', () => {
    const stack = newStack();
    const keys = new KeyRing(stack, 'Keys');
    new SecureLogGroup(stack, 'A', { encryptionKey: keys.logs });
    new SecureLogGroup(stack, 'B', { encryptionKey: keys.logs });
    const policy = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(keys.logs.node.defaultChild as kms.CfnKey)].Properties.KeyPolicy;
    expect(policy.Statement.filter((s: { Sid?: string }) => s.Sid === 'AllowCloudWatchLogsOfThisAccount')).toHaveLength(1);
  });

  test('warns that an imported key needs the CloudWatch Logs statement from its owner', () => {
    const stack = newStack();
    const key = kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    new SecureLogGroup(stack, 'Logs', { encryptionKey: key });
    Annotations.fromStack(stack).hasWarning('/Test/Logs', Match.stringLikeRegexp('cannot be changed by this app; add these statements to it: AllowCloudWatchLogsOfThisAccount'));
  });

  test('can be deleted with the stack only when asked to', () => {
    const stack = newStack();
    new SecureLogGroup(stack, 'Logs', { encryptionKey: new KeyRing(stack, 'Keys').logs, removalPolicy: RemovalPolicy.DESTROY });
    Template.fromStack(stack).hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete' });
  });

  test.each([logs.RetentionDays.ONE_DAY, logs.RetentionDays.SIX_MONTHS, logs.RetentionDays.FIVE_MONTHS])('fails for a retention of %d days', (retention) => {
    const stack = newStack();
    const keys = new KeyRing(stack, 'Keys');
    expect(() => new SecureLogGroup(stack, 'Logs', { encryptionKey: keys.logs, retention })).toThrow(
      `SecureLogGroup Test/Logs: retention must be at least 365 days, got ${retention}`,
    );
  });

  test('declares the principles it implements', () => {
    const stack = newStack();
    const group = new SecureLogGroup(stack, 'Logs', { encryptionKey: new KeyRing(stack, 'Keys').logs });
    expect(declaredPrinciples(group)).toEqual(['secure-by-default/logging', 'secure-by-default/encryption', 'observability']);
  });

  test('passes the gate with the KeyRing logs key', () => {
    const stack = newStack();
    new SecureLogGroup(stack, 'Logs', { encryptionKey: new KeyRing(stack, 'Keys').logs });
    expectGateClean(stack);
  });
});
