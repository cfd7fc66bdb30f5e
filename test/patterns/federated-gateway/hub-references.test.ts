import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { errorOf } from './fixtures';
import {
  checkSigningKeyAlias, federatedGatewayRoleArn, hubSigningKeyAliasArn, nameGatewayRole,
} from '../../../patterns/federated-gateway';

describe('hub references', () => {
  const stack = new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-east-1' } });

  test('build the gateway role and signing key ARNs from the hub account and the project name alone', () => {
    expect(stack.resolve(federatedGatewayRoleArn(stack, '333333333333', 'acme'))).toEqual(
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::333333333333:role/acme-federated-gateway']] });
    expect(stack.resolve(hubSigningKeyAliasArn(stack, '333333333333', 'acme'))).toEqual(
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:us-east-1:333333333333:alias/acme/signing']] });
  });

  test('fails to name a role that was not created in the app', () => {
    const imported = iam.Role.fromRoleName(stack, 'Imported', 'someone-elses-role');
    expect(errorOf(() => nameGatewayRole(imported, 'acme'))).toMatch(/is not a role created in this app; it cannot be given a fixed name/);
  });

  test('fails when the signing key is not aliased as the spokes read it', () => {
    const key = new kms.Key(stack, 'Signing', { alias: 'alias/other/signing' });
    expect(errorOf(() => checkSigningKeyAlias(key, 'acme')))
      .toMatch(/spokes read the gateway's signing key as 'alias\/acme\/signing', but its aliases are 'alias\/other\/signing'/);
  });
});
