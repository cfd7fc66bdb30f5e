// The Lambda Node.js 22 runtime provides AWS SDK v3; the bundle marks @aws-sdk/* external.
// eslint-disable-next-line import/no-extraneous-dependencies
import { ListTasksCommand } from '@aws-sdk/client-ecs';
import { isolateTask, QuarantineClients, QuarantineReport, QuarantineSettings } from './isolate-task';
import { clusterArnOfTask, QuarantineTrigger, serviceNameOf, ServiceQuarantineRequest } from './quarantine-request';

/**
 * Most tasks one service request isolates. A request for more is refused before anything
 * changes: cutting off a large service at once is a decision for a responder, not a rule.
 */
export const MAX_TASKS_PER_SERVICE = 20;

/** What the function did for a service request. Published like a task report. */
export interface ServiceQuarantineReport {
  readonly outcome: 'service-quarantined' | 'no-running-tasks';
  readonly serviceArn: string;
  readonly trigger: QuarantineTrigger;
  /** One report per task of the service, in the order they were isolated. */
  readonly tasks: QuarantineReport[];
}

/**
 * Isolates every running task of the service named by `request` (the gateway names an
 * upstream by its ECS service, since it never sees task ARNs): lists the tasks ECS wants
 * running, refuses more than {@link MAX_TASKS_PER_SERVICE}, then isolates them one by one as a
 * task request would. ECS may start replacements from the same task definition; isolation
 * contains the running tasks and keeps them for forensics, it does not fix the service.
 */
export async function isolateService(
  request: ServiceQuarantineRequest,
  settings: QuarantineSettings,
  clients: QuarantineClients,
  now: Date,
): Promise<ServiceQuarantineReport> {
  const listed = await clients.ecs.send(new ListTasksCommand({
    cluster: settings.clusterArn,
    serviceName: serviceNameOf(request.serviceArn),
    desiredStatus: 'RUNNING',
    maxResults: MAX_TASKS_PER_SERVICE + 1,
  }));
  const taskArns = listed.taskArns ?? [];
  if (taskArns.length > MAX_TASKS_PER_SERVICE || listed.nextToken !== undefined) {
    throw new Error(`Service ${request.serviceArn} runs more than ${MAX_TASKS_PER_SERVICE} tasks; isolating all of them needs a responder's decision`);
  }
  const foreign = taskArns.filter((arn) => clusterArnOfTask(arn) !== settings.clusterArn);
  if (foreign.length > 0) {
    throw new Error(`ECS listed tasks outside ${settings.clusterArn} for ${request.serviceArn}: ${foreign.join(', ')}`);
  }
  const tasks: QuarantineReport[] = [];
  for (const taskArn of taskArns) {
    tasks.push(await isolateTask({ taskArn, trigger: request.trigger }, settings, clients, now));
  }
  return {
    outcome: tasks.length === 0 ? 'no-running-tasks' : 'service-quarantined',
    serviceArn: request.serviceArn,
    trigger: request.trigger,
    tasks,
  };
}
