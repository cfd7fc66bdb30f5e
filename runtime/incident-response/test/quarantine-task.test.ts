import { CreateTagsCommand, DescribeNetworkInterfacesCommand, EC2Client, ModifyNetworkInterfaceAttributeCommand } from '@aws-sdk/client-ec2';
import { DescribeTasksCommand, ECSClient, StopTaskCommand, Task } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { QuarantineReport, QuarantineSettings } from '../src/isolate-task';
import { createHandler, settingsFromEnvironment } from '../src/quarantine-task';
import { CLUSTER_ARN, NOW, QUARANTINE_SG, SETTINGS, VPC_ID } from './support/fixtures';

const TASK_ARN = 'arn:aws:ecs:us-east-1:111111111111:task/mcp/0123456789abcdef0123456789abcdef';
const ENI_ID = 'eni-0a1b2c3d4e5f60718';

const ecs = mockClient(ECSClient);
const ec2 = mockClient(EC2Client);

function handlerWith(settings: QuarantineSettings = SETTINGS): (event: unknown) => Promise<QuarantineReport> {
  // Every event in this file names a task, so every report is a task report (service requests: isolate-service.test.ts).
  return createHandler(settings, { ecs: new ECSClient({ region: 'us-east-1' }), ec2: new EC2Client({ region: 'us-east-1' }) }, () => NOW) as
    (event: unknown) => Promise<QuarantineReport>;
}

function guardDutyFinding(overrides: { clusterArn?: string; taskArn?: string; resourceType?: string } = {}) {
  return {
    'version': '0',
    'source': 'aws.guardduty',
    'detail-type': 'GuardDuty Finding',
    'account': '111111111111',
    'region': 'us-east-1',
    'detail': {
      id: 'f1e2d3c4b5a6',
      type: 'Execution:Runtime/ReverseShell',
      severity: 8,
      resource: {
        resourceType: overrides.resourceType ?? 'ECSCluster',
        ecsClusterDetails: {
          name: 'mcp',
          arn: overrides.clusterArn ?? CLUSTER_ARN,
          taskDetails: { arn: overrides.taskArn ?? TASK_ARN, definitionArn: 'arn:aws:ecs:us-east-1:111111111111:task-definition/mcp-server:3' },
        },
      },
    },
  };
}

function quarantineRequest(detail: Record<string, unknown> = { taskArn: TASK_ARN, reason: 'risk score 0.97 for session s-1' }) {
  return { 'version': '0', 'source': 'mcp-kit.incident', 'detail-type': 'Quarantine Task', 'account': '111111111111', 'region': 'us-east-1', detail };
}

function runningTask(overrides: Partial<Task> = {}): Task {
  return {
    taskArn: TASK_ARN,
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    attachments: [{
      type: 'ElasticNetworkInterface',
      status: 'ATTACHED',
      details: [
        { name: 'subnetId', value: 'subnet-0123' },
        { name: 'networkInterfaceId', value: ENI_ID },
        { name: 'privateIPv4Address', value: '10.0.1.23' },
      ],
    }],
    ...overrides,
  };
}

function givenTask(task: Task, groups: string[] = ['sg-0aaaaaaaaaaaaaaaa', 'sg-0bbbbbbbbbbbbbbbb'], vpcId = VPC_ID) {
  ecs.on(DescribeTasksCommand).resolves({ tasks: [task], failures: [] });
  ec2.on(DescribeNetworkInterfacesCommand).resolves({
    NetworkInterfaces: [{ NetworkInterfaceId: ENI_ID, VpcId: vpcId, Groups: groups.map((GroupId) => ({ GroupId })) }],
  });
  ec2.on(CreateTagsCommand).resolves({});
  ec2.on(ModifyNetworkInterfaceAttributeCommand).resolves({});
  ecs.on(StopTaskCommand).resolves({});
}

function expectNoAwsCalls(): void {
  expect(ecs.calls()).toHaveLength(0);
  expect(ec2.calls()).toHaveLength(0);
}

const auditLog = jest.spyOn(console, 'log').mockImplementation(() => undefined);

beforeEach(() => {
  ecs.reset();
  ec2.reset();
});

describe('a GuardDuty runtime finding for an ECS task', () => {
  test('gives the task ENI exactly the quarantine security group', async () => {
    // GIVEN
    givenTask(runningTask());

    // WHEN
    const report = await handlerWith()(guardDutyFinding());

    // THEN
    expect(ecs.commandCalls(DescribeTasksCommand)[0].args[0].input).toEqual({ cluster: CLUSTER_ARN, tasks: [TASK_ARN] });
    const swaps = ec2.commandCalls(ModifyNetworkInterfaceAttributeCommand);
    expect(swaps).toHaveLength(1);
    expect(swaps[0].args[0].input).toEqual({ NetworkInterfaceId: ENI_ID, Groups: [QUARANTINE_SG] });
    expect(report).toEqual({
      outcome: 'quarantined',
      taskArn: TASK_ARN,
      trigger: { kind: 'guardduty-finding', findingId: 'f1e2d3c4b5a6', findingType: 'Execution:Runtime/ReverseShell', severity: 8 },
      quarantineSecurityGroupId: QUARANTINE_SG,
      networkInterfaceId: ENI_ID,
      previousSecurityGroupIds: ['sg-0aaaaaaaaaaaaaaaa', 'sg-0bbbbbbbbbbbbbbbb'],
      taskStopRequested: false,
    });
  });

  test('records the previous groups on the ENI before swapping them', async () => {
    givenTask(runningTask());

    await handlerWith()(guardDutyFinding());

    const tags = ec2.commandCalls(CreateTagsCommand);
    expect(tags).toHaveLength(1);
    expect(tags[0].args[0].input).toEqual({
      Resources: [ENI_ID],
      Tags: [
        { Key: 'mcp-kit:quarantine-at', Value: '2026-11-27T10:00:00.000Z' },
        { Key: 'mcp-kit:quarantine-trigger', Value: 'guardduty Execution:Runtime/ReverseShell f1e2d3c4b5a6' },
        { Key: 'mcp-kit:quarantine-previous-groups', Value: 'sg-0aaaaaaaaaaaaaaaa sg-0bbbbbbbbbbbbbbbb' },
      ],
    });
    const order = ec2.calls().map((call) => call.args[0].constructor.name);
    expect(order).toEqual(['DescribeNetworkInterfacesCommand', 'CreateTagsCommand', 'ModifyNetworkInterfaceAttributeCommand']);
  });

  test('writes one structured audit line with the report', async () => {
    givenTask(runningTask());

    const report = await handlerWith()(guardDutyFinding());

    expect(auditLog).toHaveBeenCalledTimes(1);
    expect(JSON.parse(auditLog.mock.calls[0][0] as string)).toEqual({ message: 'mcp-kit task quarantine', ...report });
  });

  test('never stops the task unless configured to', async () => {
    givenTask(runningTask());

    await handlerWith()(guardDutyFinding());

    expect(ecs.commandCalls(StopTaskCommand)).toHaveLength(0);
  });

  test('stops the task after isolating it when configured to', async () => {
    givenTask(runningTask());

    const report = await handlerWith({ ...SETTINGS, stopTask: true })(guardDutyFinding());

    const stops = ecs.commandCalls(StopTaskCommand);
    expect(stops).toHaveLength(1);
    expect(stops[0].args[0].input).toMatchObject({ cluster: CLUSTER_ARN, task: TASK_ARN });
    expect(stops[0].args[0].input.reason).toMatch(/^Quarantined by mcp-kit/);
    expect(report.taskStopRequested).toBe(true);
    expect(ec2.commandCalls(ModifyNetworkInterfaceAttributeCommand)).toHaveLength(1);
  });
});

test('a quarantine request from the gateway isolates the named task', async () => {
  givenTask(runningTask());

  const report = await handlerWith()(quarantineRequest());

  expect(ec2.commandCalls(ModifyNetworkInterfaceAttributeCommand)[0].args[0].input).toEqual({ NetworkInterfaceId: ENI_ID, Groups: [QUARANTINE_SG] });
  expect(report.outcome).toBe('quarantined');
  expect(report.trigger).toEqual({ kind: 'quarantine-request', reason: 'risk score 0.97 for session s-1' });
});

test('a task that no longer exists is reported, and nothing is changed', async () => {
  ecs.on(DescribeTasksCommand).resolves({ tasks: [], failures: [{ arn: TASK_ARN, reason: 'MISSING' }] });

  const report = await handlerWith()(guardDutyFinding());

  expect(report.outcome).toBe('task-not-found');
  expect(ec2.calls()).toHaveLength(0);
});

test('a stopped task is reported, and nothing is changed', async () => {
  givenTask(runningTask({ lastStatus: 'STOPPED', desiredStatus: 'STOPPED' }));

  const report = await handlerWith({ ...SETTINGS, stopTask: true })(guardDutyFinding());

  expect(report.outcome).toBe('task-stopped');
  expect(ec2.calls()).toHaveLength(0);
  expect(ecs.commandCalls(StopTaskCommand)).toHaveLength(0);
});

test('an ENI that already has only the quarantine group is left alone (idempotent)', async () => {
  givenTask(runningTask(), [QUARANTINE_SG]);

  const report = await handlerWith()(guardDutyFinding());

  expect(report.outcome).toBe('already-quarantined');
  expect(report.networkInterfaceId).toBe(ENI_ID);
  expect(ec2.commandCalls(ModifyNetworkInterfaceAttributeCommand)).toHaveLength(0);
  // The tags written by the first run hold the original groups and must not be overwritten.
  expect(ec2.commandCalls(CreateTagsCommand)).toHaveLength(0);
});

test('an ENI with the quarantine group among others is still quarantined', async () => {
  givenTask(runningTask(), [QUARANTINE_SG, 'sg-0aaaaaaaaaaaaaaaa']);

  const report = await handlerWith()(guardDutyFinding());

  expect(report.outcome).toBe('quarantined');
  expect(ec2.commandCalls(ModifyNetworkInterfaceAttributeCommand)[0].args[0].input.Groups).toEqual([QUARANTINE_SG]);
});

test('fails when the task has no ENI, without changing anything', async () => {
  givenTask(runningTask({ attachments: [] }));

  await expect(handlerWith()(guardDutyFinding())).rejects.toThrow(/has no elastic network interface \(awsvpc network mode is required/);
  expect(ec2.calls()).toHaveLength(0);
});

test('fails when the ENI is outside the quarantine group VPC, without changing anything', async () => {
  givenTask(runningTask(), ['sg-0aaaaaaaaaaaaaaaa'], 'vpc-0ffffffffffffffff');

  await expect(handlerWith()(guardDutyFinding())).rejects.toThrow(`is in vpc-0ffffffffffffffff, the quarantine security group is in ${VPC_ID}`);
  expect(ec2.commandCalls(CreateTagsCommand)).toHaveLength(0);
  expect(ec2.commandCalls(ModifyNetworkInterfaceAttributeCommand)).toHaveLength(0);
});

describe('malformed or foreign events fail closed before any AWS call', () => {
  test.each([
    ['an empty object', {}],
    ['null', null],
    ['a request without a task ARN', quarantineRequest({ reason: 'suspicious' })],
    ['a request without a reason', quarantineRequest({ taskArn: TASK_ARN })],
    ['a request with an old-format task ARN', quarantineRequest({ taskArn: 'arn:aws:ecs:us-east-1:111111111111:task/0123456789abcdef0123456789abcdef', reason: 'x' })],
    ['a request naming a task and a service', quarantineRequest({ taskArn: TASK_ARN, serviceArn: 'arn:aws:ecs:us-east-1:111111111111:service/mcp/notes', reason: 'x' })],
    ['a request with an old-format service ARN', quarantineRequest({ serviceArn: 'arn:aws:ecs:us-east-1:111111111111:service/notes', reason: 'x' })],
    ['a GuardDuty finding for an EC2 instance', guardDutyFinding({ resourceType: 'Instance' })],
    ['an event from another source', { ...quarantineRequest(), source: 'attacker.events' }],
  ])('rejects %s', async (_name, event) => {
    givenTask(runningTask());

    await expect(handlerWith()(event)).rejects.toThrow(/^Rejected event: not a GuardDuty ECS finding nor a 'Quarantine Task' request/);
    expectNoAwsCalls();
  });

  test('rejects a finding for another cluster', async () => {
    givenTask(runningTask());
    const otherCluster = 'arn:aws:ecs:us-east-1:111111111111:cluster/other';

    await expect(handlerWith()(guardDutyFinding({ clusterArn: otherCluster, taskArn: TASK_ARN.replace('/mcp/', '/other/') })))
      .rejects.toThrow(`Rejected event: finding is for cluster ${otherCluster}, this function protects ${CLUSTER_ARN}`);
    expectNoAwsCalls();
  });

  test('rejects a request for a task of another cluster or account', async () => {
    givenTask(runningTask());
    const foreignTask = 'arn:aws:ecs:us-east-1:222222222222:task/mcp/0123456789abcdef0123456789abcdef';

    await expect(handlerWith()(quarantineRequest({ taskArn: foreignTask, reason: 'x' })))
      .rejects.toThrow(`Rejected event: task ${foreignTask} does not belong to ${CLUSTER_ARN}`);
    expectNoAwsCalls();
  });
});

describe('configuration from the environment', () => {
  test('reads a complete configuration', () => {
    expect(settingsFromEnvironment({ CLUSTER_ARN, VPC_ID, QUARANTINE_SECURITY_GROUP_ID: QUARANTINE_SG, STOP_TASK: 'true' }))
      .toEqual({ clusterArn: CLUSTER_ARN, vpcId: VPC_ID, quarantineSecurityGroupId: QUARANTINE_SG, stopTask: true });
  });

  test('fails naming every missing or malformed value', () => {
    expect(() => settingsFromEnvironment({ CLUSTER_ARN: 'mcp', STOP_TASK: 'yes' })).toThrow([
      'Quarantine function is misconfigured:',
      "  - CLUSTER_ARN must be an ECS cluster ARN, got 'mcp'",
      "  - VPC_ID must be a VPC id, got ''",
      "  - QUARANTINE_SECURITY_GROUP_ID must be a security group id, got ''",
      "  - STOP_TASK must be 'true' or 'false', got 'yes'",
    ].join('\n'));
  });
});
