import * as logs from 'aws-cdk-lib/aws-logs';
import { mcpFindings, testStack } from './findings';
import { KeyRing } from '../../../lib/encryption';
import { LogGroupKmsEncrypted } from '../../../lib/gate';
import { SecureLogGroup } from '../../../lib/logging';

describe('LogGroupKmsEncrypted', () => {
  test('a SecureLogGroup encrypted with the KeyRing logs key is compliant', () => {
    const stack = testStack();
    new SecureLogGroup(stack, 'Logs', { encryptionKey: new KeyRing(stack, 'Keys').logs });
    expect(mcpFindings(stack, LogGroupKmsEncrypted)).toEqual([]);
  });

  test('reports a log group without a KMS key', () => {
    const stack = testStack();
    new logs.LogGroup(stack, 'Plain', { retention: logs.RetentionDays.ONE_YEAR });
    expect(mcpFindings(stack, LogGroupKmsEncrypted)).toEqual(['Mcp-LogGroupKmsEncrypted at Test/Plain/Resource']);
  });
});
