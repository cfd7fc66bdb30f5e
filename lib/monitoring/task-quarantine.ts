import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { declarePrinciples } from '../core/controls';
import { acknowledge } from '../gate';
import { SecureLogGroup } from '../logging';
import { GUARDDUTY_SEVERITY_RANGE, guardDutyEcsTaskFindingPattern } from './finding-patterns';
import { allowEventBridgeDeadLetters, createDeadLetterQueue, publishToEncryptedTopic, sendToEncryptedQueue } from './private/encrypted-delivery';
import { acknowledgeQuarantineWildcards, quarantineStatements } from './private/quarantine-permissions';
import { runtimeEntry } from './private/runtime-entry';

/** Source of the custom event that requests a quarantine (the gateway's adaptive risk emits it). */
export const QUARANTINE_EVENT_SOURCE = 'mcp-kit.incident';
/**
 * Detail type of that event. Its detail names a task, `{ "taskArn": "<task ARN>", "reason": "<why>" }`,
 * or a service whose running tasks are all isolated, `{ "serviceArn": "<service ARN>", "reason": "<why>" }`
 * (the gateway names the service of an upstream whose approved tools drift).
 */
export const QUARANTINE_EVENT_DETAIL_TYPE = 'Quarantine Task';

/** Properties of TaskQuarantine. */
export interface TaskQuarantineProps {
  /** The cluster whose tasks may be isolated; findings and requests for other tasks are refused. */
  readonly cluster: ecs.ICluster;
  /**
   * VPC of the cluster's tasks, where the quarantine security group is created.
   * @default - the cluster's VPC
   */
  readonly vpc?: ec2.IVpc;
  /** Encrypts the function's environment, its log group and its dead-letter queue (e.g. `KeyRing.logs`); must be defined in this app. */
  readonly encryptionKey: kms.IKey;
  /** Receives a report of every quarantine and every failure (e.g. `SecurityMonitoring.findingsTopic`). */
  readonly notificationTopic: sns.ITopic;
  /**
   * Lowest GuardDuty severity (1.0 to 10.0) that isolates a task automatically.
   * @default 7 - High and Critical findings
   */
  readonly severityThreshold?: number;
  /**
   * Also stop the task after isolating it. Stopping ends connections the security group swap
   * cannot (tracked connections outlive it) but destroys the task's memory and disk, the
   * evidence an investigation needs.
   * @default false
   */
  readonly stopTask?: boolean;
  /**
   * Event bus on which quarantine requests arrive.
   * @default - the account's default event bus
   */
  readonly eventBus?: events.IEventBus;
  /**
   * Concurrent executions reserved for (and limiting) the function.
   * @default 2
   */
  readonly reservedConcurrency?: number;
}

/**
 * Automatic incident response for MCP servers on ECS: when GuardDuty reports a task of the
 * cluster at or above the threshold, or the gateway requests it with a `Quarantine Task` event,
 * a Lambda function replaces the security groups of the task's network interface with a
 * quarantine group that allows no traffic in or out, tags the interface with what it replaced,
 * and reports to the notification topic. Nothing is deleted; the task keeps running for
 * forensics unless `stopTask` is set. Restoring a task means putting back the groups recorded
 * in its `mcp-kit:quarantine-previous-groups` tag.
 *
 * What isolation does not do, by design or by AWS behaviour:
 * - connections already established (tracked) when the groups change may continue until they
 *   time out; use `stopTask`, or a network ACL, when that is not acceptable;
 * - on Fargate the task's log driver and the GuardDuty agent use the same network interface, so
 *   the task's logs and runtime telemetry stop with its traffic;
 * - a task behind a load balancer now fails its health checks, and its ECS service replaces it,
 *   stopping the isolated task after the deregistration delay: capture what you need first.
 */
export class TaskQuarantine extends Construct {
  /** The quarantine function. */
  public readonly handler: lambda.Function;
  /** Its execution role. */
  public readonly role: iam.Role;
  /** The security group with no ingress and no egress that replaces a task's groups. */
  public readonly quarantineSecurityGroup: ec2.SecurityGroup;
  /** Sends GuardDuty findings about tasks of the cluster to the function. */
  public readonly guardDutyFindingsRule: events.Rule;
  /** Sends `Quarantine Task` requests to the function. */
  public readonly quarantineRequestsRule: events.Rule;
  /** Holds events that could not be delivered to, or handled by, the function. */
  public readonly deadLetterQueue: sqs.Queue;
  private readonly eventBusArn: string;

  constructor(scope: Construct, id: string, props: TaskQuarantineProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const vpc = props.vpc ?? props.cluster.vpc;
    const severityThreshold = props.severityThreshold ?? 7;
    const stopTask = props.stopTask ?? false;
    const reservedConcurrency = props.reservedConcurrency ?? 2;
    this.eventBusArn = props.eventBus?.eventBusArn ?? stack.formatArn({ service: 'events', resource: 'event-bus', resourceName: 'default' });

    const problems: string[] = [];
    const { min, max } = GUARDDUTY_SEVERITY_RANGE;
    if (!Token.isUnresolved(severityThreshold) && !(severityThreshold >= min && severityThreshold <= max)) {
      problems.push(`severityThreshold must be between ${min} and ${max}, got ${severityThreshold}`);
    }
    if (!Token.isUnresolved(reservedConcurrency) && !(Number.isInteger(reservedConcurrency) && reservedConcurrency >= 1)) {
      problems.push(`reservedConcurrency must be a whole number of at least 1, got ${reservedConcurrency}`);
    }
    const keyProblem = allowEventBridgeDeadLetters(props.encryptionKey);
    if (keyProblem) problems.push(keyProblem);
    if (problems.length > 0) {
      throw new Error(`Invalid TaskQuarantine ${this.node.path}:\n  - ${problems.join('\n  - ')}`);
    }

    this.quarantineSecurityGroup = new ec2.SecurityGroup(this, 'QuarantineSecurityGroup', {
      vpc,
      description: 'MCP kit quarantine: no inbound and no outbound traffic',
      // With both false CDK writes a single egress rule that matches no packet, the only way to
      // remove the default allow-all egress rule that EC2 adds to every new group.
      allowAllOutbound: false,
      allowAllIpv6Outbound: false,
    });
    this.deadLetterQueue = createDeadLetterQueue(this, 'DeadLetterQueue', props.encryptionKey,
      'the quarantine rules (undelivered events) and of the quarantine function (events that failed every attempt)');
    const logGroup = new SecureLogGroup(this, 'Logs', { encryptionKey: props.encryptionKey });

    // Every permission lives in one managed policy; the function gets the role immutable so that
    // CDK adds no inline policy of its own (the dead-letter queue grant is in the policy below).
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Isolates compromised MCP server tasks; never deletes evidence',
    });
    const { statements, wildcards } = quarantineStatements(this, {
      cluster: props.cluster,
      vpc,
      quarantineSecurityGroup: this.quarantineSecurityGroup,
      stopTask,
    });
    const policy = new iam.ManagedPolicy(this, 'Policy', {
      description: 'Least privilege to isolate a task of one ECS cluster and report it',
      roles: [this.role],
      statements: [
        ...statements,
        ...publishToEncryptedTopic(props.notificationTopic),
        ...sendToEncryptedQueue(this.deadLetterQueue),
        new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroup.logGroupArn] }),
      ],
    });
    acknowledgeQuarantineWildcards(policy, wildcards);

    // Reports (on success) and errors (on failure) go to the notification topic, published by the
    // Lambda service with the role's exact grant above; CDK's SnsDestination would add a broader one.
    const notify: lambda.IDestination = { bind: () => ({ destination: props.notificationTopic.topicArn }) };
    this.handler = new NodejsFunction(this, 'Resource', {
      description: 'MCP kit incident response: isolates a compromised ECS task behind a no-traffic security group',
      entry: runtimeEntry('runtime/incident-response/src/quarantine-task.ts'),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.seconds(30),
      role: this.role.withoutPolicyUpdates(),
      environment: {
        CLUSTER_ARN: props.cluster.clusterArn,
        VPC_ID: vpc.vpcId,
        QUARANTINE_SECURITY_GROUP_ID: this.quarantineSecurityGroup.securityGroupId,
        STOP_TASK: String(stopTask),
      },
      environmentEncryption: props.encryptionKey,
      logGroup: logGroup.logGroup,
      reservedConcurrentExecutions: reservedConcurrency,
      deadLetterQueue: this.deadLetterQueue,
      onSuccess: notify,
      onFailure: notify,
      retryAttempts: 2,
      // A quarantine that cannot run within an hour needs a human, not another retry.
      maxEventAge: Duration.hours(1),
      bundling: { externalModules: ['@aws-sdk/*'], minify: true, sourceMap: false, target: 'node22' },
    });
    this.handler.node.addDependency(policy);
    acknowledge(this.handler, {
      id: 'AwsSolutions::AwsSolutions-L1',
      reason: 'Node.js 22 is the LTS line the kit targets and tests for all its runtime code (the gateway container too); '
        + 'the runtime is still supported by Lambda and moves to the next LTS with the rest of the kit.',
    });
    // Outside the VPC on purpose: the function calls only the ECS and EC2 control planes and
    // takes no traffic, so it must not depend on the network it isolates, nor on interface
    // endpoints for ECS and EC2 that the workload subnets would otherwise need.
    const outsideVpc = 'The quarantine function calls only the ECS and EC2 APIs and receives no network traffic; outside the VPC it keeps '
      + 'working while the network it isolates is compromised, without ECS and EC2 interface endpoints in the workload subnets.';
    acknowledge(this.handler,
      ...['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'].map((pack) => ({ id: `${pack}::${pack}-LambdaInsideVPC`, reason: outsideVpc })),
      { id: 'cdk-validator-cfnguard::lambda_inside_vpc_check', reason: outsideVpc },
    );

    const target = new targets.LambdaFunction(this.handler, {
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: 185,
      maxEventAge: Duration.hours(1),
    });
    this.guardDutyFindingsRule = new events.Rule(this, 'GuardDutyFindings', {
      description: `GuardDuty findings with severity >= ${severityThreshold} about a task of the protected cluster: quarantine it`,
      eventPattern: guardDutyEcsTaskFindingPattern(severityThreshold, props.cluster),
      targets: [target],
    });
    this.quarantineRequestsRule = new events.Rule(this, 'QuarantineRequests', {
      description: 'Quarantine requests for a task of the protected cluster',
      eventBus: props.eventBus,
      eventPattern: { source: [QUARANTINE_EVENT_SOURCE], detailType: [QUARANTINE_EVENT_DETAIL_TYPE], account: [stack.account] },
      targets: [target],
    });

    declarePrinciples(this, 'defense-in-depth/monitoring', 'isolation/network', 'secure-by-default/fail-secure', 'zero-trust/least-privilege');
  }

  /**
   * Lets `grantee` (e.g. the gateway's task role) request a quarantine: `events:PutEvents` on the
   * request bus, for events with the quarantine source and detail type only.
   */
  public grantRequestQuarantine(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['events:PutEvents'],
      resourceArns: [this.eventBusArn],
      conditions: { StringEquals: { 'events:source': QUARANTINE_EVENT_SOURCE, 'events:detail-type': QUARANTINE_EVENT_DETAIL_TYPE } },
    });
  }
}
