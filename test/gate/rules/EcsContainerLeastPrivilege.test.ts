import * as ecs from 'aws-cdk-lib/aws-ecs';
import { mcpFindings, testStack } from './findings';
import { EcsContainerLeastPrivilege } from '../../../lib/gate';

const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/mcp/server:1');

describe('EcsContainerLeastPrivilege', () => {
  test('a read-only, non-root container is compliant', () => {
    const stack = testStack();
    new ecs.FargateTaskDefinition(stack, 'Task').addContainer('mcp', { image, readonlyRootFilesystem: true, user: '1000:1000' });
    expect(mcpFindings(stack, EcsContainerLeastPrivilege)).toEqual([]);
  });

  test('reports a container with the image defaults: writable root filesystem, root user', () => {
    const stack = testStack();
    new ecs.FargateTaskDefinition(stack, 'Task').addContainer('mcp', { image });
    expect(mcpFindings(stack, EcsContainerLeastPrivilege)).toEqual([
      'Mcp-EcsContainerLeastPrivilege[mcp::ReadonlyRootFilesystem] at Test/Task/Resource',
      'Mcp-EcsContainerLeastPrivilege[mcp::User] at Test/Task/Resource',
    ]);
  });

  test('reports a privileged container running as uid 0 with an added capability', () => {
    const stack = testStack();
    const linuxParameters = new ecs.LinuxParameters(stack, 'Linux');
    linuxParameters.addCapabilities(ecs.Capability.NET_ADMIN);
    new ecs.Ec2TaskDefinition(stack, 'Task').addContainer('sidecar', {
      image,
      memoryLimitMiB: 256,
      readonlyRootFilesystem: true,
      privileged: true,
      user: '0:0',
      linuxParameters,
    });
    expect(mcpFindings(stack, EcsContainerLeastPrivilege)).toEqual([
      'Mcp-EcsContainerLeastPrivilege[sidecar::Privileged] at Test/Task/Resource',
      'Mcp-EcsContainerLeastPrivilege[sidecar::User] at Test/Task/Resource',
      'Mcp-EcsContainerLeastPrivilege[sidecar::Capability::NET_ADMIN] at Test/Task/Resource',
    ]);
  });
});
