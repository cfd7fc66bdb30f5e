import { Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ManagedPolicyRole } from './managed-policy-role';
import { acknowledge } from '../../gate/acknowledge';
import { MCP_PORT_NAME } from '../mcp-server-service-constants';

/** What the hardened task runs; defaults already applied and validated. */
export interface HardenedTaskOptions {
  readonly image: ecs.ContainerImage;
  readonly port: number;
  readonly user: string;
  readonly cpu: number;
  readonly memoryLimitMiB: number;
  readonly cpuArchitecture: ecs.CpuArchitecture;
  readonly environment: Record<string, string>;
  readonly secrets: Record<string, ecs.Secret>;
  readonly healthCheck?: ecs.HealthCheck;
  readonly logGroup: logs.ILogGroup;
}

/** The parts of a hardened task. */
export interface HardenedTask {
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly container: ecs.ContainerDefinition;
  readonly taskRole: ManagedPolicyRole;
  readonly executionRole: ManagedPolicyRole;
}

/**
 * A Fargate task definition with one container that cannot write outside `/tmp`, runs as a
 * non-root user with every Linux capability dropped, and logs in blocking mode; a task role
 * with no permission and a separate execution role, both granted through managed policies.
 */
export function hardenedTask(scope: Construct, options: HardenedTaskOptions): HardenedTask {
  const stack = Stack.of(scope);
  const taskRole = new ManagedPolicyRole(scope, 'TaskRole', {
    description: 'MCP server task role: no permissions unless granted',
    // Only ECS tasks of this account may assume it (confused deputy protection).
    assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com', {
      conditions: {
        ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:ecs:${stack.region}:${stack.account}:*` },
        StringEquals: { 'aws:SourceAccount': stack.account },
      },
    }),
  });
  const executionRole = new ManagedPolicyRole(scope, 'ExecutionRole', {
    description: 'MCP server execution role: image pull, secrets and logs',
    assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
  });

  const taskDefinition = new ecs.FargateTaskDefinition(scope, 'TaskDefinition', {
    cpu: options.cpu,
    memoryLimitMiB: options.memoryLimitMiB,
    taskRole,
    executionRole,
    runtimePlatform: { operatingSystemFamily: ecs.OperatingSystemFamily.LINUX, cpuArchitecture: options.cpuArchitecture },
    // Task-local ephemeral storage: the only writable place for the container.
    volumes: [{ name: 'tmp' }],
  });

  const linuxParameters = new ecs.LinuxParameters(scope, 'LinuxParameters', { initProcessEnabled: true });
  linuxParameters.dropCapabilities(ecs.Capability.ALL);
  const hasEnvironment = Object.keys(options.environment).length > 0;
  const container = taskDefinition.addContainer('Container', {
    containerName: 'mcp-server',
    image: options.image,
    essential: true,
    // A hard limit on the container as well as the task (Control Tower CT.ECS.PR.7).
    memoryLimitMiB: options.memoryLimitMiB,
    // Named, so ECS Service Connect and VPC Lattice target registration can refer to it.
    portMappings: [{ name: MCP_PORT_NAME, containerPort: options.port, protocol: ecs.Protocol.TCP, appProtocol: ecs.AppProtocol.http }],
    environment: hasEnvironment ? options.environment : undefined,
    secrets: Object.keys(options.secrets).length > 0 ? options.secrets : undefined,
    readonlyRootFilesystem: true,
    user: options.user,
    privileged: false,
    linuxParameters,
    healthCheck: options.healthCheck,
    // Blocking: a server that cannot log stops rather than acting unobserved (fail secure).
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'mcp-server', logGroup: options.logGroup, mode: ecs.AwsLogDriverMode.BLOCKING }),
  });
  container.addMountPoints({ containerPath: '/tmp', sourceVolume: 'tmp', readOnly: false });

  // Binding an ECR image granted the pull permissions; only the token call is account-wide.
  if (executionRole.grantsPolicy && executionRole.allowsOnAnyResource('ecr:GetAuthorizationToken')) {
    const reason = 'ecr:GetAuthorizationToken supports no resource-level permission; image layers are pulled only from the repository of the image';
    acknowledge(executionRole.grantsPolicy,
      { id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]', reason },
      { id: 'Mcp::Mcp-IamNoWildcardPermissions[Action::ecr:GetAuthorizationToken::Resource::*]', reason },
    );
  }
  if (hasEnvironment) {
    acknowledge(taskDefinition, {
      id: 'AwsSolutions::AwsSolutions-ECS2',
      reason: 'McpServerService validated these environment variables and refuses secret-looking names and values; secrets are injected from Secrets Manager through the secrets property',
    });
  }
  return { taskDefinition, container, taskRole, executionRole };
}
