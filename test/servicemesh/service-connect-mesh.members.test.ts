import { App, CfnElement, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';
import { mcpServer, mesh, meshFixture, MeshFixture } from './fixture';
import { McpServerService, SecureCluster } from '../../lib/compute';
import { ServiceConnectMesh } from '../../lib/servicemesh';
import { expectControlTowerClean } from '../support/cfn-guard';
import { expectGateClean } from '../support/gate';
import { standInVpc, testStack } from '../support/stand-ins';

const logicalId = (construct: IConstruct) =>
  Stack.of(construct).getLogicalId(construct instanceof CfnElement ? construct : construct.node.defaultChild as CfnElement);
const arnOf = (construct: IConstruct) => ({ 'Fn::GetAtt': [logicalId(construct), 'Arn'] });

/** The resource of the ECS service of `server` in the synthesized template. */
function serviceResource(template: Template, server: McpServerService) {
  return template.findResources('AWS::ECS::Service')[logicalId(server.service)];
}

/**
 * A Fargate service whose container maps port 9000 under the name 'mcp', as a cleaner
 * McpServerService would; with the HTTP application protocol unless `protocol` is 'tcp'.
 */
function namedPortService(fixture: MeshFixture, protocol: 'http' | 'tcp' = 'http'): ecs.FargateService {
  const appProtocol = protocol === 'http' ? ecs.AppProtocol.http : undefined;
  const taskDefinition = new ecs.FargateTaskDefinition(fixture.subject, 'NamedTask');
  taskDefinition.addContainer('Server', {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/node:22-alpine'),
    portMappings: [{ containerPort: 9000, name: 'mcp', appProtocol }],
  });
  return new ecs.FargateService(fixture.subject, 'NamedService', { cluster: fixture.cluster.cluster, taskDefinition });
}

describe('ServiceConnectMesh.addServer', () => {
  test('publishes the server under its alias with TLS from the mesh CA, the TLS key and the TLS role', () => {
    // GIVEN
    const fixture = meshFixture();
    const created = mesh(fixture);
    const notes = mcpServer(fixture, 'Notes');

    // WHEN
    const endpoint = created.addServer(notes.service, { alias: 'notes', port: 8080 });

    // THEN
    expect(endpoint).toEqual({ alias: 'notes', port: 8080, url: 'http://notes:8080' });
    Template.fromStack(fixture.stack).hasResourceProperties('AWS::ECS::Service', {
      ServiceConnectConfiguration: {
        Enabled: true,
        Namespace: arnOf(created.namespace),
        Services: [{
          PortName: 'mcp',
          DiscoveryName: 'notes',
          ClientAliases: [{ DnsName: 'notes', Port: 8080 }],
          Timeout: { IdleTimeoutSeconds: 300, PerRequestTimeoutSeconds: 0 },
          Tls: {
            IssuerCertificateAuthority: { AwsPcaAuthorityArn: { 'Fn::GetAtt': [logicalId(created.certificateAuthority), 'Arn'] } },
            KmsKey: arnOf(fixture.keys.data),
            RoleArn: arnOf(created.tlsRole),
          },
        }],
        AccessLogConfiguration: { Format: 'JSON', IncludeQueryParameters: 'DISABLED' },
        LogConfiguration: {
          LogDriver: 'awslogs',
          Options: Match.objectLike({
            'awslogs-group': { Ref: logicalId(created.logGroup.logGroup) },
            'awslogs-stream-prefix': 'notes',
            'mode': 'blocking',
          }),
        },
      },
    });
  });

  test('names an unnamed port mapping after the alias, with the HTTP protocol, without duplicating it', () => {
    const fixture = meshFixture();
    const notes = mcpServer(fixture, 'Notes');
    // McpServerService names its mapping; start from an unnamed one as other services have.
    notes.container.portMappings.splice(0, 1, { containerPort: 8080, protocol: ecs.Protocol.TCP });
    mesh(fixture).addServer(notes.service, { alias: 'notes', port: 8080 });
    Template.fromStack(fixture.stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({
        Name: 'mcp-server',
        PortMappings: [{ ContainerPort: 8080, Protocol: 'tcp', Name: 'notes', AppProtocol: 'http' }],
      })],
    });
    expect(notes.taskDefinition.findPortMappingByName('notes')?.containerPort).toBe(8080);
  });

  test('keeps the name of a named port mapping and still registers the alias as the discovery name', () => {
    const fixture = meshFixture();
    const service = namedPortService(fixture);
    const endpoint = mesh(fixture).addServer(service, { alias: 'notes', port: 9000 });
    const template = Template.fromStack(fixture.stack);
    template.hasResourceProperties('AWS::ECS::Service', {
      ServiceConnectConfiguration: Match.objectLike({
        Services: [Match.objectLike({ PortName: 'mcp', DiscoveryName: 'notes', ClientAliases: [{ DnsName: 'notes', Port: 9000 }] })],
      }),
    });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ PortMappings: [{ ContainerPort: 9000, Protocol: 'tcp', Name: 'mcp', AppProtocol: 'http' }] })],
    });
    expect(endpoint.url).toBe('http://notes:9000');
  });

  test('sets no per-request timeout on a port mapping named without an application protocol (plain TCP)', () => {
    const fixture = meshFixture();
    const service = namedPortService(fixture, 'tcp');
    mesh(fixture).addServer(service, { alias: 'notes', port: 9000 });
    Template.fromStack(fixture.stack).hasResourceProperties('AWS::ECS::Service', {
      ServiceConnectConfiguration: Match.objectLike({
        Services: [Match.objectLike({ PortName: 'mcp', Timeout: { IdleTimeoutSeconds: 300, PerRequestTimeoutSeconds: Match.absent() } })],
      }),
    });
  });

  test('takes the client port and timeouts from options', () => {
    const fixture = meshFixture();
    const notes = mcpServer(fixture, 'Notes');
    const endpoint = mesh(fixture).addServer(notes.service, {
      alias: 'notes',
      port: 8080,
      clientPort: 80,
      idleTimeout: Duration.minutes(15),
      perRequestTimeout: Duration.minutes(2),
    });
    expect(endpoint.url).toBe('http://notes:80');
    Template.fromStack(fixture.stack).hasResourceProperties('AWS::ECS::Service', {
      ServiceConnectConfiguration: Match.objectLike({
        Services: [Match.objectLike({
          ClientAliases: [{ DnsName: 'notes', Port: 80 }],
          Timeout: { IdleTimeoutSeconds: 900, PerRequestTimeoutSeconds: 120 },
        })],
      }),
    });
  });

  test('is created after the CA is active and the TLS policy exists, and deleted before them', () => {
    const fixture = meshFixture();
    const created = mesh(fixture);
    const notes = mcpServer(fixture, 'Notes');
    created.addServer(notes.service, { alias: 'notes', port: 8080 });
    const dependsOn = serviceResource(Template.fromStack(fixture.stack), notes).DependsOn as string[];
    expect(dependsOn).toEqual(expect.arrayContaining([
      expect.stringMatching(/^SubjectMeshActivation/),
      expect.stringMatching(/^SubjectMeshTlsPolicy/),
    ]));
  });

  test('lets the execution role write the proxy logs to the mesh log group', () => {
    const fixture = meshFixture();
    const created = mesh(fixture);
    const notes = mcpServer(fixture, 'Notes');
    created.addServer(notes.service, { alias: 'notes', port: 8080 });
    Template.fromStack(fixture.stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: logicalId(notes.executionRole) }],
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: arnOf(created.logGroup.logGroup),
        }]),
      },
    });
  });

  test('publishes several servers, each under its own alias', () => {
    const fixture = meshFixture();
    const created = mesh(fixture);
    const notes = mcpServer(fixture, 'Notes');
    const tickets = mcpServer(fixture, 'Tickets', { port: 3000 });
    created.addServer(notes.service, { alias: 'notes', port: 8080 });
    created.addServer(tickets.service, { alias: 'tickets', port: 3000 });
    const template = Template.fromStack(fixture.stack);
    expect(serviceResource(template, notes).Properties.ServiceConnectConfiguration.Services[0].ClientAliases).toEqual([{ DnsName: 'notes', Port: 8080 }]);
    expect(serviceResource(template, tickets).Properties.ServiceConnectConfiguration.Services[0].ClientAliases).toEqual([{ DnsName: 'tickets', Port: 3000 }]);
  });
});

describe('ServiceConnectMesh.addClient', () => {
  test('joins the namespace without publishing anything, logging calls under the client name', () => {
    // GIVEN
    const fixture = meshFixture();
    const created = mesh(fixture);
    const gateway = mcpServer(fixture, 'Gateway', { port: 8443 });

    // WHEN
    created.addClient(gateway.service, { name: 'gateway' });

    // THEN
    const template = Template.fromStack(fixture.stack);
    template.hasResourceProperties('AWS::ECS::Service', {
      ServiceConnectConfiguration: {
        Enabled: true,
        Namespace: arnOf(created.namespace),
        Services: Match.absent(),
        AccessLogConfiguration: { Format: 'JSON', IncludeQueryParameters: 'DISABLED' },
        LogConfiguration: {
          LogDriver: 'awslogs',
          Options: Match.objectLike({ 'awslogs-group': { Ref: logicalId(created.logGroup.logGroup) }, 'awslogs-stream-prefix': 'gateway', 'mode': 'blocking' }),
        },
      },
    });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ PortMappings: [{ ContainerPort: 8443, Protocol: 'tcp' }] })],
    });
  });
});

describe('ServiceConnectMesh member validation', () => {
  test('fails on a bad alias, bad ports and an unmapped port, listing every problem', () => {
    const fixture = meshFixture();
    const notes = mcpServer(fixture, 'Notes');
    expect(() => mesh(fixture).addServer(notes.service, { alias: 'Notes_1', port: 8081, clientPort: 70000 }))
      .toThrow(new RegExp([
        "alias must be a DNS label \\(1 to 63 lowercase letters, digits or '-', not starting or ending with '-'\\), got 'Notes_1'",
        'clientPort must be an integer from 1 to 65535, got 70000',
        'port 8081 is not mapped by any container of Test/Subject/Notes/Resource \\(mapped: 8080\\)',
      ].join('[\\s\\S]*')));
  });

  test('fails on a port that is not an integer port number', () => {
    const fixture = meshFixture();
    const notes = mcpServer(fixture, 'Notes');
    expect(() => mesh(fixture).addServer(notes.service, { alias: 'notes', port: 0 })).toThrow('port must be an integer from 1 to 65535, got 0');
  });

  test('fails on a per-request timeout for a plain TCP port mapping', () => {
    const fixture = meshFixture();
    const service = namedPortService(fixture, 'tcp');
    expect(() => mesh(fixture).addServer(service, { alias: 'notes', port: 9000, perRequestTimeout: Duration.seconds(30) }))
      .toThrow("perRequestTimeout needs a port mapping with an HTTP, HTTP/2 or gRPC appProtocol; mapping 'mcp' of port 9000 has none");
  });

  test('fails on an alias or client name already used in the mesh', () => {
    const fixture = meshFixture();
    const created = mesh(fixture);
    created.addServer(mcpServer(fixture, 'Notes').service, { alias: 'notes', port: 8080 });
    expect(() => created.addServer(mcpServer(fixture, 'Other').service, { alias: 'notes', port: 8080 }))
      .toThrow("alias 'notes' is already used in this mesh; aliases and client names must be unique");
    expect(() => created.addClient(mcpServer(fixture, 'Gateway').service, { name: 'notes' }))
      .toThrow("name 'notes' is already used in this mesh; aliases and client names must be unique");
  });

  test('changes nothing when it fails', () => {
    const fixture = meshFixture();
    const created = mesh(fixture);
    const notes = mcpServer(fixture, 'Notes');
    expect(() => created.addServer(notes.service, { alias: 'notes', port: 8080, clientPort: -1 })).toThrow('clientPort must be an integer');
    expect(notes.container.portMappings).toEqual([{ name: 'mcp', containerPort: 8080, protocol: ecs.Protocol.TCP, appProtocol: ecs.AppProtocol.http }]);
    expect(created.addServer(notes.service, { alias: 'notes', port: 8080 }).url).toBe('http://notes:8080');
  });

  test('fails when a service joins a second time', () => {
    const fixture = meshFixture();
    const created = mesh(fixture);
    const notes = mcpServer(fixture, 'Notes');
    created.addServer(notes.service, { alias: 'notes', port: 8080 });
    expect(() => created.addClient(notes.service, { name: 'notes-client' })).toThrow('Service connect configuration cannot be specified more than once');
  });
});

describe('ServiceConnectMesh with members passes the gate', () => {
  test('a mesh with two servers and the gateway as client is gate clean', () => {
    // GIVEN
    const fixture = meshFixture();
    const created = mesh(fixture);

    // WHEN
    created.addServer(mcpServer(fixture, 'Notes').service, { alias: 'notes', port: 8080 });
    created.addServer(mcpServer(fixture, 'Tickets', { port: 3000 }).service, { alias: 'tickets', port: 3000, clientPort: 80 });
    created.addClient(mcpServer(fixture, 'Gateway', { port: 8443 }).service, { name: 'gateway' });

    // THEN
    expectGateClean(fixture.subject);
  });

  test('a stack with the mesh, a server and a client passes the Control Tower proactive controls', () => {
    // GIVEN: imported keys, so that only the mesh and its members are checked (the KeyRing has its own tests)
    const stack = testStack('Guard');
    const vpc = standInVpc(stack);
    const cluster = new SecureCluster(stack, 'Cluster', { vpc });
    const key = (id: string, uuid: string) => kms.Key.fromKeyArn(stack, id, `arn:aws:kms:us-east-1:111111111111:key/${uuid}`);
    const logKey = key('LogKey', '11111111-2222-3333-4444-555555555555');
    const gatewayGroup = new ec2.SecurityGroup(stack, 'GatewayGroup', { vpc });
    const server = (id: string, port: number) => new McpServerService(stack, id, {
      cluster: cluster.cluster,
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/node:22-alpine'),
      port,
      allowFrom: gatewayGroup,
      vpcSubnets: { subnetGroupName: 'Workload' },
      logKey,
    });
    const created = new ServiceConnectMesh(stack, 'Mesh', { namespaceName: 'mcp.internal', tlsKey: key('TlsKey', '66666666-7777-8888-9999-000000000000'), logKey });

    // WHEN
    created.addServer(server('Notes', 8080).service, { alias: 'notes', port: 8080 });
    created.addClient(server('Gateway', 8443).service, { name: 'gateway' });

    // THEN
    expectControlTowerClean(stack);
  });
});
