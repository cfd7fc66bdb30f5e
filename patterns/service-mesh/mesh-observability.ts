import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { declarePrinciples } from '../../lib/core/controls';
import { GatewayAuditMetrics } from '../../lib/gateway';

/** A server of the mesh, as its metrics name it. */
export interface MeshMetricsServer {
  /** Alias of the server in the mesh (the `DiscoveryName` of its metrics). */
  readonly alias: string;
  /** The server's ECS service. */
  readonly service: ecs.FargateService;
}

/** Properties of a MeshObservability. */
export interface MeshObservabilityProps {
  /** Cluster of the gateway and servers. */
  readonly cluster: ecs.ICluster;
  /** The gateway's ECS service, the mesh's only client. */
  readonly gatewayService: ecs.FargateService;
  /** The servers of the mesh. */
  readonly servers: readonly MeshMetricsServer[];
  /** Topic the alarms notify (e.g. the account baseline's findings topic). */
  readonly alarmTopic: sns.ITopic;
  /**
   * HTTP 5xx answers of one server to the gateway in five minutes that raise its error alarm.
   * @default 5
   */
  readonly serverErrorThreshold?: number;
  /**
   * The gateway's audit counts, shown on the dashboard next to the mesh's traffic.
   * @default - not shown
   */
  readonly gatewayAuditMetrics?: GatewayAuditMetrics;
}

const PERIOD = Duration.minutes(5);

/** What one alarm watches. */
interface AlarmOptions {
  readonly metric: cloudwatch.Metric;
  readonly threshold: number;
  readonly description: string;
}

/**
 * What to watch in the mesh, from the metrics ECS Service Connect publishes without set-up
 * (namespace `AWS/ECS`): per server, the gateway's calls as its proxy sees them (requests,
 * response codes, response time and failed TLS handshakes towards the server, dimension
 * `TargetDiscoveryName`) and the server's proxy's own count of failed TLS handshakes
 * (`DiscoveryName`). Two alarms per server: any TLS handshake the gateway's proxy could not
 * complete, which means calls to the server fail closed (an expired or unissued certificate,
 * a disabled CA); and server errors at or above a threshold. One dashboard shows it all.
 */
export class MeshObservability extends Construct {
  /** Dashboard of the mesh. */
  public readonly dashboard: cloudwatch.Dashboard;
  /** The alarms, two per server. */
  public readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: MeshObservabilityProps) {
    super(scope, id);
    const serverErrorThreshold = props.serverErrorThreshold ?? 5;
    if (!Number.isInteger(serverErrorThreshold) || serverErrorThreshold < 1) {
      throw new Error(`MeshObservability ${this.node.path}: serverErrorThreshold must be a whole number of at least 1, got ${serverErrorThreshold}`);
    }
    const clusterName = props.cluster.clusterName;
    // Metrics of calls as the gateway's proxy makes them: ServiceName is the calling service.
    const call = (metricName: string, alias: string, statistic: string = cloudwatch.Stats.SUM) => new cloudwatch.Metric({
      namespace: 'AWS/ECS',
      metricName,
      dimensionsMap: { ClusterName: clusterName, ServiceName: props.gatewayService.serviceName, TargetDiscoveryName: alias },
      statistic,
      period: PERIOD,
    });
    // Metrics of the server's own proxy: ServiceName is the server.
    const served = (metricName: string, server: MeshMetricsServer) => new cloudwatch.Metric({
      namespace: 'AWS/ECS',
      metricName,
      dimensionsMap: { ClusterName: clusterName, ServiceName: server.service.serviceName, DiscoveryName: server.alias },
      statistic: cloudwatch.Stats.SUM,
      period: PERIOD,
    });

    this.dashboard = new cloudwatch.Dashboard(this, 'Resource', { defaultInterval: Duration.hours(3) });
    this.dashboard.addWidgets(new cloudwatch.TextWidget({
      markdown: '## MCP service mesh\nGateway → server calls through ECS Service Connect (TLS from the mesh CA). '
        + '401 and 403 answers are servers refusing tokens that the gateway did not mint for them.',
      width: 24,
      height: 2,
    }));
    if (props.gatewayAuditMetrics) {
      const audit = props.gatewayAuditMetrics;
      this.dashboard.addWidgets(new cloudwatch.GraphWidget({
        title: 'Gateway decisions',
        left: [audit.denials, audit.guardrailBlocks, audit.auditFailures],
        width: 24,
      }));
    }

    for (const server of props.servers) {
      const tlsFailures = call('TargetTLSNegotiationErrorCount', server.alias);
      const serverErrors = call('HTTPCode_Target_5XX_Count', server.alias);
      this.dashboard.addWidgets(
        new cloudwatch.GraphWidget({
          title: `${server.alias}: calls from the gateway`,
          left: [
            call('RequestCount', server.alias).with({ label: 'requests' }),
            call('HTTPCode_Target_4XX_Count', server.alias).with({ label: '4xx (401/403 included: token refused)' }),
            serverErrors.with({ label: '5xx' }),
          ],
          width: 8,
        }),
        new cloudwatch.GraphWidget({
          title: `${server.alias}: response time`,
          left: [call('TargetResponseTime', server.alias, cloudwatch.Stats.p(99)).with({ label: 'p99 (ms)' })],
          width: 8,
        }),
        new cloudwatch.GraphWidget({
          title: `${server.alias}: TLS handshake failures`,
          left: [
            tlsFailures.with({ label: 'gateway proxy → server' }),
            served('ClientTLSNegotiationErrorCount', server).with({ label: 'at the server proxy' }),
          ],
          width: 8,
        }),
      );
      // One scope per server, named after its alias: ids stay unambiguous without joining strings.
      const alarms = new Construct(this, server.alias);
      this.alarms.push(
        this.alarm(alarms, 'TlsFailures', {
          metric: tlsFailures,
          threshold: 1,
          description: `MCP service mesh: the gateway's proxy failed TLS handshakes with ${server.alias}; calls to it fail (certificate or CA problem)`,
        }, props.alarmTopic),
        this.alarm(alarms, 'ServerErrors', {
          metric: serverErrors,
          threshold: serverErrorThreshold,
          description: `MCP service mesh: ${server.alias} answered the gateway with HTTP 5xx ${serverErrorThreshold} or more times in 5 minutes`,
        }, props.alarmTopic),
      );
    }

    declarePrinciples(this, 'observability', 'defense-in-depth/monitoring', 'secure-by-default/monitoring');
  }

  private alarm(scope: Construct, id: string, options: AlarmOptions, topic: sns.ITopic): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(scope, id, {
      alarmDescription: options.description,
      metric: options.metric,
      threshold: options.threshold,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // No traffic is not a failure: Service Connect publishes nothing for idle servers.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      actionsEnabled: true,
    });
    alarm.addAlarmAction(new actions.SnsAction(topic));
    return alarm;
  }
}
