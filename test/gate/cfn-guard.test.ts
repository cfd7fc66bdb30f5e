import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { acknowledge } from '../../lib/gate';
import { SecureLogGroup } from '../../lib/logging';
import {
  cfnGuardStacks, controlTowerRuleFiles, DISABLED_GUARD_RULES, formatGuardFailures, GuardFailure, runCfnGuard, templatesIn,
} from '../support/cfn-guard';

const ENV = { account: '111111111111', region: 'us-east-1' };
const LOG_KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555';
const UNENCRYPTED_LOG_GROUP = { control: 'CT.CLOUDWATCH.PR.3', rule: 'cloudwatch_log_group_encrypted_check', ruleFile: 'ct-cloudwatch-pr-3' };

/** Control id and construct path of each failure, sorted: what the tests compare. */
const summary = (failures: GuardFailure[]) => failures.map((f) => `${f.control} ${f.constructPath ?? f.logicalId}`).sort();

describe('cfn-guard with the Control Tower rules', () => {
  let failures: GuardFailure[];
  beforeAll(() => {
    // GIVEN three stacks of one app: a deliberately bad one, a good one, and a bad one whose finding is acknowledged
    const app = new App();
    const bad = new Stack(app, 'Bad', { env: ENV });
    new logs.LogGroup(bad, 'Plain', { retention: logs.RetentionDays.ONE_YEAR });
    const good = new Stack(app, 'Good', { env: ENV });
    new SecureLogGroup(good, 'Logs', { encryptionKey: kms.Key.fromKeyArn(good, 'Key', LOG_KEY_ARN) });
    const acknowledged = new Stack(app, 'Acknowledged', { env: ENV });
    const group = new logs.LogGroup(acknowledged, 'Plain', { retention: logs.RetentionDays.ONE_YEAR });
    acknowledge(group, { id: `cdk-validator-cfnguard::${UNENCRYPTED_LOG_GROUP.rule}`, reason: 'Test of acknowledgements; the group holds no data.' });
    // WHEN
    failures = cfnGuardStacks([bad, good, acknowledged]);
  });

  test('finds the unencrypted log group, with its rule, control, logical id and construct path', () => {
    expect(failures.filter((f) => f.template === 'Bad.template.json')).toEqual([
      expect.objectContaining({
        ...UNENCRYPTED_LOG_GROUP,
        logicalId: expect.stringMatching(/^Plain[0-9A-F]{8}$/),
        constructPath: 'Bad/Plain/Resource',
        message: 'Require an Amazon CloudWatch log group to be encrypted at rest with an AWS KMS key',
      }),
    ]);
  });

  test('passes the KMS-encrypted SecureLogGroup', () => {
    expect(formatGuardFailures(failures.filter((f) => f.template === 'Good.template.json'))).toEqual('');
  });

  test('honours an acknowledgement on the resource', () => {
    expect(failures.filter((f) => f.template === 'Acknowledged.template.json')).toEqual([]);
  });
});

describe('runCfnGuard', () => {
  test('checks the templates of a cloud assembly directory, and runs disabled rules only when asked', () => {
    // GIVEN a synthesized app with a bucket that publishes no event notifications (CT.S3.PR.4, disabled)
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-guard-cdk-out-'));
    const app = new App({ outdir });
    new s3.Bucket(new Stack(app, 'Assembly', { env: ENV }), 'Bucket');
    app.synth();
    // WHEN
    const withDefaults = runCfnGuard(templatesIn(outdir));
    const withEverything = runCfnGuard(templatesIn(outdir), { disabledRules: [] });
    // THEN
    expect(summary(withDefaults)).toContain('CT.S3.PR.2 Bucket83908E77');
    expect(summary(withDefaults)).not.toContain('CT.S3.PR.4 Bucket83908E77');
    expect(summary(withEverything)).toContain('CT.S3.PR.4 Bucket83908E77');
  });
});

describe('DISABLED_GUARD_RULES', () => {
  test('names existing rule files with their control id and a reason', () => {
    const ruleFiles = controlTowerRuleFiles();
    for (const disabled of DISABLED_GUARD_RULES) {
      expect(ruleFiles.has(disabled.ruleFile)).toBe(true);
      expect(disabled.control).toBe(disabled.ruleFile.toUpperCase().replace(/^CT-(.+)-PR-(\d+)$/, 'CT.$1.PR.$2'));
      expect(disabled.reason.length).toBeGreaterThan(80);
    }
    expect(ruleFiles.size).toBeGreaterThan(200);
  });
});
