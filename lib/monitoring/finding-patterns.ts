import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';

/** Security Hub severity labels, lowest first. */
export enum SecurityHubSeverity {
  LOW = 'LOW',
  MEDIUM = 'MEDIUM',
  HIGH = 'HIGH',
  CRITICAL = 'CRITICAL',
}

const SEVERITY_ORDER = [SecurityHubSeverity.LOW, SecurityHubSeverity.MEDIUM, SecurityHubSeverity.HIGH, SecurityHubSeverity.CRITICAL];

/** GuardDuty severities run from 1.0 to 10.0 (7.0 and above is High, 9.0 and above Critical). */
export const GUARDDUTY_SEVERITY_RANGE = { min: 1, max: 10 } as const;

/** GuardDuty findings with a severity at or above `threshold`. */
export function guardDutyFindingPattern(threshold: number): events.EventPattern {
  return {
    source: ['aws.guardduty'],
    detailType: ['GuardDuty Finding'],
    detail: { severity: events.Match.greaterThanOrEqual(threshold) },
  };
}

/**
 * GuardDuty findings at or above `threshold` about a task of `cluster` (Runtime Monitoring
 * and Malware Protection findings carry the task in `resource.ecsClusterDetails.taskDetails`).
 */
export function guardDutyEcsTaskFindingPattern(threshold: number, cluster: ecs.ICluster): events.EventPattern {
  return {
    source: ['aws.guardduty'],
    detailType: ['GuardDuty Finding'],
    detail: {
      severity: events.Match.greaterThanOrEqual(threshold),
      resource: {
        resourceType: ['ECSCluster'],
        ecsClusterDetails: {
          arn: [cluster.clusterArn],
          taskDetails: { arn: events.Match.exists() },
        },
      },
    },
  };
}

/**
 * New, active Security Hub findings at or above `minimum` severity. GuardDuty findings are
 * left out: Security Hub imports them too, and the GuardDuty rule already routes them with its
 * own, finer threshold, so responders get each finding once.
 */
export function securityHubFindingPattern(minimum: SecurityHubSeverity): events.EventPattern {
  return {
    source: ['aws.securityhub'],
    detailType: ['Security Hub Findings - Imported'],
    detail: {
      findings: {
        Severity: { Label: SEVERITY_ORDER.slice(SEVERITY_ORDER.indexOf(minimum)) },
        Workflow: { Status: ['NEW'] },
        RecordState: ['ACTIVE'],
        ProductName: events.Match.anythingBut('GuardDuty'),
      },
    },
  };
}
