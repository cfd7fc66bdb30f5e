import { ArnFormat, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as securityhub from 'aws-cdk-lib/aws-securityhub';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { GUARDDUTY_SEVERITY_RANGE, guardDutyFindingPattern, SecurityHubSeverity, securityHubFindingPattern } from './finding-patterns';
import { declarePrinciples } from '../core/controls';
import { acknowledge } from '../gate';
import { AlarmTopic } from '../logging/alarm-topic';
import { allowEventBridgeDeadLetters, createDeadLetterQueue, publishToEncryptedTopic } from './private/encrypted-delivery';

/** Security Hub standards the kit subscribes to, as `standards/<name>/v/<version>` resource names. */
export const SECURITY_HUB_STANDARDS = {
  awsFoundationalSecurityBestPractices: 'aws-foundational-security-best-practices/v/1.0.0',
  cisAwsFoundationsBenchmark: 'cis-aws-foundations-benchmark/v/3.0.0',
} as const;

/** Properties of SecurityMonitoring. */
export interface SecurityMonitoringProps {
  /**
   * Encrypts the findings topic and the dead-letter queue (e.g. `KeyRing.logs`). Its key policy
   * is extended so that EventBridge can write to the encrypted dead-letter queue, so it must be
   * a key defined in this app, not an imported one.
   */
  readonly encryptionKey: kms.IKey;
  /**
   * Lowest GuardDuty severity (1.0 to 10.0) routed to the findings topic.
   * @default 7 - High and Critical findings
   */
  readonly guardDutySeverityThreshold?: number;
  /**
   * Lowest Security Hub severity label routed to the findings topic.
   * @default SecurityHubSeverity.HIGH
   */
  readonly securityHubMinimumSeverity?: SecurityHubSeverity;
  /**
   * Id of a GuardDuty detector that already exists in this account and region (an account has at
   * most one per region, often managed by the organization's delegated administrator).
   * @default - a detector is created with S3, EKS audit, EBS malware, RDS login, Lambda network
   *   and Runtime Monitoring (ECS Fargate agent managed by GuardDuty) protection
   */
  readonly existingDetectorId?: string;
  /**
   * Enable Security Hub and subscribe the AWS Foundational Security Best Practices and CIS AWS
   * Foundations Benchmark v3.0.0 standards. Set to false only when Security Hub is already enabled
   * in this account and region (for example by a delegated administrator); its findings are
   * routed either way.
   * @default true
   */
  readonly enableSecurityHub?: boolean;
}

/**
 * Account-level threat detection and alerting, created once per account and region by a
 * baseline stack: a GuardDuty detector with Runtime Monitoring for ECS Fargate, Security Hub
 * with two standards, and EventBridge rules that route high-severity findings to one encrypted,
 * TLS-only SNS topic, with an encrypted dead-letter queue for findings that cannot be delivered.
 *
 * The detector, hub and standards are retained when the stack is deleted: removing a stack must
 * never switch threat detection off. Runtime Monitoring is billed per Fargate vCPU-hour.
 */
export class SecurityMonitoring extends Construct {
  /**
   * Receives every routed finding, every incident response report and the patterns' security
   * alarms; encrypted, TLS-only, publishable by CloudWatch alarms of this account and region.
   */
  public readonly findingsTopic: sns.Topic;
  /** Routes GuardDuty findings at or above the threshold to the findings topic. */
  public readonly guardDutyFindingsRule: events.Rule;
  /** Routes new, active Security Hub findings at or above the minimum severity. */
  public readonly securityHubFindingsRule: events.Rule;
  /** Holds findings EventBridge could not deliver to the topic (14 days). */
  public readonly deadLetterQueue: sqs.Queue;
  /** Id of the GuardDuty detector (created here or passed in). */
  public readonly detectorId: string;
  /** The detector, when this construct created it. */
  public readonly detector?: guardduty.CfnDetector;
  /** The Security Hub resource, when this construct enabled Security Hub. */
  public readonly hub?: securityhub.CfnHub;

  constructor(scope: Construct, id: string, props: SecurityMonitoringProps) {
    super(scope, id);
    const guardDutySeverityThreshold = props.guardDutySeverityThreshold ?? 7;
    const securityHubMinimumSeverity = props.securityHubMinimumSeverity ?? SecurityHubSeverity.HIGH;
    const enableSecurityHub = props.enableSecurityHub ?? true;

    const problems: string[] = [];
    if (!Token.isUnresolved(guardDutySeverityThreshold)
      && !(guardDutySeverityThreshold >= GUARDDUTY_SEVERITY_RANGE.min && guardDutySeverityThreshold <= GUARDDUTY_SEVERITY_RANGE.max)) {
      problems.push(`guardDutySeverityThreshold must be between ${GUARDDUTY_SEVERITY_RANGE.min} and ${GUARDDUTY_SEVERITY_RANGE.max}, got ${guardDutySeverityThreshold}`);
    }
    if (props.existingDetectorId !== undefined && !Token.isUnresolved(props.existingDetectorId) && !/^[0-9a-f]{32}$/.test(props.existingDetectorId)) {
      problems.push(`existingDetectorId must be a GuardDuty detector id (32 lowercase hexadecimal characters), got '${props.existingDetectorId}'`);
    }
    const keyProblem = allowEventBridgeDeadLetters(props.encryptionKey);
    if (keyProblem) problems.push(keyProblem);
    if (problems.length > 0) {
      throw new Error(`Invalid SecurityMonitoring ${this.node.path}:\n  - ${problems.join('\n  - ')}`);
    }

    if (props.existingDetectorId === undefined) {
      this.detector = this.createDetector();
      this.detectorId = this.detector.attrId;
    } else {
      this.detectorId = props.existingDetectorId;
    }
    if (enableSecurityHub) {
      this.hub = this.enableSecurityHub();
    }

    // An AlarmTopic, because the patterns also point CloudWatch alarms at the findings topic:
    // its policy lets alarms of this account and region (only) publish, which a TLS-only topic
    // policy would otherwise refuse them.
    this.findingsTopic = new AlarmTopic(this, 'Resource', {
      displayName: 'MCP kit security findings',
      encryptionKey: props.encryptionKey,
    }).topic;
    this.deadLetterQueue = createDeadLetterQueue(this, 'DeadLetterQueue', props.encryptionKey, 'the EventBridge rules that route findings to the findings topic');

    // EventBridge publishes through a role of this account rather than as the service principal:
    // the topic policy then needs no statement for events.amazonaws.com, which would let rules of
    // any account publish to it. The target gets the role immutable, so that its own grant (which
    // adds kms:GenerateDataKey* in an inline policy) is replaced by the exact managed policy below.
    const deliveryRole = new iam.Role(this, 'DeliveryRole', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
      }),
      description: 'Lets EventBridge publish security findings to the encrypted findings topic',
    });
    new iam.ManagedPolicy(this, 'DeliveryPolicy', {
      description: 'Publish to the security findings topic, using its KMS key for that topic only',
      roles: [deliveryRole],
      statements: publishToEncryptedTopic(this.findingsTopic),
    });
    const target = new targets.SnsTopic(this.findingsTopic, {
      role: deliveryRole.withoutPolicyUpdates(),
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: 185,
      maxEventAge: Duration.hours(24),
    });

    this.guardDutyFindingsRule = new events.Rule(this, 'GuardDutyFindings', {
      description: `GuardDuty findings with severity >= ${guardDutySeverityThreshold} to the security findings topic`,
      eventPattern: guardDutyFindingPattern(guardDutySeverityThreshold),
      targets: [target],
    });
    this.securityHubFindingsRule = new events.Rule(this, 'SecurityHubFindings', {
      description: `New Security Hub findings with severity ${securityHubMinimumSeverity} or above to the security findings topic`,
      eventPattern: securityHubFindingPattern(securityHubMinimumSeverity),
      targets: [target],
    });

    declarePrinciples(this, 'defense-in-depth/monitoring', 'secure-by-default/monitoring', 'observability', 'secure-by-default/encryption');
  }

  private createDetector(): guardduty.CfnDetector {
    const enabled = (name: string) => ({ name, status: 'ENABLED' });
    const detector = new guardduty.CfnDetector(this, 'Detector', {
      enable: true,
      // Publishes updates to existing findings every 15 minutes (the shortest interval).
      findingPublishingFrequency: 'FIFTEEN_MINUTES',
      // Features only: the API rejects a detector that also sets the legacy dataSources.
      features: [
        enabled('S3_DATA_EVENTS'),
        enabled('EKS_AUDIT_LOGS'),
        enabled('EBS_MALWARE_PROTECTION'),
        enabled('RDS_LOGIN_EVENTS'),
        enabled('LAMBDA_NETWORK_LOGS'),
        {
          name: 'RUNTIME_MONITORING',
          status: 'ENABLED',
          // GuardDuty deploys its agent as a sidecar to every new Fargate task. Agent management for
          // EKS and EC2 installs software on workloads the kit does not own, so it stays off here.
          additionalConfiguration: [
            enabled('ECS_FARGATE_AGENT_MANAGEMENT'),
            { name: 'EKS_ADDON_MANAGEMENT', status: 'DISABLED' },
            { name: 'EC2_AGENT_MANAGEMENT', status: 'DISABLED' },
          ],
        },
      ],
    });
    detector.applyRemovalPolicy(RemovalPolicy.RETAIN);
    acknowledge(detector, {
      id: 'cdk-validator-cfnguard::guardduty_s3_protection_enabled_check',
      reason: 'S3 protection is enabled by the S3_DATA_EVENTS feature. The Control Tower rule reads only the legacy DataSources.S3Logs '
        + 'property, which the GuardDuty API refuses on a detector that also sets features.',
    });
    return detector;
  }

  private enableSecurityHub(): securityhub.CfnHub {
    const hub = new securityhub.CfnHub(this, 'Hub', {
      // Standards are subscribed explicitly below, so that the template says which ones.
      enableDefaultStandards: false,
      controlFindingGenerator: 'SECURITY_CONTROL',
      autoEnableControls: true,
    });
    hub.applyRemovalPolicy(RemovalPolicy.RETAIN);
    for (const [id, standard] of Object.entries({
      FoundationalBestPractices: SECURITY_HUB_STANDARDS.awsFoundationalSecurityBestPractices,
      CisBenchmark: SECURITY_HUB_STANDARDS.cisAwsFoundationsBenchmark,
    })) {
      const subscription = new securityhub.CfnStandard(this, id, { standardsArn: standardArn(this, standard) });
      subscription.addResourceDependency(hub);
      subscription.applyRemovalPolicy(RemovalPolicy.RETAIN);
    }
    return hub;
  }
}

/** `arn:<partition>:securityhub:<region>::standards/<name>/v/<version>`; standards have no account. */
function standardArn(scope: Construct, standard: string): string {
  return Stack.of(scope).formatArn({
    service: 'securityhub',
    account: '',
    resource: 'standards',
    resourceName: standard,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}
