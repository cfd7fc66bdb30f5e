import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { mcpFindings, testStack } from './findings';
import { acknowledge, IamNoWildcardPermissions } from '../../../lib/gate';
import { gateFindings } from '../../support/gate';

const RULE = 'Mcp-IamNoWildcardPermissions';

function taskRole(stack: Stack): iam.Role {
  return new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
}

describe('IamNoWildcardPermissions', () => {
  test('grants scoped to one bucket are compliant, prefix wildcards included', () => {
    const stack = testStack();
    new s3.Bucket(stack, 'Bucket').grantRead(taskRole(stack));
    expect(mcpFindings(stack, IamNoWildcardPermissions)).toEqual([]);
  });

  test('reports a service-wide action even on a scoped resource', () => {
    const stack = testStack();
    const bucket = new s3.Bucket(stack, 'Bucket');
    taskRole(stack).addToPolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: [bucket.bucketArn] }));
    expect(mcpFindings(stack, IamNoWildcardPermissions)).toEqual([`${RULE}[Action::s3:*] at Test/Role/DefaultPolicy/Resource`]);
  });

  test('reports each action granted on an account-wide resource, in inline and managed policies', () => {
    const stack = testStack();
    new iam.Role(stack, 'Inline', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      inlinePolicies: {
        Read: new iam.PolicyDocument({
          statements: [new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:ListBucket'], resources: ['arn:aws:s3:::*'] })],
        }),
      },
    });
    new iam.ManagedPolicy(stack, 'Managed', {
      statements: [new iam.PolicyStatement({ actions: ['*'], resources: ['*'] })],
    });
    expect(mcpFindings(stack, IamNoWildcardPermissions)).toEqual([
      `${RULE}[Action::s3:GetObject::Resource::arn:aws:s3:::*] at Test/Inline/Resource`,
      `${RULE}[Action::s3:ListBucket::Resource::arn:aws:s3:::*] at Test/Inline/Resource`,
      `${RULE}[Action::*] at Test/Managed/Resource`,
      `${RULE}[Action::*::Resource::*] at Test/Managed/Resource`,
    ]);
  });

  test('sees through Fn::Join: every log group of the account is account-wide, a prefix is not', () => {
    const stack = testStack();
    const logGroups = (resourceName: string) =>
      stack.formatArn({ service: 'logs', resource: 'log-group', resourceName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const role = taskRole(stack);
    role.addToPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream'], resources: [logGroups('*')] }));
    role.addToPolicy(new iam.PolicyStatement({ actions: ['logs:PutLogEvents'], resources: [logGroups('/mcp/*')] }));
    expect(mcpFindings(stack, IamNoWildcardPermissions)).toEqual([
      `${RULE}[Action::logs:CreateLogStream::Resource::arn:<AWS::Partition>:logs:us-east-1:111111111111:log-group:*] at Test/Role/DefaultPolicy/Resource`,
    ]);
  });

  test('reports NotAction and NotResource in Allow statements and ignores Deny statements', () => {
    const stack = testStack();
    const role = taskRole(stack);
    role.addToPolicy(new iam.PolicyStatement({ notActions: ['iam:*'], notResources: ['arn:aws:s3:::audit/*'] }));
    role.addToPolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['*'], resources: ['*'] }));
    expect(mcpFindings(stack, IamNoWildcardPermissions)).toEqual([
      `${RULE}[NotAction] at Test/Role/DefaultPolicy/Resource`,
      `${RULE}[NotResource] at Test/Role/DefaultPolicy/Resource`,
    ]);
  });

  test('an acknowledgement of one action on * does not cover an action added later', () => {
    // GIVEN an execution role that pulls from ECR: ecr:GetAuthorizationToken exists only on *
    const stack = testStack();
    const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Task');
    taskDefinition.addContainer('mcp', { image: ecs.ContainerImage.fromEcrRepository(new ecr.Repository(stack, 'Repo')) });
    const executionPolicy = 'Test/Task/ExecutionRole/DefaultPolicy/Resource';
    const mcpWildcards = () => gateFindings(stack).filter((f) => f.id.startsWith(`Mcp::${RULE}`)).map((f) => `${f.id} at ${f.path}`);
    expect(mcpWildcards()).toEqual([`Mcp::${RULE}[Action::ecr:GetAuthorizationToken::Resource::*] at ${executionPolicy}`]);

    // WHEN it is acknowledged on the role, and another action is then granted on *
    acknowledge(taskDefinition.obtainExecutionRole(), {
      id: `Mcp::${RULE}[Action::ecr:GetAuthorizationToken::Resource::*]`,
      reason: 'ecr:GetAuthorizationToken supports no resource-level permissions; the token only lets the role pull images it may read.',
    });
    expect(mcpWildcards()).toEqual([]);
    taskDefinition.obtainExecutionRole().addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ssm:GetParameters'], resources: ['*'] }));

    // THEN only the new grant is reported
    expect(mcpWildcards()).toEqual([`Mcp::${RULE}[Action::ssm:GetParameters::Resource::*] at ${executionPolicy}`]);
  });
});
