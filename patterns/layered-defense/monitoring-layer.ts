import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as securityhub from 'aws-cdk-lib/aws-securityhub';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { declarePrinciples } from '../../lib/core/controls';
import { McpSecurityGateway } from '../../lib/gateway';
import { SecurityMonitoring, TaskQuarantine } from '../../lib/monitoring';

/** Properties of the MonitoringLayer. */
export interface MonitoringLayerProps {
  /** The cluster of the gateway and the MCP servers: its tasks are the ones quarantined. */
  readonly cluster: ecs.ICluster;
  /** Encrypts the quarantine function's environment, logs and dead-letter queue (`KeyRing.logs`). */
  readonly encryptionKey: kms.IKey;
  /** The account's GuardDuty and Security Hub (from the baseline). */
  readonly accountMonitoring: SecurityMonitoring;
  /** Receives quarantine reports and the layer's alarms (the baseline's findings topic). */
  readonly findingsTopic: sns.ITopic;
  /** The gateway: its alarms are part of this layer and it may request quarantines. */
  readonly gateway: McpSecurityGateway;
  /**
   * Lowest GuardDuty severity (1.0 to 10.0) that quarantines a task of the cluster.
   * @default 7 - High and Critical findings
   */
  readonly quarantineSeverityThreshold?: number;
  /**
   * The bus quarantine requests arrive on (the gateway's `quarantineRequestBus`).
   * @default - the account's default event bus
   */
  readonly incidentBus?: events.IEventBus;
}

/**
 * Layer 6 of the seed's layered defense: seeing an attack and answering it. GuardDuty (with
 * Runtime Monitoring of the Fargate tasks) and Security Hub run once per account in the
 * baseline, which routes their high-severity findings to the findings topic. This layer adds
 * the incident response: a GuardDuty finding about a task of the cluster, or a quarantine
 * request from the gateway, makes a function swap the task's security groups for a group that
 * admits no traffic, keeping the task for forensics; an alarm reports events the response
 * could not handle. The gateway's alarms on audit failures, guardrail blocks and denials
 * report to the same topic.
 */
export class MonitoringLayer extends Construct {
  /** The incident response that isolates compromised tasks. */
  public readonly quarantine: TaskQuarantine;
  /** Id of the account's GuardDuty detector. */
  public readonly guardDutyDetectorId: string;
  /** The account's Security Hub, when the baseline enabled it. */
  public readonly securityHub?: securityhub.CfnHub;
  /** Raised when an event waits in the quarantine's dead-letter queue: a task may be uncontained. */
  public readonly quarantineFailureAlarm: cloudwatch.Alarm;
  /** Every alarm of the layer: the gateway's and the quarantine's. */
  public readonly alarms: readonly cloudwatch.IAlarm[];

  constructor(scope: Construct, id: string, props: MonitoringLayerProps) {
    super(scope, id);
    this.guardDutyDetectorId = props.accountMonitoring.detectorId;
    this.securityHub = props.accountMonitoring.hub;

    this.quarantine = new TaskQuarantine(this, 'TaskQuarantine', {
      cluster: props.cluster,
      encryptionKey: props.encryptionKey,
      notificationTopic: props.findingsTopic,
      severityThreshold: props.quarantineSeverityThreshold,
      eventBus: props.incidentBus,
    });

    this.quarantineFailureAlarm = new cloudwatch.Alarm(this, 'QuarantineFailures', {
      alarmDescription: 'A quarantine event could not be delivered or handled: isolate the task by hand (see its message in the dead-letter queue)',
      metric: this.quarantine.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.quarantineFailureAlarm.addAlarmAction(new cloudwatchActions.SnsAction(props.findingsTopic));
    this.alarms = [...props.gateway.alarms, this.quarantineFailureAlarm];

    declarePrinciples(this, 'defense-in-depth/monitoring');
  }
}
