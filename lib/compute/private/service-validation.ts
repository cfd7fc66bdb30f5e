import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { IConstruct } from 'constructs';
import { environmentProblems } from './environment-policy';
import { secretSource } from './secret-source';

/** The fewest tasks, and Availability Zones, an MCP server runs in. */
export const MIN_TASKS = 2;

/** The values of McpServerService props that validation looks at, defaults applied. */
export interface ServiceSettings {
  readonly vpc: ec2.IVpc;
  readonly vpcSubnets: ec2.SubnetSelection;
  readonly port: number;
  readonly user: string;
  readonly desiredCount: number;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly targetCpuUtilizationPercent: number;
  readonly environment: Record<string, string>;
  readonly secrets: Record<string, ecs.Secret>;
  readonly hasLogKey: boolean;
  readonly hasLogGroup: boolean;
  readonly allowFrom: ec2.IPeer;
}

const isInteger = (value: number) => Token.isUnresolved(value) || Number.isInteger(value);

/** Every problem with `settings`, one string each naming the prop, the value and what is allowed. */
export function serviceProblems(scope: IConstruct, settings: ServiceSettings): string[] {
  const problems: string[] = [];
  const { port, desiredCount, minCapacity, maxCapacity, targetCpuUtilizationPercent: target } = settings;

  if (!isInteger(port) || port < 1 || port > 65535) problems.push(`port must be an integer from 1 to 65535, got ${port}`);
  if (!isInteger(desiredCount) || desiredCount < MIN_TASKS) {
    problems.push(`desiredCount must be an integer of at least ${MIN_TASKS} (one task per Availability Zone), got ${desiredCount}`);
  }
  if (!isInteger(minCapacity) || minCapacity < MIN_TASKS) problems.push(`minCapacity must be an integer of at least ${MIN_TASKS}, got ${minCapacity}`);
  if (!isInteger(maxCapacity) || maxCapacity < minCapacity) problems.push(`maxCapacity must be an integer of at least minCapacity (${minCapacity}), got ${maxCapacity}`);
  if (desiredCount < minCapacity || desiredCount > maxCapacity) {
    problems.push(`desiredCount must be between minCapacity and maxCapacity (${minCapacity}-${maxCapacity}), got ${desiredCount}`);
  }
  if (target < 10 || target > 90) problems.push(`targetCpuUtilizationPercent must be from 10 to 90, got ${target}`);

  if (!Token.isUnresolved(settings.user)) {
    const account = settings.user.split(':')[0].trim().toLowerCase();
    if (account === '' || account === 'root' || account === '0') {
      problems.push(`user '${settings.user}' runs the container as root; give a non-root '<uid>:<gid>' such as '1000:1000'`);
    }
  }

  if (settings.hasLogKey === settings.hasLogGroup) problems.push('give exactly one of logKey and logGroup');
  const peer = settings.allowFrom.uniqueId;
  if (['0.0.0.0/0', '::/0'].includes(peer)) {
    problems.push(`allowFrom must be a named peer (a security group or a private prefix), got ${peer}: MCP servers are never reachable from everywhere`);
  }

  for (const [name, secret] of Object.entries(settings.secrets)) {
    const source = secretSource(scope, secret);
    if (source === 'ssm-parameter') {
      problems.push(`secrets.${name} is an SSM parameter; only Secrets Manager secrets are accepted (ecs.Secret.fromSecretsManager)`);
    } else if (source === 'unrecognised') {
      problems.push(`secrets.${name} is not recognisably a Secrets Manager secret; use ecs.Secret.fromSecretsManager`);
    }
    if (name in settings.environment) problems.push(`${name} is both in environment and in secrets`);
  }
  problems.push(...environmentProblems(scope, settings.environment));
  problems.push(...subnetProblems(settings.vpc, settings.vpcSubnets));
  return problems;
}

function subnetProblems(vpc: ec2.IVpc, selection: ec2.SubnetSelection): string[] {
  let selected: ec2.SelectedSubnets;
  try {
    selected = vpc.selectSubnets(selection);
  } catch (error) {
    return [`vpcSubnets selects no subnets of the cluster's VPC: ${(error as Error).message}`];
  }
  const problems: string[] = [];
  const publicIds = new Set(vpc.publicSubnets.map((subnet) => subnet.subnetId));
  if (selected.subnets.some((subnet) => publicIds.has(subnet.subnetId))) {
    problems.push('vpcSubnets selects public subnets; run MCP servers in the private workload tier');
  }
  const zones = selected.subnets.map((subnet) => subnet.availabilityZone);
  if (!zones.some((zone) => Token.isUnresolved(zone)) && new Set(zones).size < MIN_TASKS) {
    problems.push(`vpcSubnets must span at least ${MIN_TASKS} Availability Zones so tasks survive the loss of one, got ${new Set(zones).size} (${[...new Set(zones)].join(', ')})`);
  }
  return problems;
}
