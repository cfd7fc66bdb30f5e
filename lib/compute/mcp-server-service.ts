import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { hardenedTask } from './private/hardened-task';
import { MIN_TASKS, serviceProblems } from './private/service-validation';
import { declarePrinciples } from '../core/controls';
import { SecureLogGroup } from '../logging/secure-log-group';

/** Properties of an McpServerService. */
export interface McpServerServiceProps {
  /** Cluster the service runs in (e.g. `SecureCluster.cluster`). */
  readonly cluster: ecs.ICluster;
  /** Image of the MCP server; pin it by digest (`ContainerImage.fromRegistry('…@sha256:…')`). */
  readonly image: ecs.ContainerImage;
  /** TCP port the MCP server listens on. */
  readonly port: number;
  /**
   * The only peer allowed to reach the service: a security group (the gateway or load
   * balancer), or a prefix such as the VPC Lattice data plane (`LATTICE_DATA_PLANE_CIDR`).
   * Never the whole internet.
   */
  readonly allowFrom: ec2.IPeer;
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
  /** The Fargate service. */
  public readonly service: ecs.FargateService;
  /** Task definition of the MCP server. */
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  /** The MCP server container (`mcp-server`). */
  public readonly container: ecs.ContainerDefinition;
  /** Role of the MCP server's code; grant it what the server needs, nothing is granted by default. */
  public readonly taskRole: iam.IRole;
  /** Role ECS uses to pull the image, read `secrets` and write logs. */
  public readonly executionRole: iam.IRole;
  /** Security group of the tasks: ingress from `allowFrom` on `port` only. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** Network connections of the tasks, to allow further peers explicitly. */
  public readonly connections: ec2.Connections;
  /** The task role: what is granted to the service is granted to the MCP server's code. */
  public readonly grantPrincipal: iam.IPrincipal;
  /** Log group of the container logs. */
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
    const allowAllOutbound = props.allowAllOutbound ?? false;
    const cpu = props.cpu ?? 256;
    const memoryLimitMiB = props.memoryLimitMiB ?? 512;
    const cpuArchitecture = props.cpuArchitecture ?? ecs.CpuArchitecture.X86_64;
    const platformVersion = props.platformVersion ?? ecs.FargatePlatformVersion.LATEST;
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
      allowFrom: props.allowFrom,
    });
    if (problems.length > 0) {
      throw new Error(`McpServerService ${this.node.path}: invalid properties:\n  - ${problems.join('\n  - ')}`);
    }

    this.logGroup = props.logGroup ?? new SecureLogGroup(this, 'Logs', { encryptionKey: props.logKey! });
    const task = hardenedTask(this, {
      image: props.image,
      port: props.port,
      user,
      cpu,
      memoryLimitMiB,
      cpuArchitecture,
      environment,
      secrets,
      healthCheck: props.healthCheck,
      logGroup: this.logGroup.logGroup,
    });
    this.taskDefinition = task.taskDefinition;
    this.container = task.container;
    this.taskRole = task.taskRole;
    this.executionRole = task.executionRole;
    this.grantPrincipal = task.taskRole;

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc,
      description: 'MCP server tasks: ingress from one named peer on the service port',
      allowAllOutbound,
    });
    if (!allowAllOutbound) {
      this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS APIs and upstream services');
    }

    this.service = new ecs.FargateService(this, 'Resource', {
      cluster: props.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount,
      vpcSubnets: props.vpcSubnets,
      securityGroups: [this.securityGroup],
      assignPublicIp: false,
      platformVersion,
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
