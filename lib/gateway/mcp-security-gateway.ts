import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import {
  GATEWAY_CONFIG_ENV, GATEWAY_HEALTH_PATH, GATEWAY_PORT, GATEWAY_SESSION_KEY_ENV, GatewayAuthorizationRule, GatewayConfigDocument,
  gatewayConfigDocument, GatewayConfigSettings, GatewayRiskThresholds, GatewayToolPins, GatewayUpstream,
} from './gateway-config';
import { McpPolicyStore } from '../authorization/mcp-policy-store';
import { McpServerService } from '../compute/mcp-server-service';
import { declarePrinciples } from '../core/controls';
import { IMcpAuthorizationServer } from '../identity/authorization-server';
import { SecureLogGroup } from '../logging/secure-log-group';
import { SecureLoadBalancer } from '../perimeter/secure-load-balancer';
import { auditAlarms } from './private/audit-alarms';
import { grantGatewayKeyUse, grantQuarantineRequests } from './private/gateway-permissions';
import { gatewayProblems } from './private/gateway-problems';
import { gatewayImage, gatewayImageProblem, gatewayPolicies } from './private/gateway-sources';
import { sessionKeySecret } from './private/session-key';

/** Counts derived from the gateway's log lines, per five minutes. */
export interface GatewayAuditMetrics {
  /** Requests the gateway denied. */
  readonly denials: cloudwatch.IMetric;
  /** Upstream results a guardrail withheld. */
  readonly guardrailBlocks: cloudwatch.IMetric;
  /** Audit records that could not be written (the responses were withheld). */
  readonly auditFailures: cloudwatch.IMetric;
}

/** Properties of an McpSecurityGateway. */
export interface McpSecurityGatewayProps {
  /** Cluster the gateway runs in (e.g. `SecureCluster.cluster`). */
  readonly cluster: ecs.ICluster;
  /** Private subnets of the workload tier, in at least two Availability Zones. */
  readonly vpcSubnets: ec2.SubnetSelection;
  /**
   * The MCP endpoint, created with `webAcl: { healthPath: '/healthz' }`; the gateway becomes its
   * target. Its web ACL admits `/mcp` by default; add `/mcp/<upstream name>` to `mcpPaths` to
   * expose the per-upstream endpoints too.
   */
  readonly loadBalancer: SecureLoadBalancer;
  /** Canonical URI of the gateway (https), e.g. `https://mcp.example.com/mcp`; equal to the authorization server's `resource`. */
  readonly publicUrl: string;
  /** The authorization server whose access tokens the gateway accepts (e.g. `McpIdentity`). */
  readonly authorizationServer: IMcpAuthorizationServer;
  /** ECC_NIST_P256 SIGN_VERIFY key the gateway signs upstream tokens with (`KeyRing.signing`). */
  readonly signingKey: kms.IKey;
  /** Symmetric key that wraps the data keys encrypting audit payloads (e.g. `KeyRing.data`). */
  readonly auditKey: kms.IKey;
  /** Key of the gateway's log group, which holds the audit records (`KeyRing.logs`). */
  readonly logKey: kms.IKey;
  /** Key of the session-key secret in Secrets Manager (`KeyRing.secrets`). */
  readonly secretsKey: kms.IKey;
  /** The upstream MCP servers, at least one, with unique names. */
  readonly upstreams: GatewayUpstream[];
  /**
   * Name of the gateway in audit records and in the encryption context of its audit data keys.
   * @default 'mcp-gateway'
   */
  readonly gatewayName?: string;
  /**
   * Lifetime of the tokens the gateway mints for upstreams, from 1 minute to 1 hour.
   * @default Duration.minutes(5)
   */
  readonly tokenTtl?: Duration;
  /**
   * Session risk scores at which a request needs step-up and at which the session ends.
   * @default - step-up at 50, end of session at 100
   */
  readonly riskThresholds?: GatewayRiskThresholds;
  /**
   * Approved tool-definition hashes by upstream and tool.
   * @default - none: every tool stays quarantined until its definition is pinned
   */
  readonly toolPins?: GatewayToolPins;
  /**
   * Scopes and Cedar groups per tool, resource or prompt.
   * @default - none: items need the runtime's default scopes (`mcp:tools`, `mcp:resources`, `mcp:prompts`)
   */
  readonly authorizationRules?: GatewayAuthorizationRule[];
  /**
   * Tasks at deployment, and the fewest autoscaling keeps; at least 2.
   * @default 2
   */
  readonly desiredCount?: number;
  /**
   * Most tasks autoscaling starts.
   * @default - twice `desiredCount`
   */
  readonly maxCapacity?: number;
  /**
   * Task CPU units.
   * @default 512
   */
  readonly cpu?: number;
  /**
   * Task memory in MiB.
   * @default 1024
   */
  readonly memoryLimitMiB?: number;
  /**
   * Image of the gateway; pin it by digest.
   * @default - built from runtime/gateway at deployment
   */
  readonly image?: ecs.ContainerImage;
  /**
   * Retention of the gateway's log group (container logs and audit records); at least a year.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly auditLogRetention?: logs.RetentionDays;
  /**
   * Topic of the alarms on audit failures, guardrail blocks and denials (e.g. `AlarmTopic.topic`).
   * @default - metric filters only, no alarms
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Denials in five minutes that raise the denial alarm.
   * @default 100
   */
  readonly denialAlarmThreshold?: number;
  /**
   * Event bus on which the gateway requests the quarantine of an upstream whose approved tool
   * definitions drift (the bus a `TaskQuarantine` listens on): a `Quarantine Task` event naming
   * the upstream's `ecsService`, at most one per upstream per 15 minutes on each task. The task
   * role may put events on this bus with the `mcp-kit.incident` source and that detail type only.
   * @default - the gateway requests no quarantine
   */
  readonly quarantineRequestBus?: events.IEventBus;
}

/**
 * The MCP security gateway on ECS Fargate behind a SecureLoadBalancer and its web ACL. It
 * validates access tokens from the authorization server, authorizes every request with the
 * Cedar policies it ships (also deployed to a Verified Permissions policy store, whose id the
 * runtime writes into each audit record of a policy decision and reports on `/readyz`), mints
 * audience-bound tokens for upstreams with a KMS key instead of passing tokens through,
 * quarantines unpinned tools, and writes hash-chained audit records with KMS-encrypted
 * payloads to a log group kept at least a year. Its task role may only sign with ECDSA_SHA_256
 * and read the public key of the signing key, and generate audit data keys under its own
 * encryption context.
 */
export class McpSecurityGateway extends Construct implements ec2.IConnectable, iam.IGrantable {
  /** The Fargate service running the gateway. */
  public readonly service: McpServerService;
  /** Role of the gateway's code. */
  public readonly taskRole: iam.IRole;
  /** The task role: what is granted to the gateway is granted to its code. */
  public readonly grantPrincipal: iam.IPrincipal;
  /** Security group of the gateway tasks. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** Network connections of the gateway tasks, to open paths to upstreams outside HTTPS. */
  public readonly connections: ec2.Connections;
  /** Target group of the gateway in the load balancer. */
  public readonly targetGroup: elbv2.ApplicationTargetGroup;
  /** Verified Permissions policy store holding the gateway's Cedar schema and policies. */
  public readonly policyStore: McpPolicyStore;
  /** SSM parameter publishing the configuration document. */
  public readonly configParameter: ssm.StringParameter;
  /** Secrets Manager secret holding the session-encryption key. */
  public readonly sessionKey: secretsmanager.Secret;
  /** Log group of the gateway: its audit records (JSON lines on stdout) and operational logs. */
  public readonly auditLogGroup: SecureLogGroup;
  /** Counts of denials, guardrail blocks and audit failures, from the audit log group. */
  public readonly auditMetrics: GatewayAuditMetrics;
  /** Alarms on those counts, when an alarm topic is given. */
  public readonly alarms: cloudwatch.Alarm[];
  /** The configuration document given to the gateway; it holds tokens (key ARNs), resolve it in a stack. */
  public readonly configDocument: GatewayConfigDocument;

  constructor(scope: Construct, id: string, props: McpSecurityGatewayProps) {
    super(scope, id);
    const authorizationServer = props.authorizationServer;
    const settings: GatewayConfigSettings = {
      publicUrl: props.publicUrl,
      issuer: authorizationServer.issuer,
      // An issuer without a JWKS URL is refused below, before the document is built.
      jwksUri: authorizationServer.jwksUri ?? '',
      audience: authorizationServer.audience,
      scopesSupported: Object.values(authorizationServer.toolGroupScopes),
      tokenTtl: props.tokenTtl ?? Duration.minutes(5),
      signingKeyArn: props.signingKey.keyArn,
      auditKeyArn: props.auditKey.keyArn,
      gatewayName: props.gatewayName ?? 'mcp-gateway',
      authorizationRules: props.authorizationRules ?? [],
      toolPins: props.toolPins ?? {},
      riskThresholds: props.riskThresholds ?? { stepUp: 50, endSession: 100 },
      upstreams: props.upstreams,
      quarantineRequestBusArn: props.quarantineRequestBus?.eventBusArn,
    };
    const denialAlarmThreshold = props.denialAlarmThreshold ?? 100;
    const { gatewayName } = settings;

    const problems = gatewayProblems({
      ...settings,
      resource: authorizationServer.resource,
      jwksUri: authorizationServer.jwksUri,
      webAclMcpPaths: props.loadBalancer.webAcl.mcpPaths,
      webAclHealthPath: props.loadBalancer.webAcl.healthPath,
      denialAlarmThreshold,
      dockerfileProblem: props.image ? undefined : gatewayImageProblem(),
    });
    if (problems.length > 0) {
      throw new Error(`McpSecurityGateway ${this.node.path}: invalid properties:\n  - ${problems.join('\n  - ')}`);
    }

    this.policyStore = new McpPolicyStore(this, 'PolicyStore', gatewayPolicies());
    this.sessionKey = sessionKeySecret(this, 'SessionKey', props.secretsKey);
    this.auditLogGroup = new SecureLogGroup(this, 'Logs', { encryptionKey: props.logKey, retention: props.auditLogRetention });

    this.configDocument = gatewayConfigDocument(settings, this.policyStore.policyStoreId);
    const configJson = Stack.of(this).toJsonString(this.configDocument);
    // The published record of what the gateway runs with, readable without the task definition.
    this.configParameter = new ssm.StringParameter(this, 'Config', {
      description: `Configuration document of the MCP security gateway ${gatewayName} (no secrets)`,
      stringValue: configJson,
      // Standard tier up to 4 KB, advanced beyond: pins and rules make the document grow.
      tier: ssm.ParameterTier.INTELLIGENT_TIERING,
    });

    this.service = new McpServerService(this, 'Resource', {
      cluster: props.cluster,
      vpcSubnets: props.vpcSubnets,
      image: props.image ?? gatewayImage(),
      port: GATEWAY_PORT,
      allowFrom: props.loadBalancer.securityGroup,
      logGroup: this.auditLogGroup,
      // The document travels in the task definition rather than as an SSM-sourced value: ECS
      // reads those only when a task starts, so a changed parameter would leave running and new
      // tasks on different configurations outside any deployment. In the task definition, every
      // change is a new revision that ECS rolls out, and rolls back on failure, as a whole.
      // It holds no secret, and McpServerService refuses secret-looking values.
      environment: { [GATEWAY_CONFIG_ENV]: configJson },
      secrets: { [GATEWAY_SESSION_KEY_ENV]: ecs.Secret.fromSecretsManager(this.sessionKey) },
      desiredCount: props.desiredCount ?? 2,
      maxCapacity: props.maxCapacity,
      cpu: props.cpu ?? 512,
      memoryLimitMiB: props.memoryLimitMiB ?? 1024,
    });
    this.taskRole = this.service.taskRole;
    this.grantPrincipal = this.service.grantPrincipal;
    this.securityGroup = this.service.securityGroup;
    this.connections = this.service.connections;

    grantGatewayKeyUse(this.taskRole, { signingKey: props.signingKey, auditKey: props.auditKey, gatewayName });
    if (props.quarantineRequestBus) grantQuarantineRequests(this.taskRole, props.quarantineRequestBus);
    props.upstreams.forEach((upstream) => upstream.access?.allowInvokeFrom(this.taskRole));

    // HTTP to the tasks: TLS ends at the load balancer, as the runtime's `tls.mode:
    // 'load-balancer'` expects. The load balancer does not verify target certificates, so
    // re-encrypting would add a self-signed certificate to manage without authenticating the
    // target; the hop stays inside the VPC, admitted only from the load balancer's group.
    this.targetGroup = props.loadBalancer.addMcpTarget('Gateway', {
      targets: [this.service.service.loadBalancerTarget({ containerName: this.service.container.containerName, containerPort: GATEWAY_PORT })],
      port: GATEWAY_PORT,
      protocol: elbv2.ApplicationProtocol.HTTP,
      healthCheckPath: GATEWAY_HEALTH_PATH,
    });

    const signals = auditAlarms(this, {
      logGroup: this.auditLogGroup.logGroup,
      metricNamespace: `McpSecurityGateway/${gatewayName}`,
      denialThreshold: denialAlarmThreshold,
      topic: props.alarmTopic,
    });
    this.auditMetrics = signals.metrics;
    this.alarms = signals.alarms;

    declarePrinciples(this,
      'zero-trust/continuous-verification',
      'zero-trust/least-privilege',
      'zero-trust/just-in-time',
      'defense-in-depth/authorization',
      'defense-in-depth/application',
      'defense-in-depth/monitoring',
      'secure-by-default/fail-secure',
      'secure-by-default/logging',
      'observability',
    );
  }
}
