import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { declarePrinciples } from '../core/controls';
import { SecureLogGroup } from '../logging/secure-log-group';

/** Properties of AllTrafficFlowLog. */
export interface AllTrafficFlowLogProps {
  /** The VPC whose traffic is logged. */
  readonly vpc: ec2.IVpc;
  /** KMS key that encrypts the flow log group (e.g. `KeyRing.logs`). */
  readonly encryptionKey: kms.IKey;
  /**
   * How long flow records are kept; at least a year.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly retention?: logs.RetentionDays;
}

/**
 * A VPC flow log of ALL traffic (accepted and rejected) into a KMS-encrypted log group,
 * delivered by a role that can only write to that group and that only the flow logs
 * service, acting for this account's flow logs, can assume.
 */
export class AllTrafficFlowLog extends Construct {
  /** The flow log. */
  public readonly flowLog: ec2.FlowLog;
  /** The encrypted log group receiving the records. */
  public readonly logGroup: logs.LogGroup;
  /** The delivery role. */
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: AllTrafficFlowLogProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.logGroup = new SecureLogGroup(this, 'LogGroup', {
      encryptionKey: props.encryptionKey,
      retention: props.retention ?? logs.RetentionDays.ONE_YEAR,
    }).logGroup;

    this.role = new iam.Role(this, 'Role', {
      description: 'Delivers VPC flow logs to one encrypted log group',
      // Confused-deputy protection: only flow logs of this account may use the role.
      assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:ec2:${stack.region}:${stack.account}:vpc-flow-log/*` },
        },
      }),
    });
    // A customer managed policy rather than the inline default policy CDK would add: the
    // NIST, HIPAA and PCI packs refuse inline policies. The log group ARN ends in ':*',
    // which covers its log streams and nothing else.
    this.role.addManagedPolicy(new iam.ManagedPolicy(this, 'WritePolicy', {
      description: 'Write VPC flow log records to one log group',
      statements: [new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [this.logGroup.logGroupArn],
      })],
    }));

    this.flowLog = new ec2.FlowLog(this, 'Resource', {
      resourceType: ec2.FlowLogResourceType.fromVpc(props.vpc),
      trafficType: ec2.FlowLogTrafficType.ALL,
      // withoutPolicyUpdates: FlowLog would otherwise attach the same grant again inline.
      destination: ec2.FlowLogDestination.toCloudWatchLogs(this.logGroup, this.role.withoutPolicyUpdates()),
      // One-minute records: an incident timeline is not blurred over ten-minute windows.
      maxAggregationInterval: ec2.FlowLogMaxAggregationInterval.ONE_MINUTE,
    });

    declarePrinciples(this, 'secure-by-default/logging', 'observability', 'defense-in-depth/monitoring', 'zero-trust/least-privilege');
  }
}
