import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import { CERTIFICATE_ARN, gatewayFixture, IMAGE, mcpGateway, PUBLIC_URL } from './fixture';
import { SecureCluster } from '../../lib/compute';
import { KeyRing } from '../../lib/encryption';
import { listAcknowledgements } from '../../lib/gate';
import { McpSecurityGateway } from '../../lib/gateway';
import { McpIdentity } from '../../lib/identity';
import { AlarmTopic, LogArchive } from '../../lib/logging';
import { SegmentedVpc } from '../../lib/network';
import { SecureLoadBalancer } from '../../lib/perimeter';
import { expectGateClean } from '../support/gate';

/** The kit's layers composed as a deployment would: network, cluster, keys, logs, identity, endpoint, gateway. */
function composedStack(): { stack: Stack; gateway: McpSecurityGateway } {
  const stack = new Stack(new App(), 'Test', { env: { account: '111111111111', region: 'us-east-1' } });
  const keys = new KeyRing(stack, 'Keys');
  keys.allowCloudWatchAlarms();
  const network = new SegmentedVpc(stack, 'Network', { flowLogEncryptionKey: keys.logs, availabilityZones: ['us-east-1a', 'us-east-1b'] });
  const cluster = new SecureCluster(stack, 'Cluster', { vpc: network.vpc });
  const archive = new LogArchive(stack, 'LogArchive', { encryptionKey: keys.logs });
  const identity = new McpIdentity(stack, 'Identity', {
    resource: PUBLIC_URL,
    toolGroups: [{ name: 'read', description: 'Read-only tools' }, { name: 'write', description: 'Tools that change data' }],
    domainPrefix: 'example-mcp',
  });
  const loadBalancer = new SecureLoadBalancer(stack, 'Endpoint', {
    vpc: network.vpc,
    vpcSubnets: network.ingressSubnets,
    internetFacing: true,
    certificates: [acm.Certificate.fromCertificateArn(stack, 'Certificate', CERTIFICATE_ARN)],
    accessLogBucket: archive.accessLogsBucket,
    logEncryptionKey: keys.logs,
    webAcl: { healthPath: '/healthz' },
  });
  const gateway = new McpSecurityGateway(stack, 'Gateway', {
    cluster: cluster.cluster,
    vpcSubnets: network.workloadSubnets,
    loadBalancer,
    publicUrl: PUBLIC_URL,
    authorizationServer: identity,
    signingKey: keys.signing,
    auditKey: keys.data,
    logKey: keys.logs,
    secretsKey: keys.secrets,
    upstreams: [{ name: 'github', url: 'https://github-mcp.internal.example.com/mcp' }],
    image: IMAGE,
    alarmTopic: new AlarmTopic(stack, 'Alarms', { encryptionKey: keys.logs }).topic,
  });
  return { stack, gateway };
}

describe('McpSecurityGateway gate', () => {
  test('a gateway with its defaults passes the gate', () => {
    const fixture = gatewayFixture();
    mcpGateway(fixture);
    expectGateClean(fixture.subject);
  });

  test('a gateway that requests quarantines passes the gate', () => {
    const fixture = gatewayFixture();
    const notes = ecs.FargateService.fromServiceArnWithCluster(fixture.stack, 'NotesService', 'arn:aws:ecs:us-east-1:111111111111:service/mcp/notes');
    mcpGateway(fixture, {
      quarantineRequestBus: new events.EventBus(fixture.subject, 'Incidents'),
      upstreams: [{ name: 'notes', url: 'https://notes.internal.example.com/mcp', ecsService: notes }],
    });
    expectGateClean(fixture.subject);
  });

  test('a gateway with alarms passes the gate', () => {
    const fixture = gatewayFixture();
    mcpGateway(fixture, { alarmTopic: new AlarmTopic(fixture.subject, 'Alarms', { encryptionKey: fixture.keys.logs }).topic });
    expectGateClean(fixture.subject);
  });

  test('a stack composing the network, cluster, log archive, identity, endpoint and gateway passes the gate', () => {
    // GIVEN / WHEN
    const { stack } = composedStack();

    // THEN
    expectGateClean(stack);
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 3);
  });

  test('acknowledges only the rotation findings of the session-key secret, beyond those of McpServerService', () => {
    // GIVEN
    const { gateway } = composedStack();

    // WHEN: what the gateway acknowledges outside the McpServerService it composes
    const acknowledged = listAcknowledgements(gateway)
      .filter((entry) => !entry.path.startsWith(`${gateway.service.node.path}/`))
      .map((entry) => `${entry.path} ${entry.id}`);

    // THEN
    expect(acknowledged).toEqual([
      'Test/Gateway/SessionKey AwsSolutions::AwsSolutions-SMG4',
      'Test/Gateway/SessionKey NIST.800.53.R5::NIST.800.53.R5-SecretsManagerRotationEnabled',
      'Test/Gateway/SessionKey HIPAA.Security::HIPAA.Security-SecretsManagerRotationEnabled',
    ]);
  });
});
