import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { CIS_CLOUDTRAIL_ALARMS, CisCloudTrailAlarmId } from '../cis-cloudtrail-alarms';

/**
 * One metric filter and one alarm per CIS recommendation: any matching event in a five-minute
 * period raises the alarm; periods without events are not breaching.
 */
export function createCisAlarms(
  scope: Construct,
  logGroup: logs.ILogGroup,
  metricNamespace: string,
  topic: sns.ITopic,
): Record<CisCloudTrailAlarmId, cloudwatch.Alarm> {
  const action = new actions.SnsAction(topic);
  const alarms: Partial<Record<CisCloudTrailAlarmId, cloudwatch.Alarm>> = {};
  for (const control of CIS_CLOUDTRAIL_ALARMS) {
    const filter = new logs.MetricFilter(scope, `${control.id}Filter`, {
      logGroup,
      filterPattern: logs.FilterPattern.literal(control.filterPattern),
      metricNamespace,
      metricName: control.id,
      metricValue: '1',
    });
    const alarm = new cloudwatch.Alarm(scope, `${control.id}Alarm`, {
      alarmDescription: `CIS AWS Foundations ${control.cis} (Security Hub ${control.securityHubControl}): ${control.description}`,
      metric: filter.metric({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      actionsEnabled: true,
    });
    alarm.addAlarmAction(action);
    alarms[control.id] = alarm;
  }
  return alarms as Record<CisCloudTrailAlarmId, cloudwatch.Alarm>;
}
