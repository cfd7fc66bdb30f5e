import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Construct } from 'constructs';
import { McpServerService, McpServerServiceProps, SecureCluster } from '../../lib/compute';
import { KeyRing } from '../../lib/encryption';
import { standInVpc, testStack } from '../support/stand-ins';

/** A public image for tests; nothing is pulled at synth. */
export const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/node:22-alpine');

/** A local Dockerfile staged as an asset (an ECR image); never built at synth. */
export const ASSET_IMAGE_DIRECTORY = path.join(__dirname, 'fixtures', 'mcp-server-image');

/** What a compute test builds on. */
export interface ComputeFixture {
  readonly stack: Stack;
  readonly vpc: ec2.Vpc;
  /**
   * Everything under test, gate-checked as a whole. The VPC stays outside: it is a minimal
   * stand-in for the network layer (no flow log, open default security group), which has
   * its own gate tests.
   */
  readonly subject: Construct;
  readonly cluster: SecureCluster;
  readonly keys: KeyRing;
  readonly gateway: ec2.SecurityGroup;
}

/** A stack with a two-zone VPC (public `Ingress`, isolated `Workload`), a cluster, keys and a gateway group. */
export function computeFixture(): ComputeFixture {
  const stack = testStack();
  const vpc = standInVpc(stack, { Ingress: 'public', Workload: 'isolated' });
  const subject = new Construct(stack, 'Subject');
  return {
    stack,
    vpc,
    subject,
    cluster: new SecureCluster(subject, 'Cluster', { vpc }),
    keys: new KeyRing(subject, 'Keys'),
    gateway: new ec2.SecurityGroup(subject, 'Gateway', { vpc, description: 'Stand-in for the MCP gateway' }),
  };
}

/** An McpServerService with the fixture's required props, overridden by `overrides`. */
export function mcpServer(fixture: ComputeFixture, overrides: Partial<McpServerServiceProps> = {}): McpServerService {
  return new McpServerService(fixture.subject, 'Server', {
    cluster: fixture.cluster.cluster,
    image: IMAGE,
    port: 8080,
    allowFrom: fixture.gateway,
    vpcSubnets: { subnetGroupName: 'Workload' },
    logKey: fixture.keys.logs,
    ...overrides,
  });
}
