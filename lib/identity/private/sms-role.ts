import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge } from '../../gate/acknowledge';

/**
 * The role Cognito assumes to send SMS codes, with a customer managed policy (never inline)
 * that can publish to phone numbers but to no SNS topic. Assumable only by Cognito, only with
 * `externalId`, only on behalf of this account.
 */
export function createSmsRole(scope: Construct, externalId: string): iam.Role {
  const stack = Stack.of(scope);
  const role = new iam.Role(scope, 'SmsRole', {
    description: 'Lets Amazon Cognito send MFA codes by SMS for the MCP user pool',
    assumedBy: new iam.ServicePrincipal('cognito-idp.amazonaws.com', {
      conditions: {
        StringEquals: { 'sts:ExternalId': externalId, 'aws:SourceAccount': stack.account },
      },
    }),
  });
  const policy = new iam.ManagedPolicy(scope, 'SmsPolicy', {
    description: 'SMS publishing for Cognito MFA codes; topics are denied',
    roles: [role],
    statements: [
      new iam.PolicyStatement({ sid: 'PublishSmsToPhoneNumbers', actions: ['sns:Publish'], resources: ['*'] }),
      new iam.PolicyStatement({
        sid: 'DenyPublishToTopics',
        effect: iam.Effect.DENY,
        actions: ['sns:Publish'],
        resources: [`arn:${stack.partition}:sns:*:*:*`],
      }),
    ],
  });
  const reason = 'SNS Publish to a phone number (SMS) has no resource ARN; publishing to any SNS topic is ' +
    'explicitly denied and the role is assumable only by Cognito with this pool\'s external id';
  acknowledge(policy,
    { id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]', reason },
    { id: 'Mcp::Mcp-IamNoWildcardPermissions[Action::sns:Publish::Resource::*]', reason },
  );
  return role;
}
