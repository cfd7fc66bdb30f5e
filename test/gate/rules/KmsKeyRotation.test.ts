import { Duration } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { mcpFindings, testStack } from './findings';
import { KeyRing } from '../../../lib/encryption';
import { KmsKeyRotation } from '../../../lib/gate';

describe('KmsKeyRotation', () => {
  test('the KeyRing is compliant: rotating symmetric keys and an asymmetric signing key', () => {
    const stack = testStack();
    new KeyRing(stack, 'Keys');
    new kms.Key(stack, 'Hmac', { keySpec: kms.KeySpec.HMAC_256, keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC });
    expect(mcpFindings(stack, KmsKeyRotation)).toEqual([]);
  });

  test('reports a symmetric key without rotation', () => {
    const stack = testStack();
    new kms.Key(stack, 'Key');
    expect(mcpFindings(stack, KmsKeyRotation)).toEqual(['Mcp-KmsKeyRotation[EnableKeyRotation] at Test/Key/Resource']);
  });

  test('reports a rotation period longer than a year', () => {
    const stack = testStack();
    new kms.Key(stack, 'Key', { enableKeyRotation: true, rotationPeriod: Duration.days(730) });
    expect(mcpFindings(stack, KmsKeyRotation)).toEqual(['Mcp-KmsKeyRotation[RotationPeriodInDays::730] at Test/Key/Resource']);
  });
});
