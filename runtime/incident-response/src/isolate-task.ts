// The Lambda Node.js 22 runtime provides AWS SDK v3; the bundle marks @aws-sdk/* external.
// eslint-disable-next-line import/no-extraneous-dependencies
import { CreateTagsCommand, DescribeNetworkInterfacesCommand, EC2Client, ModifyNetworkInterfaceAttributeCommand } from '@aws-sdk/client-ec2';
// eslint-disable-next-line import/no-extraneous-dependencies
import { DescribeTasksCommand, ECSClient, StopTaskCommand, Task } from '@aws-sdk/client-ecs';
import { QuarantineRequest, QuarantineTrigger } from './quarantine-request';

/** Prefix of every tag the function writes; its IAM policy allows no other tag keys. */
export const QUARANTINE_TAG_PREFIX = 'mcp-kit:quarantine-';

/** How the function is configured (from its environment). */
export interface QuarantineSettings {
  /** The only cluster whose tasks may be isolated. */
  readonly clusterArn: string;
  /** VPC of the quarantine security group; ENIs elsewhere are refused. */
  readonly vpcId: string;
  /** Security group with no rules that replaces every group of the task's ENI. */
  readonly quarantineSecurityGroupId: string;
  /** Also stop the task after isolating it (loses in-memory evidence). */
  readonly stopTask: boolean;
}

/** The AWS clients the quarantine uses; injected so that tests can mock them. */
export interface QuarantineClients {
  readonly ecs: ECSClient;
  readonly ec2: EC2Client;
}

/** What the function did. Published to the findings topic by the on-success destination. */
export interface QuarantineReport {
  readonly outcome: 'quarantined' | 'already-quarantined' | 'task-not-found' | 'task-stopped';
  readonly taskArn: string;
  readonly trigger: QuarantineTrigger;
  readonly quarantineSecurityGroupId: string;
  readonly networkInterfaceId?: string;
  /** Security groups the ENI had before; needed to restore it after the investigation. */
  readonly previousSecurityGroupIds?: string[];
  readonly taskStopRequested: boolean;
}

/**
 * Isolates the task named by `request`: replaces the security groups of its ENI with the
 * quarantine group (no ingress, no egress), after recording the previous groups as ENI tags.
 * Never deletes anything; stops the task only when configured to. Idempotent: a task whose ENI
 * already has exactly the quarantine group is left as it is.
 */
export async function isolateTask(
  request: QuarantineRequest,
  settings: QuarantineSettings,
  clients: QuarantineClients,
  now: Date,
): Promise<QuarantineReport> {
  const base = {
    taskArn: request.taskArn,
    trigger: request.trigger,
    quarantineSecurityGroupId: settings.quarantineSecurityGroupId,
    taskStopRequested: false,
  };

  const described = await clients.ecs.send(new DescribeTasksCommand({ cluster: settings.clusterArn, tasks: [request.taskArn] }));
  const task = described.tasks?.find((candidate) => candidate.taskArn === request.taskArn);
  if (!task) {
    return { ...base, outcome: 'task-not-found' };
  }
  if (task.lastStatus === 'STOPPED') {
    return { ...base, outcome: 'task-stopped' };
  }

  const networkInterfaceId = networkInterfaceOf(task);
  const interfaces = await clients.ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [networkInterfaceId] }));
  const eni = interfaces.NetworkInterfaces?.[0];
  if (!eni) {
    throw new Error(`Network interface ${networkInterfaceId} of task ${request.taskArn} was not found`);
  }
  if (eni.VpcId !== settings.vpcId) {
    throw new Error(`Network interface ${networkInterfaceId} is in ${eni.VpcId}, the quarantine security group is in ${settings.vpcId}`);
  }
  const currentGroups = (eni.Groups ?? []).map((group) => group.GroupId).filter((id): id is string => id !== undefined);

  const alreadyQuarantined = currentGroups.length === 1 && currentGroups[0] === settings.quarantineSecurityGroupId;
  if (!alreadyQuarantined) {
    // Tag first: if the swap then fails, a retry finds the original groups unchanged and tags
    // them again; once the swap has succeeded the tags are never overwritten.
    await clients.ec2.send(new CreateTagsCommand({
      Resources: [networkInterfaceId],
      Tags: [
        { Key: `${QUARANTINE_TAG_PREFIX}at`, Value: now.toISOString() },
        { Key: `${QUARANTINE_TAG_PREFIX}trigger`, Value: describeTrigger(request.trigger) },
        { Key: `${QUARANTINE_TAG_PREFIX}previous-groups`, Value: tagValueOf(currentGroups) },
      ],
    }));
    await clients.ec2.send(new ModifyNetworkInterfaceAttributeCommand({
      NetworkInterfaceId: networkInterfaceId,
      Groups: [settings.quarantineSecurityGroupId],
    }));
  }

  const stop = settings.stopTask && task.desiredStatus !== 'STOPPED';
  if (stop) {
    await clients.ecs.send(new StopTaskCommand({
      cluster: settings.clusterArn,
      task: request.taskArn,
      reason: `Quarantined by mcp-kit incident response (${describeTrigger(request.trigger)})`.slice(0, 255),
    }));
  }

  return {
    ...base,
    outcome: alreadyQuarantined ? 'already-quarantined' : 'quarantined',
    networkInterfaceId,
    // On the idempotent path the original groups are in the ENI's tags, not on the ENI.
    previousSecurityGroupIds: alreadyQuarantined ? undefined : currentGroups,
    taskStopRequested: stop,
  };
}

function networkInterfaceOf(task: Task): string {
  const id = task.attachments
    ?.find((attachment) => attachment.type === 'ElasticNetworkInterface')
    ?.details?.find((detail) => detail.name === 'networkInterfaceId')?.value;
  if (!id) {
    throw new Error(`Task ${task.taskArn} has no elastic network interface (awsvpc network mode is required to isolate it)`);
  }
  return id;
}

function describeTrigger(trigger: QuarantineTrigger): string {
  return trigger.kind === 'guardduty-finding' ? `guardduty ${trigger.findingType} ${trigger.findingId}` : 'mcp-kit.incident request';
}

// EC2 tag values hold at most 256 characters; keep whole group ids only.
function tagValueOf(groupIds: string[]): string {
  let value = '';
  for (const id of groupIds) {
    const next = value ? `${value} ${id}` : id;
    if (next.length > 256) {
      break;
    }
    value = next;
  }
  return value;
}
