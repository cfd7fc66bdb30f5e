// The Lambda Node.js 22 runtime provides AWS SDK v3; the bundle marks @aws-sdk/* external.
// eslint-disable-next-line import/no-extraneous-dependencies
import { EC2Client } from '@aws-sdk/client-ec2';
// eslint-disable-next-line import/no-extraneous-dependencies
import { ECSClient } from '@aws-sdk/client-ecs';
import { isolateService, ServiceQuarantineReport } from './isolate-service';
import { isolateTask, QuarantineClients, QuarantineReport, QuarantineSettings } from './isolate-task';
import { isClusterArn, parseQuarantineEvent } from './quarantine-request';

/**
 * Reads the function's configuration from its environment and refuses to run without a
 * complete one (the construct always sets it; a missing value means tampering or drift).
 */
export function settingsFromEnvironment(env: NodeJS.ProcessEnv): QuarantineSettings {
  const problems: string[] = [];
  const clusterArn = env.CLUSTER_ARN ?? '';
  const vpcId = env.VPC_ID ?? '';
  const quarantineSecurityGroupId = env.QUARANTINE_SECURITY_GROUP_ID ?? '';
  if (!isClusterArn(clusterArn)) problems.push(`CLUSTER_ARN must be an ECS cluster ARN, got '${clusterArn}'`);
  if (!/^vpc-[0-9a-f]+$/.test(vpcId)) problems.push(`VPC_ID must be a VPC id, got '${vpcId}'`);
  if (!/^sg-[0-9a-f]+$/.test(quarantineSecurityGroupId)) problems.push(`QUARANTINE_SECURITY_GROUP_ID must be a security group id, got '${quarantineSecurityGroupId}'`);
  if (env.STOP_TASK !== 'true' && env.STOP_TASK !== 'false') problems.push(`STOP_TASK must be 'true' or 'false', got '${env.STOP_TASK}'`);
  if (problems.length > 0) {
    throw new Error(`Quarantine function is misconfigured:\n  - ${problems.join('\n  - ')}`);
  }
  return { clusterArn, vpcId, quarantineSecurityGroupId, stopTask: env.STOP_TASK === 'true' };
}

/**
 * Builds the EventBridge handler. The returned report is the function's result, which the
 * on-success destination publishes to the findings topic; errors go to the on-failure
 * destination and, after retries, to the dead-letter queue.
 */
export function createHandler(settings: QuarantineSettings, clients: QuarantineClients, clock: () => Date = () => new Date()) {
  return async (event: unknown): Promise<QuarantineReport | ServiceQuarantineReport> => {
    const request = parseQuarantineEvent(event, settings.clusterArn);
    const report = 'serviceArn' in request
      ? await isolateService(request, settings, clients, clock())
      : await isolateTask(request, settings, clients, clock());
    // One structured line per action: the audit trail in the function's encrypted log group.
    console.log(JSON.stringify({ message: 'mcp-kit task quarantine', ...report }));
    return report;
  };
}

let configured: ((event: unknown) => Promise<QuarantineReport | ServiceQuarantineReport>) | undefined;

/** Lambda entry point. Configuration and clients are created once per execution environment. */
export async function handler(event: unknown): Promise<QuarantineReport | ServiceQuarantineReport> {
  configured ??= createHandler(settingsFromEnvironment(process.env), { ecs: new ECSClient({}), ec2: new EC2Client({}) });
  return configured(event);
}
