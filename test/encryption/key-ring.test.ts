import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { declaredPrinciples } from '../../lib/core';
import { CRYPTOGRAPHIC_ACTIONS, KEY_ADMINISTRATION_ACTIONS, KeyRing, KeyRingProps } from '../../lib/encryption';
import { expectControlTowerClean } from '../support/cfn-guard';
import { expectGateClean } from '../support/gate';

const ACCOUNT_ROOT = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:root']] };
const ADMIN_ARN = 'arn:aws:iam::111111111111:role/KeyAdministrator';

function newStack(): Stack {
  return new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-east-1' } });
}

function synth(props: KeyRingProps = {}): { keys: KeyRing; template: Template; stack: Stack } {
  const stack = newStack();
  const keys = new KeyRing(stack, 'Keys', props);
  return { keys, stack, template: Template.fromStack(stack) };
}

/** The policy statements of the key whose alias ends with `/<purpose>`. */
function keyPolicyStatements(template: Template, purpose: string): Array<Record<string, unknown>> {
  const alias = Object.values(template.findResources('AWS::KMS::Alias', {
    Properties: { AliasName: `alias/Test/${purpose}` },
  }))[0] as { Properties: { TargetKeyId: { 'Fn::GetAtt': [string, string] } } };
  const logicalId = alias.Properties.TargetKeyId['Fn::GetAtt'][0];
  return template.toJSON().Resources[logicalId].Properties.KeyPolicy.Statement;
}

/** A stack whose key ring has an administrator and lets CloudTrail and CloudWatch alarms use the logs key. */
function withAdministratorsAndServiceAccess(): Stack {
  const stack = newStack();
  const keys = new KeyRing(stack, 'Keys', { administrators: [new iam.ArnPrincipal(ADMIN_ARN)] });
  keys.allowCloudTrail('arn:aws:cloudtrail:us-east-1:111111111111:trail/audit');
  keys.allowCloudWatchAlarms();
  return stack;
}

describe('KeyRing', () => {
  describe('keys', () => {
    // proves: secure-by-default/encryption, defense-in-depth/data
    test('creates three rotating symmetric keys and one ECC_NIST_P256 signing key', () => {
      // WHEN
      const { template } = synth();
      // THEN
      template.resourceCountIs('AWS::KMS::Key', 4);
      for (const description of ['Encrypts MCP kit log groups, log archive objects and alarm topics', 'Encrypts MCP kit application data', 'Encrypts MCP kit secrets in Secrets Manager']) {
        template.hasResourceProperties('AWS::KMS::Key', {
          Description: description,
          EnableKeyRotation: true,
          RotationPeriodInDays: 365,
          KeySpec: Match.absent(),
          KeyUsage: Match.absent(),
          PendingWindowInDays: 30,
        });
      }
      template.hasResourceProperties('AWS::KMS::Key', {
        Description: 'Signs audience-bound tokens minted by the MCP security gateway',
        KeySpec: 'ECC_NIST_P256',
        KeyUsage: 'SIGN_VERIFY',
        EnableKeyRotation: Match.absent(),
        PendingWindowInDays: 30,
      });
    });

    test('aliases each key alias/<stack name>/<purpose>, or under a given prefix', () => {
      const aliases = (template: Template) => Object.values(template.findResources('AWS::KMS::Alias')).map((a) => a.Properties.AliasName).sort();
      expect(aliases(synth().template)).toEqual(['alias/Test/data', 'alias/Test/logs', 'alias/Test/secrets', 'alias/Test/signing']);
      expect(aliases(synth({ aliasPrefix: 'mcp/prod' }).template)).toEqual([
        'alias/mcp/prod/data', 'alias/mcp/prod/logs', 'alias/mcp/prod/secrets', 'alias/mcp/prod/signing',
      ]);
    });

    test('retains every key on stack deletion and replacement', () => {
      const keys = synth().template.findResources('AWS::KMS::Key');
      expect(Object.values(keys).map((k) => [k.DeletionPolicy, k.UpdateReplacePolicy])).toEqual(Array(4).fill(['Retain', 'Retain']));
    });

    test('applies the rotation period and pending window given', () => {
      const { template } = synth({ rotationPeriod: Duration.days(90), pendingWindow: Duration.days(7) });
      expect(template.findResources('AWS::KMS::Key', { Properties: { RotationPeriodInDays: 90, PendingWindowInDays: 7 } })).not.toEqual({});
      expect(Object.keys(template.findResources('AWS::KMS::Key', { Properties: { RotationPeriodInDays: 90 } }))).toHaveLength(3);
    });

    test('deletes the keys only when asked to', () => {
      const keys = synth({ removalPolicy: RemovalPolicy.DESTROY }).template.findResources('AWS::KMS::Key');
      expect(Object.values(keys).map((k) => k.DeletionPolicy)).toEqual(Array(4).fill('Delete'));
    });
  });

  describe('key policies', () => {
    test.each(['logs', 'data', 'secrets', 'signing'])('the %s key delegates to IAM through the account statement and names no administrator by default', (purpose) => {
      const statements = keyPolicyStatements(synth().template, purpose);
      expect(statements).toContainEqual({ Sid: 'EnableIamPolicies', Effect: 'Allow', Principal: { AWS: ACCOUNT_ROOT }, Action: 'kms:*', Resource: '*' });
      expect(statements.map((s) => s.Sid)).not.toContain('AllowKeyAdministration');
      expect(statements.filter((s) => s.Effect === 'Deny').map((s) => s.Sid)).toEqual(['DenyGrantsNotForAwsServices']);
    });

    // proves: zero-trust/least-privilege
    test.each(['logs', 'data', 'secrets', 'signing'])('the %s key denies every grant not made by or for an AWS service (CT.KMS.PR.3)', (purpose) => {
      expect(keyPolicyStatements(synth().template, purpose)).toContainEqual({
        Sid: 'DenyGrantsNotForAwsServices',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'kms:CreateGrant',
        Resource: '*',
        Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
      });
    });

    // proves: isolation/data
    test('lets CloudWatch Logs use the logs key for log groups of this account and region only', () => {
      const statements = keyPolicyStatements(synth().template, 'logs');
      expect(statements).toContainEqual({
        Sid: 'AllowCloudWatchLogsOfThisAccount',
        Effect: 'Allow',
        Principal: { Service: 'logs.us-east-1.amazonaws.com' },
        Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        Resource: '*',
        Condition: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:us-east-1:111111111111:log-group:*']] } },
        },
      });
    });

    test.each(['data', 'secrets', 'signing'])('gives no service principal access to the %s key', (purpose) => {
      const statements = keyPolicyStatements(synth().template, purpose);
      expect(statements.filter((s) => (s.Principal as Record<string, unknown>).Service !== undefined)).toEqual([]);
    });

    test.each(['logs', 'data', 'secrets', 'signing'])('gives administrators of the %s key administration only and denies them every cryptographic use', (purpose) => {
      // GIVEN
      const administrators = [new iam.ArnPrincipal(ADMIN_ARN)];
      // WHEN
      const statements = keyPolicyStatements(synth({ administrators }).template, purpose);
      // THEN
      expect(statements).toContainEqual({
        Sid: 'AllowKeyAdministration', Effect: 'Allow', Principal: { AWS: ADMIN_ARN }, Action: [...KEY_ADMINISTRATION_ACTIONS], Resource: '*',
      });
      expect(statements).toContainEqual({
        Sid: 'DenyCryptographicUseByKeyAdministrators', Effect: 'Deny', Principal: { AWS: ADMIN_ARN }, Action: [...CRYPTOGRAPHIC_ACTIONS], Resource: '*',
      });
    });

    // proves: zero-trust/least-privilege
    test('administration actions include no cryptographic operation, no grant creation and no wildcard', () => {
      const crypto = /^kms:(Encrypt|Decrypt|ReEncrypt|GenerateDataKey|GenerateMac|VerifyMac|Sign|Verify|DeriveSharedSecret|CreateGrant)/;
      expect(KEY_ADMINISTRATION_ACTIONS.filter((action) => crypto.test(action) || action.includes('*'))).toEqual([]);
      expect(KEY_ADMINISTRATION_ACTIONS).toEqual(expect.arrayContaining(['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:EnableKeyRotation']));
    });

    test('the administrator deny covers encryption, decryption, signing and grant creation', () => {
      expect(CRYPTOGRAPHIC_ACTIONS).toEqual(expect.arrayContaining([
        'kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Sign', 'kms:Verify', 'kms:CreateGrant',
      ]));
    });
  });

  describe('grants and service access', () => {
    test('grantSign allows kms:Sign on the signing key only', () => {
      // GIVEN
      const stack = newStack();
      const keys = new KeyRing(stack, 'Keys');
      const role = new iam.Role(stack, 'Gateway', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      // WHEN
      keys.grantSign(role);
      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'kms:Sign', Resource: { 'Fn::GetAtt': [stack.getLogicalId(keys.signing.node.defaultChild as never), 'Arn'] } }] },
      });
    });

    test('grantVerify allows reading the public key and verifying, not signing', () => {
      const stack = newStack();
      const keys = new KeyRing(stack, 'Keys');
      const role = new iam.Role(stack, 'Verifier', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      keys.grantVerify(role);
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['kms:GetPublicKey', 'kms:Verify'], Resource: { 'Fn::GetAtt': [stack.getLogicalId(keys.signing.node.defaultChild as never), 'Arn'] } }] },
      });
    });

    test('allowCloudTrail lets CloudTrail encrypt with the logs key for that trail and this account only', () => {
      // GIVEN
      const stack = newStack();
      const keys = new KeyRing(stack, 'Keys');
      const trailArn = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/audit';
      // WHEN
      keys.allowCloudTrail(trailArn);
      // THEN
      const statements = keyPolicyStatements(Template.fromStack(stack), 'logs');
      expect(statements).toContainEqual({
        Sid: 'AllowCloudTrailToEncryptLogs',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:GenerateDataKey*',
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:SourceArn': trailArn },
          StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudtrail:*:111111111111:trail/*']] } },
        },
      });
      expect(statements).toContainEqual({
        Sid: 'AllowCloudTrailToDescribeKey',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:DescribeKey',
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceArn': trailArn } },
      });
    });

    test('allowCloudWatchAlarms lets alarms of this account and region use the logs key, once however often it is called', () => {
      const stack = newStack();
      const keys = new KeyRing(stack, 'Keys');
      keys.allowCloudWatchAlarms();
      keys.allowCloudWatchAlarms();
      const alarmStatements = keyPolicyStatements(Template.fromStack(stack), 'logs').filter((s) => s.Sid === 'AllowCloudWatchAlarmsOfThisAccount');
      expect(alarmStatements).toEqual([{
        Sid: 'AllowCloudWatchAlarmsOfThisAccount',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Resource: '*',
        Condition: {
          StringEquals: { 'aws:SourceAccount': '111111111111' },
          ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:us-east-1:111111111111:alarm:*']] } },
        },
      }]);
    });
  });

  describe('validation', () => {
    const attempt = (props: KeyRingProps) => () => new KeyRing(newStack(), 'Keys', props);

    test('fails for a rotation period outside 90 to 365 days', () => {
      expect(attempt({ rotationPeriod: Duration.days(30) })).toThrow(/rotationPeriod must be a whole number of days from 90 to 365, got 30 days/);
      expect(attempt({ rotationPeriod: Duration.days(400) })).toThrow(/rotationPeriod must be a whole number of days from 90 to 365, got 400 days/);
      expect(attempt({ rotationPeriod: Duration.hours(2200) })).toThrow(/rotationPeriod must be a whole number of days/);
    });

    test('fails for a pending window outside 7 to 30 days', () => {
      expect(attempt({ pendingWindow: Duration.days(3) })).toThrow(/pendingWindow must be a whole number of days from 7 to 30, got 3 days/);
    });

    test('fails for an alias prefix KMS refuses', () => {
      expect(attempt({ aliasPrefix: 'aws/mine' })).toThrow(/aliasPrefix must contain only .* and not start with 'aws', got 'aws\/mine'/);
      expect(attempt({ aliasPrefix: 'my keys' })).toThrow(/aliasPrefix must contain only/);
    });

    test('fails listing every problem at once', () => {
      expect(attempt({ aliasPrefix: 'aws', rotationPeriod: Duration.days(1), pendingWindow: Duration.days(31) })).toThrow(
        /KeyRing Test\/Keys:\n {2}- aliasPrefix[\s\S]*\n {2}- rotationPeriod[\s\S]*\n {2}- pendingWindow/,
      );
    });
  });

  test('declares the principles it implements', () => {
    expect(declaredPrinciples(synth().keys)).toEqual(['secure-by-default/encryption', 'defense-in-depth/data', 'isolation/data', 'zero-trust/least-privilege']);
  });

  describe('passes the gate', () => {
    test('with defaults', () => {
      expectGateClean(synth().stack);
    });

    test('with administrators and service access', () => {
      expectGateClean(withAdministratorsAndServiceAccess());
    });

    test('with grants, for the keys (the grantee role belongs to its owner)', () => {
      const stack = newStack();
      const keys = new KeyRing(stack, 'Keys');
      const role = new iam.Role(stack, 'Gateway', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      keys.grantSign(role);
      keys.grantVerify(role);
      expectGateClean(keys);
    });
  });

  test('passes the Control Tower proactive controls, with administrators and service access', () => {
    expectControlTowerClean(withAdministratorsAndServiceAccess());
  });
});
