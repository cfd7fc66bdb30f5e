import { z } from 'zod';

/** Source of the custom event that asks for a task to be quarantined (emitted by the gateway). */
export const QUARANTINE_EVENT_SOURCE = 'mcp-kit.incident';
/** Detail type of the custom quarantine event. */
export const QUARANTINE_EVENT_DETAIL_TYPE = 'Quarantine Task';

// New-format task ARNs only: they carry the cluster name, which lets the handler refuse tasks of
// other clusters before calling any API. Task ids are 32 hex characters.
const TASK_ARN = /^arn:(aws[a-z-]*):ecs:([a-z0-9-]+):(\d{12}):task\/([A-Za-z0-9_-]{1,255})\/([a-f0-9]{32})$/;
const CLUSTER_ARN = /^arn:(aws[a-z-]*):ecs:([a-z0-9-]+):(\d{12}):cluster\/([A-Za-z0-9_-]{1,255})$/;
// New-format service ARNs carry the cluster name too.
const SERVICE_ARN = /^arn:(aws[a-z-]*):ecs:([a-z0-9-]+):(\d{12}):service\/([A-Za-z0-9_-]{1,255})\/([A-Za-z0-9_-]{1,255})$/;

const taskArn = z.string().regex(TASK_ARN, 'must be an ECS task ARN of the form arn:<partition>:ecs:<region>:<account>:task/<cluster>/<task-id>');
const serviceArn = z.string().regex(SERVICE_ARN, 'must be an ECS service ARN of the form arn:<partition>:ecs:<region>:<account>:service/<cluster>/<service>');

const guardDutyFinding = z.object({
  'source': z.literal('aws.guardduty'),
  'detail-type': z.literal('GuardDuty Finding'),
  'detail': z.object({
    id: z.string().min(1),
    type: z.string().min(1),
    severity: z.number().min(0).max(10),
    resource: z.object({
      resourceType: z.literal('ECSCluster'),
      ecsClusterDetails: z.object({
        arn: z.string().regex(CLUSTER_ARN, 'must be an ECS cluster ARN'),
        taskDetails: z.object({ arn: taskArn }),
      }),
    }),
  }),
});

const quarantineRequested = z.object({
  'source': z.literal(QUARANTINE_EVENT_SOURCE),
  'detail-type': z.literal(QUARANTINE_EVENT_DETAIL_TYPE),
  // A task (GuardDuty, a responder), or a whole service: the gateway knows which ECS service runs
  // an upstream, not which tasks do. Exactly one of the two.
  'detail': z.object({
    taskArn: taskArn.optional(),
    serviceArn: serviceArn.optional(),
    reason: z.string().trim().min(1).max(1024),
  }).refine((d) => (d.taskArn === undefined) !== (d.serviceArn === undefined), { message: 'exactly one of taskArn and serviceArn is required' }),
});

const quarantineEvent = z.discriminatedUnion('source', [guardDutyFinding, quarantineRequested]);

/** What set off a quarantine: a GuardDuty finding or an explicit request. */
export type QuarantineTrigger =
  | { readonly kind: 'guardduty-finding'; readonly findingId: string; readonly findingType: string; readonly severity: number }
  | { readonly kind: 'quarantine-request'; readonly reason: string };

/** A validated request to isolate one task of the protected cluster. */
export interface QuarantineRequest {
  readonly taskArn: string;
  readonly trigger: QuarantineTrigger;
}

/** A validated request to isolate the running tasks of one service of the protected cluster. */
export interface ServiceQuarantineRequest {
  readonly serviceArn: string;
  readonly trigger: QuarantineTrigger;
}

/** Raised for events that must not lead to any action; the message says what was wrong. */
export class RejectedEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RejectedEventError';
  }
}

/**
 * Validates an EventBridge event and turns it into a quarantine request for a task of
 * `clusterArn`. Anything unexpected is rejected before any AWS call is made: the function
 * fails closed, and the failure reaches responders through the on-failure destination.
 */
export function parseQuarantineEvent(event: unknown, clusterArn: string): QuarantineRequest | ServiceQuarantineRequest {
  const parsed = quarantineEvent.safeParse(event);
  if (!parsed.success) {
    throw new RejectedEventError(`Rejected event: not a GuardDuty ECS finding nor a '${QUARANTINE_EVENT_DETAIL_TYPE}' request.\n${z.prettifyError(parsed.error)}`);
  }
  if (parsed.data.source === QUARANTINE_EVENT_SOURCE && parsed.data.detail.serviceArn !== undefined) {
    const { serviceArn: service, reason } = parsed.data.detail;
    if (clusterArnOfService(service) !== clusterArn) {
      throw new RejectedEventError(`Rejected event: service ${service} does not belong to ${clusterArn}`);
    }
    return { serviceArn: service, trigger: { kind: 'quarantine-request', reason } };
  }
  const request: QuarantineRequest = parsed.data.source === 'aws.guardduty'
    ? {
      taskArn: parsed.data.detail.resource.ecsClusterDetails.taskDetails.arn,
      trigger: {
        kind: 'guardduty-finding',
        findingId: parsed.data.detail.id,
        findingType: parsed.data.detail.type,
        severity: parsed.data.detail.severity,
      },
    }
    : { taskArn: parsed.data.detail.taskArn!, trigger: { kind: 'quarantine-request', reason: parsed.data.detail.reason } };

  if (parsed.data.source === 'aws.guardduty' && parsed.data.detail.resource.ecsClusterDetails.arn !== clusterArn) {
    throw new RejectedEventError(`Rejected event: finding is for cluster ${parsed.data.detail.resource.ecsClusterDetails.arn}, this function protects ${clusterArn}`);
  }
  if (clusterArnOfTask(request.taskArn) !== clusterArn) {
    throw new RejectedEventError(`Rejected event: task ${request.taskArn} does not belong to ${clusterArn}`);
  }
  return request;
}

/** The ARN of the cluster a new-format task ARN belongs to. */
export function clusterArnOfTask(arn: string): string {
  return clusterArnOf(parseArn(TASK_ARN, arn, 'task'));
}

/** The ARN of the cluster a new-format service ARN belongs to. */
export function clusterArnOfService(arn: string): string {
  return clusterArnOf(parseArn(SERVICE_ARN, arn, 'service'));
}

/** The name of the service a new-format service ARN names. */
export function serviceNameOf(arn: string): string {
  return parseArn(SERVICE_ARN, arn, 'service')[5];
}

/** Matches `arn` against a task or service ARN pattern; an ARN of another form rejects the event. */
function parseArn(pattern: RegExp, arn: string, kind: 'task' | 'service'): RegExpExecArray {
  const match = pattern.exec(arn);
  if (!match) throw new RejectedEventError(`Rejected event: '${arn}' is not a ${kind} ARN`);
  return match;
}

/** Both patterns capture partition, region, account and cluster name first. */
function clusterArnOf([, partition, region, account, cluster]: RegExpExecArray): string {
  return `arn:${partition}:ecs:${region}:${account}:cluster/${cluster}`;
}

/** True for a well-formed cluster ARN; used to validate the function's configuration. */
export function isClusterArn(value: string): boolean {
  return CLUSTER_ARN.test(value);
}
