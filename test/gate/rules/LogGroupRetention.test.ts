import { CfnParameter } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { firstDescription, mcpFindings, testStack } from './findings';
import { KeyRing } from '../../../lib/encryption';
import { LogGroupRetention } from '../../../lib/gate';
import { SecureLogGroup } from '../../../lib/logging';

describe('LogGroupRetention', () => {
  test('one year or more is compliant', () => {
    const stack = testStack();
    new SecureLogGroup(stack, 'Logs', { encryptionKey: new KeyRing(stack, 'Keys').logs });
    new logs.LogGroup(stack, 'TenYears', { retention: logs.RetentionDays.TEN_YEARS });
    expect(mcpFindings(stack, LogGroupRetention)).toEqual([]);
  });

  test('reports a retention under a year and a log group that keeps logs forever', () => {
    const stack = testStack();
    new logs.LogGroup(stack, 'Month', { retention: logs.RetentionDays.ONE_MONTH });
    new logs.LogGroup(stack, 'Forever', { retention: logs.RetentionDays.INFINITE });
    expect(mcpFindings(stack, LogGroupRetention)).toEqual([
      'Mcp-LogGroupRetention at Test/Month/Resource',
      'Mcp-LogGroupRetention at Test/Forever/Resource',
    ]);
  });

  test('fails closed on a retention that is only known at deploy time', () => {
    const stack = testStack();
    const days = new CfnParameter(stack, 'Days', { type: 'Number' });
    new logs.CfnLogGroup(stack, 'Parameterized', { retentionInDays: days.valueAsNumber });
    expect(mcpFindings(stack, LogGroupRetention)).toEqual(['Mcp-LogGroupRetention at Test/Parameterized']);
    expect(firstDescription(stack, LogGroupRetention)).toMatch(/Rule threw an error/);
  });
});
