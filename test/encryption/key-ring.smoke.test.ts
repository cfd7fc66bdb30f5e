import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { KeyRing } from '../../lib/encryption';
import { SecureLogGroup } from '../../lib/logging';
import { expectGateClean } from '../support/gate';

test('a key ring and an encrypted log group pass the gate', () => {
  const stack = new Stack(new App(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
  const keys = new KeyRing(stack, 'Keys');
  new SecureLogGroup(stack, 'Logs', { encryptionKey: keys.logs });
  Template.fromStack(stack).resourceCountIs('AWS::KMS::Key', 4);
  expectGateClean(stack);
});
