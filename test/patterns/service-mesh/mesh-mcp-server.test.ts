import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { getAtt, logicalId, resourcesOf, serviceMeshStack, TICKETS_TABLE_ARN } from './fixture';
import { MeshMcpServer, ServiceMeshStack } from '../../../patterns/service-mesh';
import { patternTestProps, testServer } from '../shared/fixtures';

type Statement = { Effect: string; Action: unknown; Resource: unknown };

describe('MeshMcpServer', () => {
  // GIVEN the pattern with `notes` (no AWS access) and `tickets` (one DynamoDB read)
  const stack = serviceMeshStack();
  const template = Template.fromStack(stack);
  const [notes, tickets] = stack.servers;
  const signingKeyArn = getAtt(stack.platform.keys.signing, 'Arn');

  /** The statements of every policy attached to the task role of `server`. */
  function taskRoleStatements(server: MeshMcpServer): Statement[] {
    const role = { Ref: logicalId(server.service.taskRole) };
    const attached = (roles: unknown) => JSON.stringify(roles ?? []).includes(JSON.stringify(role));
    const managed = Object.values(resourcesOf(template, 'AWS::IAM::ManagedPolicy')).filter((policy) => attached(policy.Properties.Roles));
    const inline = Object.values(resourcesOf(template, 'AWS::IAM::Policy')).filter((policy) => attached(policy.Properties.Roles));
    expect(inline).toEqual([]);
    expect(resourcesOf(template, 'AWS::IAM::Role')[logicalId(server.service.taskRole)].Properties.ManagedPolicyArns).toBeUndefined();
    return managed.flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
  }

  // proves: zero-trust/least-privilege
  test('lets a server without AWS access only read the public key of the gateway\'s signing key', () => {
    expect(taskRoleStatements(notes)).toEqual([{ Effect: 'Allow', Action: 'kms:GetPublicKey', Resource: signingKeyArn }]);
  });

  test('adds the spec\'s AWS access and nothing else', () => {
    expect(taskRoleStatements(tickets)).toEqual([
      { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: TICKETS_TABLE_ARN },
      { Effect: 'Allow', Action: 'kms:GetPublicKey', Resource: signingKeyArn },
    ]);
  });

  // proves: zero-trust/continuous-verification
  test('tells each server to accept only tokens the gateway signed for its own URL', () => {
    const upstreams = stack.resolve(stack.gateway.configDocument.upstreams) as Array<{ name: string; url: string; audience?: string }>;
    const publicUrl = stack.resolve(stack.gateway.configDocument.server.publicUrl);
    expect(publicUrl).toEqual('https://mcp.example.com/mcp');
    for (const [server, port] of [[notes, 8080], [tickets, 9000]] as const) {
      const upstream = upstreams.find((candidate) => candidate.name === server.alias)!;
      // The gateway mints tokens with aud = url when no audience is set, and iss = its public URL.
      expect(upstream.audience).toBeUndefined();
      const task = resourcesOf(template, 'AWS::ECS::TaskDefinition')[logicalId(server.service.taskDefinition)];
      const [container] = task.Properties.ContainerDefinitions as Array<{ Environment: Array<{ Name: string; Value: unknown }> }>;
      expect(Object.fromEntries(container.Environment.map((variable) => [variable.Name, variable.Value]))).toEqual({
        PORT: String(port),
        MCP_PATH: '/mcp',
        GATEWAY_SIGNING_KEY_ARN: signingKeyArn,
        GATEWAY_ISSUER: publicUrl,
        SERVER_AUDIENCE: upstream.url,
      });
    }
  });

  test('publishes the server in the mesh under its spec\'s name and port', () => {
    expect(notes.endpoint).toEqual({ alias: 'notes', port: 8080, url: 'http://notes:8080' });
    expect(tickets.endpoint).toEqual({ alias: 'tickets', port: 9000, url: 'http://tickets:9000' });
  });

  test('injects the spec\'s secrets from Secrets Manager, not as plain environment', () => {
    // GIVEN a server spec with a secret
    const app = new App();
    const props = patternTestProps(app);
    const arn = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:notes-db-AbCdEf';
    const secret = secretsmanager.Secret.fromSecretCompleteArn(app.node.findChild('Baseline') as Stack, 'NotesDb', arn);
    // WHEN
    const withSecret = new ServiceMeshStack(app, 'WithSecret', { ...props, servers: [testServer('notes', { secrets: { DB_PASSWORD: secret } })] });
    // THEN
    const task = resourcesOf(Template.fromStack(withSecret), 'AWS::ECS::TaskDefinition')[logicalId(withSecret.servers[0].service.taskDefinition)];
    const [container] = task.Properties.ContainerDefinitions as Array<{ Secrets: unknown; Environment: Array<{ Name: string }> }>;
    expect(container.Secrets).toEqual([{ Name: 'DB_PASSWORD', ValueFrom: arn }]);
    expect(container.Environment.map((variable) => variable.Name)).not.toContain('DB_PASSWORD');
  });

  test('fails when the gateway was given another URL than the mesh publishes', () => {
    const other = serviceMeshStack({ servers: [testServer('notes')] });
    expect(() => new MeshMcpServer(other, 'Extra', {
      spec: testServer('extra'),
      cluster: other.platform.cluster.cluster,
      vpcSubnets: other.platform.network.workloadSubnets,
      mesh: other.mesh,
      gatewaySecurityGroup: other.gateway.securityGroup,
      gatewaySigningKey: other.platform.keys.signing,
      gatewayIssuer: other.platform.resource,
      url: 'http://extra:9090/mcp',
      logKey: other.platform.keys.logs,
      logRetention: logs.RetentionDays.ONE_YEAR,
    })).toThrow(/MeshMcpServer ServiceMesh\/Extra: the mesh publishes the server at 'http:\/\/extra:8080\/mcp', but the gateway was given 'http:\/\/extra:9090\/mcp'/);
  });
});
