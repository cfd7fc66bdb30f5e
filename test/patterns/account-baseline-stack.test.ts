import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AccountBaselineStack } from '../../patterns/baseline/account-baseline-stack';
import { expectControlTowerClean } from '../support/cfn-guard';
import { expectGateClean } from '../support/gate';

describe('AccountBaselineStack', () => {
  const app = new App();
  const stack = new AccountBaselineStack(app, 'Baseline', { env: { account: '111111111111', region: 'us-east-1' } });
  const template = Template.fromStack(stack);

  // proves: secure-by-default/monitoring
  test('holds the account-level singletons exactly once', () => {
    template.resourceCountIs('AWS::CloudTrail::Trail', 1);
    template.resourceCountIs('AWS::GuardDuty::Detector', 1);
    template.resourceCountIs('AWS::SecurityHub::Hub', 1);
    template.hasResourceProperties('AWS::CloudTrail::Trail', { IsMultiRegionTrail: true, EnableLogFileValidation: true });
    template.hasResourceProperties('AWS::S3::Bucket', { ObjectLockEnabled: true });
  });

  test('is gate clean', () => {
    expectGateClean(stack);
  });

  test('is Control Tower clean', () => {
    expectControlTowerClean(stack);
  });
});
