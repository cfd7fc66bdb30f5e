import { Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { buildError, getAtt, logicalId, resourcesOf, serviceMeshStack, stableTemplate } from './fixture';
import { GATEWAY_MESH_NAME } from '../../../patterns/service-mesh';
import { expectControlTowerClean } from '../../support/cfn-guard';
import { expectGateClean } from '../../support/gate';
import { testServer } from '../shared/fixtures';

describe('ServiceMeshStack', () => {
  // GIVEN the pattern with two servers, on ports 8080 and 9000
  const stack = serviceMeshStack();
  const template = Template.fromStack(stack);
  const [notes, tickets] = stack.servers;
  const gatewayService = stack.gateway.service.service;

  // proves: secure-by-default/encryption
  test('encrypts every hop to a server with Service Connect TLS from one private CA in short-lived mode and the data key', () => {
    template.resourceCountIs('AWS::ACMPCA::CertificateAuthority', 1);
    template.hasResourceProperties('AWS::ACMPCA::CertificateAuthority', { Type: 'ROOT', UsageMode: 'SHORT_LIVED_CERTIFICATE' });
    for (const [server, port] of [[notes, 8080], [tickets, 9000]] as const) {
      expect(resourcesOf(template, 'AWS::ECS::Service')[logicalId(server.service.service)].Properties.ServiceConnectConfiguration).toEqual({
        Enabled: true,
        Namespace: getAtt(stack.mesh.namespace, 'Arn'),
        Services: [expect.objectContaining({
          DiscoveryName: server.alias,
          ClientAliases: [{ DnsName: server.alias, Port: port }],
          Tls: {
            IssuerCertificateAuthority: { AwsPcaAuthorityArn: getAtt(stack.mesh.certificateAuthority, 'Arn') },
            KmsKey: getAtt(stack.platform.keys.data, 'Arn'),
            RoleArn: getAtt(stack.mesh.tlsRole, 'Arn'),
          },
        })],
        AccessLogConfiguration: expect.anything(),
        LogConfiguration: expect.anything(),
      });
    }
  });

  test('publishes nothing in the mesh without TLS', () => {
    const published = Object.values(resourcesOf(template, 'AWS::ECS::Service'))
      .flatMap((service) => (service.Properties.ServiceConnectConfiguration as { Services?: Array<{ Tls?: unknown }> } | undefined)?.Services ?? []);
    expect(published).toHaveLength(2);
    expect(published.every((service) => service.Tls !== undefined)).toBe(true);
  });

  test('makes the gateway a Service Connect client that publishes nothing', () => {
    expect(resourcesOf(template, 'AWS::ECS::Service')[logicalId(gatewayService)].Properties.ServiceConnectConfiguration).toEqual({
      Enabled: true,
      Namespace: getAtt(stack.mesh.namespace, 'Arn'),
      AccessLogConfiguration: { Format: 'JSON', IncludeQueryParameters: 'DISABLED' },
      LogConfiguration: expect.objectContaining({ LogDriver: 'awslogs' }),
    });
  });

  // proves: zero-trust/micro-segmentation
  test('lets each server admit only the gateway\'s security group, on its own port', () => {
    for (const [server, port] of [[notes, 8080], [tickets, 9000]] as const) {
      const group = server.service.securityGroup;
      expect(resourcesOf(template, 'AWS::EC2::SecurityGroup')[logicalId(group)].Properties.SecurityGroupIngress).toBeUndefined();
      const ingress = Object.values(resourcesOf(template, 'AWS::EC2::SecurityGroupIngress'))
        .filter((rule) => JSON.stringify(rule.Properties.GroupId) === JSON.stringify(getAtt(group, 'GroupId')));
      expect(ingress.map((rule) => rule.Properties)).toEqual([expect.objectContaining({
        IpProtocol: 'tcp',
        FromPort: port,
        ToPort: port,
        SourceSecurityGroupId: getAtt(stack.gateway.securityGroup, 'GroupId'),
      })]);
      // The gateway, whose own group sends only HTTPS by default, may reach the server's port.
      template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
        GroupId: getAtt(stack.gateway.securityGroup, 'GroupId'),
        DestinationSecurityGroupId: getAtt(group, 'GroupId'),
        FromPort: port,
        ToPort: port,
      });
    }
  });

  test('uses no AWS App Mesh resource and no App Mesh proxy configuration (end of support 2026-09-30)', () => {
    const types = Object.values(template.toJSON().Resources as Record<string, { Type: string }>).map((resource) => resource.Type);
    expect(types.filter((type) => type.startsWith('AWS::AppMesh::'))).toEqual([]);
    expect(Object.values(resourcesOf(template, 'AWS::ECS::TaskDefinition')).filter((task) => task.Properties.ProxyConfiguration)).toEqual([]);
  });

  // proves: secure-by-default/logging
  test('writes Service Connect access logs without query strings for the gateway and every server, to the mesh\'s encrypted log group', () => {
    const members = Object.values(resourcesOf(template, 'AWS::ECS::Service')).filter((service) => service.Properties.ServiceConnectConfiguration);
    expect(members).toHaveLength(3);
    for (const member of members) {
      expect(member.Properties.ServiceConnectConfiguration).toMatchObject({
        AccessLogConfiguration: { Format: 'JSON', IncludeQueryParameters: 'DISABLED' },
        LogConfiguration: { LogDriver: 'awslogs', Options: { 'awslogs-group': { Ref: logicalId(stack.mesh.logGroup.logGroup) } } },
      });
    }
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      KmsKeyId: getAtt(stack.platform.keys.logs, 'Arn'),
      RetentionInDays: 365,
    });
  });

  test('creates the gateway before the servers and hands it their mesh URLs, marked as carried by Service Connect TLS', () => {
    expect(stack.resolve(stack.gateway.configDocument.upstreams)).toEqual([
      { name: 'notes', url: 'http://notes:8080/mcp', timeoutMs: 30000 },
      { name: 'tickets', url: 'http://tickets:9000/mcp', timeoutMs: 30000 },
    ]);
    expect(stack.servers.map((server) => server.url)).toEqual(['http://notes:8080/mcp', 'http://tickets:9000/mcp']);
  });

  test('defaults the namespace to <projectName>.mcp.internal', () => {
    template.hasResourceProperties('AWS::ServiceDiscovery::HttpNamespace', { Name: 'mcp-test.mcp.internal' });
  });

  test('is gate clean', () => {
    expectGateClean(stack);
  });

  test('is Control Tower clean', () => {
    expectControlTowerClean(stack);
  });

  test('matches the snapshot', () => {
    expect(stableTemplate(stack)).toMatchSnapshot();
  });
});

describe('ServiceMeshStack validation', () => {
  test('fails with no servers', () => {
    expect(buildError({ servers: [] })).toMatch(/servers must list at least one MCP server/);
  });

  test('fails when a server takes the gateway\'s name in the mesh', () => {
    expect(buildError({ servers: [testServer(GATEWAY_MESH_NAME)] }))
      .toMatch(/servers\[0\]\.name 'gateway' is the gateway's name in the mesh; give the server another name/);
  });

  test('fails when a server spec sets the variables the pattern sets, listing every problem at once', () => {
    const message = buildError({
      servers: [
        testServer('notes', { environment: { SERVER_AUDIENCE: 'https://attacker.example.com', LOG_LEVEL: 'info' } }),
        testServer('tickets', { environment: { PORT: '9999', GATEWAY_ISSUER: 'https://other.example.com' } }),
      ],
    });
    expect(message).toMatch(/^ServiceMeshStack ServiceMesh: invalid properties:/);
    expect(message).toMatch(/servers\[0\]\.environment sets SERVER_AUDIENCE, which the pattern sets/);
    expect(message).toMatch(/servers\[1\]\.environment sets PORT, GATEWAY_ISSUER, which the pattern sets/);
  });

  test('fails with a namespace that is not DNS labels', () => {
    expect(buildError({ namespaceName: 'MCP_Mesh' })).toMatch(/namespaceName must be lowercase DNS labels joined by dots, such as 'mcp.internal', got 'MCP_Mesh'/);
  });

  test.each([0, 2.5])('fails with a server error alarm threshold of %s', (threshold) => {
    expect(buildError({ serverErrorAlarmThreshold: threshold }))
      .toMatch(new RegExp(`serverErrorThreshold must be a whole number of at least 1, got ${threshold}`));
  });
});

describe('ServiceMeshStack with a given namespace', () => {
  test('names the namespace as given', () => {
    Template.fromStack(serviceMeshStack({ namespaceName: 'tools.mesh.internal', servers: [testServer('notes')] }))
      .hasResourceProperties('AWS::ServiceDiscovery::HttpNamespace', { Name: 'tools.mesh.internal' });
  });

  test('keeps the servers\' container logs as long as the pattern\'s retention says', () => {
    const stack = serviceMeshStack({ logRetention: logs.RetentionDays.TWO_YEARS, servers: [testServer('notes')] });
    const logGroup = resourcesOf(Template.fromStack(stack), 'AWS::Logs::LogGroup')[logicalId(stack.servers[0].service.logGroup.logGroup)];
    expect(logGroup.Properties).toMatchObject({ RetentionInDays: 731, KmsKeyId: getAtt(stack.platform.keys.logs, 'Arn') });
  });
});
