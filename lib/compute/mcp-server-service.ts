import { Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { ManagedPolicyRole } from './private/managed-policy-role';
import { MIN_TASKS, serviceProblems } from './private/service-validation';
import { declarePrinciples } from '../core/controls';
import { acknowledge } from '../gate/acknowledge';
import { SecureLogGroup } from '../logging/secure-log-group';

/** Properties of an McpServerService. */
export interface McpServerServiceProps {
  /** Cluster the service runs in (e.g. `SecureCluster.cluster`). */
  readonly cluster: ecs.ICluster;
  /** Image of the MCP server; pin it by digest (`ContainerImage.fromRegistry('…@sha256:…')`). */
  readonly image: ecs.ContainerImage;
  /** TCP port the MCP server listens on. */
  readonly port: number;
  /** The only security group allowed to reach the service (the gateway or load balancer). */
  readonly allowFrom: ec2.ISecurityGroup;
  /** Private subnets of the workload tier, in at least two Availability Zones. */
  readonly vpcSubnets: ec2.SubnetSelection;
  /**
   * Key for a new `SecureLogGroup` (e.g. `KeyRing.logs`). Give this or `logGroup`.
   * @default - `logGroup` is used
   */
  readonly logKey?: kms.IKey;
  /**
   * Existing log group for the container logs. Give this or `logKey`.
   * @default - a `SecureLogGroup` encrypted with `logKey`
   */
  readonly logGroup?: SecureLogGroup;
  /**
   * Secrets injected as environment variables at start. Secrets Manager only
   * (`ecs.Secret.fromSecretsManager`); SSM parameters are refused.
   * @default - no secrets
   */
  readonly secrets?: Record<string, ecs.Secret>;
  /**
   * Plain environment variables. Names and values that look like secrets are refused.
   * @default - no environment variables
   */
  readonly environment?: Record<string, string>;
  /**
   * Task CPU units.
   * @default 256
   */
  readonly cpu?: number;
  /**
   * Task memory in MiB.
   * @default 512
   */
  readonly memoryLimitMiB?: number;
  /**
   * Tasks at deployment; at least 2.
   * @default 2
   */
  readonly desiredCount?: number;
  /**
   * Fewest tasks autoscaling keeps; at least 2.
   * @default - `desiredCount`
   */
  readonly minCapacity?: number;
  /**
   * Most tasks autoscaling starts.
   * @default - twice `minCapacity`
   */
  readonly maxCapacity?: number;
  /**
   * Average CPU utilization autoscaling aims at; 10 to 90.
   * @default 60
   */
  readonly targetCpuUtilizationPercent?: number;
  /**
   * User the container runs as, `<uid>:<gid>`; root is refused.
   * @default '1000:1000'
   */
  readonly user?: string;
  /**
   * Fargate platform version; pin one to control when the platform changes.
   * @default ecs.FargatePlatformVersion.LATEST
   */
  readonly platformVersion?: ecs.FargatePlatformVersion;
  /**
   * CPU architecture the image is built for.
   * @default ecs.CpuArchitecture.X86_64
   */
  readonly cpuArchitecture?: ecs.CpuArchitecture;
  /**
   * Container health check.
   * @default - none; ECS relies on the process staying up
   */
  readonly healthCheck?: ecs.HealthCheck;
  /**
   * Allow all outbound traffic instead of HTTPS (TCP 443) only.
   * @default false
   */
  readonly allowAllOutbound?: boolean;
}

/**
 * One MCP server on ECS Fargate, isolated by default: its own task role with no permissions
 * until granted, a separate execution role, a security group that admits only `allowFrom` on
 * the service port and sends only HTTPS, private subnets in two or more zones without public
 * IPs, a read-only root filesystem with a scratch `/tmp`, a non-root user, every Linux
 * capability dropped, no ECS Exec, deployments that roll back on failure, CPU autoscaling
 * from at least two tasks, and logs to a KMS-encrypted log group kept at least a year.
 */
export class McpServerService extends Construct implements ec2.IConnectable, iam.IGrantable {
  public readonly service: ecs.FargateService;
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  public readonly container: ecs.ContainerDefinition;
  /** Role of the MCP server's code; grant it what the server needs, nothing is granted by default. */
  public readonly taskRole: iam.IRole;
  /** Role ECS uses to pull the image, read `secrets` and write logs. */
  public readonly executionRole: iam.IRole;
  public readonly securityGroup: ec2.SecurityGroup;
  public readonly connections: ec2.Connections;
  public readonly grantPrincipal: iam.IPrincipal;
  public readonly logGroup: SecureLogGroup;

  constructor(scope: Construct, id: string, props: McpServerServiceProps) {
    super(scope, id);
    const desiredCount = props.desiredCount ?? MIN_TASKS;
    const minCapacity = props.minCapacity ?? desiredCount;
    const maxCapacity = props.maxCapacity ?? minCapacity * 2;
    const targetCpuUtilizationPercent = props.targetCpuUtilizationPercent ?? 60;
    const user = props.user ?? '1000:1000';
    const environment = props.environment ?? {};
    const secrets = props.secrets ?? {};
    const vpc = props.cluster.vpc;

    const problems = serviceProblems(this, {
      vpc,
      vpcSubnets: props.vpcSubnets,
      port: props.port,
      user,
      desiredCount,
      minCapacity,
      maxCapacity,
      targetCpuUtilizationPercent,
      environment,
      secrets,
      hasLogKey: props.logKey !== undefined,
      hasLogGroup: props.logGroup !== undefined,
    });
    if (problems.length > 0) {
      throw new Error(`McpServerService ${this.node.path}: invalid properties:\n  - ${problems.join('\n  - ')}`);
    }

    this.logGroup = props.logGroup ?? new SecureLogGroup(this, 'Logs', { encryptionKey: props.logKey! });
    const stack = Stack.of(this);
    this.taskRole = new ManagedPolicyRole(this, 'TaskRole', {
      description: 'MCP server task role: no permissions unless granted',
      // Only ECS tasks of this account may assume it (confused deputy protection).
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com', {
        conditions: {
          ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:ecs:${stack.region}:${stack.account}:*` },
          StringEquals: { 'aws:SourceAccount': stack.account },
        },
      }),
    });
    const executionRole = new ManagedPolicyRole(this, 'ExecutionRole', {
      description: 'MCP server execution role: image pull, secrets and logs',
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
    });
    this.executionRole = executionRole;
    this.grantPrincipal = this.taskRole;

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      cpu: props.cpu ?? 256,
      memoryLimitMiB: props.memoryLimitMiB ?? 512,
      taskRole: this.taskRole,
      executionRole: this.executionRole,
      runtimePlatform: {
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
        cpuArchitecture: props.cpuArchitecture ?? ecs.CpuArchitecture.X86_64,
      },
      // Task-local ephemeral storage: the only writable place for the container.
      volumes: [{ name: 'tmp' }],
    });

    const linuxParameters = new ecs.LinuxParameters(this, 'LinuxParameters', { initProcessEnabled: true });
    linuxParameters.dropCapabilities(ecs.Capability.ALL);
    this.container = this.taskDefinition.addContainer('Container', {
      containerName: 'mcp-server',
      image: props.image,
      essential: true,
      portMappings: [{ containerPort: props.port, protocol: ecs.Protocol.TCP }],
      environment: Object.keys(environment).length > 0 ? environment : undefined,
      secrets: Object.keys(secrets).length > 0 ? secrets : undefined,
      readonlyRootFilesystem: true,
      user,
      privileged: false,
      linuxParameters,
      healthCheck: props.healthCheck,
      // Blocking: a server that cannot log stops rather than acting unobserved (fail secure).
      logging: ecs.LogDrivers.awsLogs({
        streamPrefix: 'mcp-server',
        logGroup: this.logGroup.logGroup,
        mode: ecs.AwsLogDriverMode.BLOCKING,
      }),
    });
    this.container.addMountPoints({ containerPath: '/tmp', sourceVolume: 'tmp', readOnly: false });
    // Binding an ECR image granted the pull permissions; only the token call is account-wide.
    if (executionRole.grantsPolicy && executionRole.allowsOnAnyResource('ecr:GetAuthorizationToken')) {
      const reason = 'ecr:GetAuthorizationToken supports no resource-level permission; image layers are pulled only from the repository of the image';
      acknowledge(executionRole.grantsPolicy,
        { id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]', reason },
        { id: 'Mcp::Mcp-IamNoWildcardPermissions[Action::ecr:GetAuthorizationToken::Resource::*]', reason },
      );
    }
    if (Object.keys(environment).length > 0) {
      acknowledge(this.taskDefinition, {
        id: 'AwsSolutions::AwsSolutions-ECS2',
        reason: 'McpServerService validates environment variables and refuses secret-looking names and values; secrets are injected from Secrets Manager through the secrets property',
      });
    }

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc,
      description: 'MCP server tasks: ingress from one named peer on the service port',
      allowAllOutbound: props.allowAllOutbound ?? false,
    });
    if (!(props.allowAllOutbound ?? false)) {
      this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS APIs and upstream services');
    }

    this.service = new ecs.FargateService(this, 'Resource', {
      cluster: props.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount,
      vpcSubnets: props.vpcSubnets,
      securityGroups: [this.securityGroup],
      assignPublicIp: false,
      platformVersion: props.platformVersion ?? ecs.FargatePlatformVersion.LATEST,
      enableExecuteCommand: false,
      circuitBreaker: { enable: true, rollback: true },
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      availabilityZoneRebalancing: ecs.AvailabilityZoneRebalancing.ENABLED,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
    });
    this.connections = this.service.connections;
    this.connections.allowFrom(props.allowFrom, ec2.Port.tcp(props.port), 'MCP traffic from the named peer');

    this.service.autoScaleTaskCount({ minCapacity, maxCapacity }).scaleOnCpuUtilization('CpuScaling', {
      targetUtilizationPercent: targetCpuUtilizationPercent,
      scaleOutCooldown: Duration.seconds(60),
      scaleInCooldown: Duration.seconds(300),
    });

    declarePrinciples(this,
      'isolation/process',
      'isolation/network',
      'zero-trust/micro-segmentation',
      'zero-trust/least-privilege',
      'secure-by-default/minimal-permissions',
      'secure-by-default/logging',
      'secure-by-default/fail-secure',
    );
  }
}
