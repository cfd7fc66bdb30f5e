import { CreateTagsCommand, DescribeNetworkInterfacesCommand, EC2Client, ModifyNetworkInterfaceAttributeCommand } from '@aws-sdk/client-ec2';
import { DescribeTasksCommand, ECSClient, ListTasksCommand, Task } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { MAX_TASKS_PER_SERVICE, ServiceQuarantineReport } from '../src/isolate-service';
import { createHandler } from '../src/quarantine-task';
import { CLUSTER_ARN, NOW, QUARANTINE_SG, SETTINGS, VPC_ID } from './support/fixtures';

const SERVICE_ARN = 'arn:aws:ecs:us-east-1:111111111111:service/mcp/notes';
const REASON = 'gateway mcp-gateway: upstream notes: tool-drift: "search" changed its definition';

const ecs = mockClient(ECSClient);
const ec2 = mockClient(EC2Client);
jest.spyOn(console, 'log').mockImplementation(() => undefined);

const taskArn = (i: number) => `arn:aws:ecs:us-east-1:111111111111:task/mcp/${i.toString(16).padStart(32, '0')}`;
const eniOf = (arn: string) => `eni-${arn.slice(-17)}`;

function handler(): (event: unknown) => Promise<ServiceQuarantineReport> {
  return createHandler(SETTINGS, { ecs: new ECSClient({ region: 'us-east-1' }), ec2: new EC2Client({ region: 'us-east-1' }) }, () => NOW) as
    (event: unknown) => Promise<ServiceQuarantineReport>;
}

function serviceRequest(serviceArn = SERVICE_ARN) {
  return {
    'version': '0',
    'source': 'mcp-kit.incident',
    'detail-type': 'Quarantine Task',
    'account': '111111111111',
    'region': 'us-east-1',
    'detail': { serviceArn, reason: REASON, upstream: 'notes', gateway: 'mcp-gateway' },
  };
}

/** The service runs these tasks; each has its own ENI with two groups. */
function givenService(arns: string[]): void {
  ecs.on(ListTasksCommand).resolves({ taskArns: arns });
  ecs.on(DescribeTasksCommand).callsFake((input: { tasks: string[] }) => ({
    tasks: input.tasks.map((arn): Task => ({
      taskArn: arn,
      lastStatus: 'RUNNING',
      desiredStatus: 'RUNNING',
      attachments: [{ type: 'ElasticNetworkInterface', details: [{ name: 'networkInterfaceId', value: eniOf(arn) }] }],
    })),
  }));
  ec2.on(DescribeNetworkInterfacesCommand).callsFake((input: { NetworkInterfaceIds: string[] }) => ({
    NetworkInterfaces: [{ NetworkInterfaceId: input.NetworkInterfaceIds[0], VpcId: VPC_ID, Groups: [{ GroupId: 'sg-0aaaaaaaaaaaaaaaa' }] }],
  }));
  ec2.on(CreateTagsCommand).resolves({});
  ec2.on(ModifyNetworkInterfaceAttributeCommand).resolves({});
}

beforeEach(() => {
  ecs.reset();
  ec2.reset();
});

describe('a quarantine request naming an ECS service (what the gateway knows of an upstream)', () => {
  test('isolates every running task of the service, found by listing the service in the protected cluster', async () => {
    // GIVEN
    givenService([taskArn(1), taskArn(2)]);

    // WHEN
    const report = await handler()(serviceRequest());

    // THEN
    expect(ecs.commandCalls(ListTasksCommand)[0].args[0].input).toEqual({ cluster: CLUSTER_ARN, serviceName: 'notes', desiredStatus: 'RUNNING', maxResults: MAX_TASKS_PER_SERVICE + 1 });
    expect(ec2.commandCalls(ModifyNetworkInterfaceAttributeCommand).map((c) => c.args[0].input)).toEqual([
      { NetworkInterfaceId: eniOf(taskArn(1)), Groups: [QUARANTINE_SG] },
      { NetworkInterfaceId: eniOf(taskArn(2)), Groups: [QUARANTINE_SG] },
    ]);
    expect(report).toMatchObject({ outcome: 'service-quarantined', serviceArn: SERVICE_ARN, trigger: { kind: 'quarantine-request', reason: REASON } });
    expect(report.tasks.map((t) => [t.taskArn, t.outcome])).toEqual([[taskArn(1), 'quarantined'], [taskArn(2), 'quarantined']]);
  });

  test('a service without running tasks is reported, and nothing is changed', async () => {
    givenService([]);

    const report = await handler()(serviceRequest());

    expect(report).toEqual({ outcome: 'no-running-tasks', serviceArn: SERVICE_ARN, trigger: { kind: 'quarantine-request', reason: REASON }, tasks: [] });
    expect(ec2.calls()).toHaveLength(0);
  });

  test('fails without changing anything when the service runs more tasks than one request may isolate', async () => {
    givenService(Array.from({ length: MAX_TASKS_PER_SERVICE + 1 }, (_, i) => taskArn(i)));

    await expect(handler()(serviceRequest())).rejects.toThrow(`Service ${SERVICE_ARN} runs more than ${MAX_TASKS_PER_SERVICE} tasks; isolating all of them needs a responder's decision`);
    expect(ec2.calls()).toHaveLength(0);
    expect(ecs.commandCalls(DescribeTasksCommand)).toHaveLength(0);
  });

  test('rejects a service of another cluster or account before any AWS call', async () => {
    givenService([taskArn(1)]);
    const foreign = 'arn:aws:ecs:us-east-1:222222222222:service/mcp/notes';

    await expect(handler()(serviceRequest(foreign))).rejects.toThrow(`Rejected event: service ${foreign} does not belong to ${CLUSTER_ARN}`);
    expect(ecs.calls()).toHaveLength(0);
    expect(ec2.calls()).toHaveLength(0);
  });
});
