import { Template } from 'aws-cdk-lib/assertions';
import { getAtt, logicalId, resourcesOf, serviceMeshStack } from './fixture';
import { AccountBaselineStack } from '../../../patterns/baseline/account-baseline-stack';

describe('MeshObservability', () => {
  // GIVEN the pattern with `notes` and `tickets`
  const stack = serviceMeshStack({ serverErrorAlarmThreshold: 3 });
  const template = Template.fromStack(stack);
  const observability = stack.observability;
  const cluster = { Ref: logicalId(stack.platform.cluster.cluster) };
  const gatewayServiceName = getAtt(stack.gateway.service.service, 'Name');
  const baseline = stack.node.root.node.findChild('Baseline') as AccountBaselineStack;

  /** The alarm of `observability` for `alias` with construct id `id`, as synthesized. */
  function alarm(alias: string, id: string) {
    const construct = observability.node.findChild(alias).node.findChild(id);
    return resourcesOf(template, 'AWS::CloudWatch::Alarm')[logicalId(construct)].Properties;
  }

  // proves: defense-in-depth/monitoring
  test('alarms on any TLS handshake the gateway\'s proxy fails with a server', () => {
    for (const alias of ['notes', 'tickets']) {
      expect(alarm(alias, 'TlsFailures')).toMatchObject({
        Namespace: 'AWS/ECS',
        MetricName: 'TargetTLSNegotiationErrorCount',
        Dimensions: expect.arrayContaining([
          { Name: 'ClusterName', Value: cluster },
          { Name: 'ServiceName', Value: gatewayServiceName },
          { Name: 'TargetDiscoveryName', Value: alias },
        ]),
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        ActionsEnabled: true,
      });
    }
  });

  test('alarms on server errors at the configured threshold', () => {
    expect(alarm('tickets', 'ServerErrors')).toMatchObject({
      MetricName: 'HTTPCode_Target_5XX_Count',
      Dimensions: expect.arrayContaining([{ Name: 'TargetDiscoveryName', Value: 'tickets' }]),
      Threshold: 3,
    });
  });

  test('sends every mesh alarm to the baseline\'s findings topic', () => {
    expect(observability.alarms).toHaveLength(4);
    for (const construct of observability.alarms) {
      const actions = resourcesOf(template, 'AWS::CloudWatch::Alarm')[logicalId(construct)].Properties.AlarmActions as unknown[];
      // The topic lives in the baseline stack: the action imports its export, named after it.
      expect(actions).toEqual([{ 'Fn::ImportValue': expect.stringContaining(logicalId(baseline.monitoring.findingsTopic)) }]);
    }
  });

  test('draws one dashboard with the gateway\'s decisions and each server\'s calls, response time and TLS failures', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const body = JSON.stringify(stack.resolve(resourcesOf(template, 'AWS::CloudWatch::Dashboard')[logicalId(observability.dashboard)].Properties.DashboardBody));
    for (const title of ['Gateway decisions', 'notes: calls from the gateway', 'tickets: response time', 'tickets: TLS handshake failures']) {
      expect(body).toContain(title);
    }
    for (const metric of ['RequestCount', 'HTTPCode_Target_4XX_Count', 'TargetResponseTime', 'ClientTLSNegotiationErrorCount', 'DiscoveryName']) {
      expect(body).toContain(metric);
    }
  });
});
