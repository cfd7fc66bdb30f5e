import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** JSON-RPC error code the gateway answers when a guardrail blocks an upstream result. */
export const RESULT_BLOCKED_ERROR_CODE = -32004;

/** A count the gateway's log lines are turned into, and when it becomes an alarm. */
interface AuditSignal {
  /** Key in the gateway's `auditMetrics`. */
  readonly key: 'denials' | 'guardrailBlocks' | 'auditFailures';
  /** Metric name, also the construct id prefix. */
  readonly id: string;
  readonly description: string;
  readonly filterPattern: string;
}

const SIGNALS: readonly AuditSignal[] = [
  {
    key: 'denials',
    id: 'Denials',
    description: 'Requests the gateway denied (authorization, quarantine, rate limit, risk or guardrail)',
    filterPattern: '{ ($.type = "mcp.audit") && ($.decision = "deny") }',
  },
  {
    key: 'guardrailBlocks',
    id: 'GuardrailBlocks',
    description: 'Upstream results withheld by a guardrail (injection or secret found)',
    filterPattern: `{ ($.type = "mcp.audit") && ($.rpcErrorCode = ${RESULT_BLOCKED_ERROR_CODE}) }`,
  },
  {
    key: 'auditFailures',
    id: 'AuditFailures',
    description: 'Audit records the gateway could not write; it withholds those responses (fail closed)',
    filterPattern: '{ ($.level = "error") && ($.msg = "audit record*") }',
  },
];

/** The metrics of the audit signals, by key. */
export type AuditMetrics = Readonly<Record<AuditSignal['key'], cloudwatch.Metric>>;

/** Where the audit signals come from and where alarms go. */
export interface AuditAlarmOptions {
  readonly logGroup: logs.ILogGroup;
  readonly metricNamespace: string;
  readonly denialThreshold: number;
  readonly topic?: sns.ITopic;
}

/**
 * Metric filters over the gateway's log lines, and, when a topic is given, alarms: any audit
 * failure or guardrail block in five minutes, and denials at or above the threshold.
 * Metric filters rather than embedded metrics, so the counts do not depend on how the log
 * driver ships lines. Alarms are created only with a topic: an alarm nobody receives is noise.
 */
export function auditAlarms(scope: Construct, options: AuditAlarmOptions): { metrics: AuditMetrics; alarms: cloudwatch.Alarm[] } {
  const metrics: Partial<Record<AuditSignal['key'], cloudwatch.Metric>> = {};
  const alarms: cloudwatch.Alarm[] = [];
  for (const signal of SIGNALS) {
    const filter = new logs.MetricFilter(scope, `${signal.id}Filter`, {
      logGroup: options.logGroup,
      filterPattern: logs.FilterPattern.literal(signal.filterPattern),
      metricNamespace: options.metricNamespace,
      metricName: signal.id,
      metricValue: '1',
    });
    const metric = filter.metric({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5) });
    metrics[signal.key] = metric;
    if (!options.topic) continue;
    const alarm = new cloudwatch.Alarm(scope, `${signal.id}Alarm`, {
      alarmDescription: `MCP security gateway: ${signal.description}`,
      metric,
      threshold: signal.key === 'denials' ? options.denialThreshold : 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      actionsEnabled: true,
    });
    alarm.addAlarmAction(new actions.SnsAction(options.topic));
    alarms.push(alarm);
  }
  return { metrics: metrics as AuditMetrics, alarms };
}
