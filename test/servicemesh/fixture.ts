import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { McpServerService, McpServerServiceProps, SecureCluster } from '../../lib/compute';
import { KeyRing } from '../../lib/encryption';
import { ServiceConnectMesh, ServiceConnectMeshProps } from '../../lib/servicemesh';
import { standInVpc, testStack } from '../support/stand-ins';

/** A public image for tests; nothing is pulled at synth. */
const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/node:22-alpine');

/** What a mesh test builds on. */
export interface MeshFixture {
  readonly stack: Stack;
  /**
   * Everything under test, gate-checked as a whole. The VPC stays outside: it is a minimal
   * stand-in for the network layer, which has its own gate tests.
   */
  readonly subject: Construct;
  readonly cluster: SecureCluster;
  readonly keys: KeyRing;
  /** Security group of the stand-in gateway, the only peer the MCP servers admit. */
  readonly gatewayGroup: ec2.SecurityGroup;
}

/** A stack with a two-zone isolated VPC, a cluster, keys and a gateway security group. */
export function meshFixture(): MeshFixture {
  const stack = testStack();
  const vpc = standInVpc(stack);
  const subject = new Construct(stack, 'Subject');
  return {
    stack,
    subject,
    cluster: new SecureCluster(subject, 'Cluster', { vpc }),
    keys: new KeyRing(subject, 'Keys'),
    gatewayGroup: new ec2.SecurityGroup(subject, 'GatewayGroup', { vpc, description: 'Stand-in for the MCP gateway' }),
  };
}

/** A mesh with the fixture's keys, overridden by `overrides`. */
export function mesh(fixture: MeshFixture, overrides: Partial<ServiceConnectMeshProps> = {}): ServiceConnectMesh {
  return new ServiceConnectMesh(fixture.subject, 'Mesh', {
    namespaceName: 'mcp.internal',
    tlsKey: fixture.keys.data,
    logKey: fixture.keys.logs,
    ...overrides,
  });
}

/** An McpServerService on port 8080 admitting the stand-in gateway, overridden by `overrides`. */
export function mcpServer(fixture: MeshFixture, id: string, overrides: Partial<McpServerServiceProps> = {}): McpServerService {
  return new McpServerService(fixture.subject, id, {
    cluster: fixture.cluster.cluster,
    image: IMAGE,
    port: 8080,
    allowFrom: fixture.gatewayGroup,
    vpcSubnets: { subnetGroupName: 'Workload' },
    logKey: fixture.keys.logs,
    ...overrides,
  });
}
