import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as vpclattice from 'aws-cdk-lib/aws-vpclattice';
import { Construct } from 'constructs';
import { SecureLogGroup } from '../../logging/secure-log-group';

/**
 * VPC Lattice access logs (one entry per request: caller principal, path, status) into a
 * KMS-encrypted log group under /aws/vendedlogs/, which log delivery may write to.
 */
export function latticeAccessLogs(scope: Construct, resourceIdentifier: string, key: kms.IKey, name: string): SecureLogGroup {
  const stack = Stack.of(scope);
  const logs = new SecureLogGroup(scope, 'AccessLogs', {
    encryptionKey: key,
    logGroupName: `/aws/vendedlogs/vpc-lattice/${name}`,
  });
  logs.logGroup.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowLatticeLogDelivery',
    principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
    actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    resources: [`${logs.logGroup.logGroupArn}:log-stream:*`],
    conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
  }));
  new vpclattice.CfnAccessLogSubscription(scope, 'AccessLogSubscription', {
    resourceIdentifier,
    destinationArn: logs.logGroup.logGroupArn,
  });
  return logs;
}
