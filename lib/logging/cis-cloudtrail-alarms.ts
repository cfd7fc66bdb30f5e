/**
 * One CIS AWS Foundations Benchmark monitoring control: a CloudWatch Logs metric filter over
 * CloudTrail events and the alarm on its metric.
 */
export interface CisCloudTrailAlarm {
  /** Stable identifier; also the construct id prefix and the metric name. */
  readonly id: string;
  /** CIS AWS Foundations Benchmark v1.4.0+ recommendation (section 4, "Monitoring"). */
  readonly cis: string;
  /** The equivalent AWS Security Hub control. */
  readonly securityHubControl: string;
  /** What the alarm reports. */
  readonly description: string;
  /** CloudWatch Logs filter pattern over CloudTrail JSON events, as published by the benchmark. */
  readonly filterPattern: string;
}

/**
 * The CIS AWS Foundations Benchmark CloudTrail metric filters and alarms (recommendations 4.1
 * to 4.14), with the filter patterns of the AWS Security Hub controls CloudWatch.1 to .14.
 * Console sign-in without MFA uses the benchmark's refined pattern (IAM users, successful
 * sign-ins), which does not fire for federated sessions whose MFA happens at the identity provider.
 */
export const CIS_CLOUDTRAIL_ALARMS = [
  {
    id: 'UnauthorizedApiCalls',
    cis: '4.1',
    securityHubControl: 'CloudWatch.2',
    description: 'API calls denied for lack of authorization',
    filterPattern: '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',
  },
  {
    id: 'ConsoleSignInWithoutMfa',
    cis: '4.2',
    securityHubControl: 'CloudWatch.3',
    description: 'Successful AWS Management Console sign-in of an IAM user without MFA',
    filterPattern: '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
  },
  {
    id: 'RootAccountUsage',
    cis: '4.3',
    securityHubControl: 'CloudWatch.1',
    description: 'Use of the root user',
    filterPattern: '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
  },
  {
    id: 'IamPolicyChanges',
    cis: '4.4',
    securityHubControl: 'CloudWatch.4',
    description: 'Changes to IAM policies',
    filterPattern: '{ ($.eventName = DeleteGroupPolicy) || ($.eventName = DeleteRolePolicy) || ($.eventName = DeleteUserPolicy) || ($.eventName = PutGroupPolicy) || ($.eventName = PutRolePolicy) || ($.eventName = PutUserPolicy) || ($.eventName = CreatePolicy) || ($.eventName = DeletePolicy) || ($.eventName = CreatePolicyVersion) || ($.eventName = DeletePolicyVersion) || ($.eventName = AttachRolePolicy) || ($.eventName = DetachRolePolicy) || ($.eventName = AttachUserPolicy) || ($.eventName = DetachUserPolicy) || ($.eventName = AttachGroupPolicy) || ($.eventName = DetachGroupPolicy) }',
  },
  {
    id: 'CloudTrailConfigurationChanges',
    cis: '4.5',
    securityHubControl: 'CloudWatch.5',
    description: 'Changes to CloudTrail trails',
    filterPattern: '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }',
  },
  {
    id: 'ConsoleAuthenticationFailures',
    cis: '4.6',
    securityHubControl: 'CloudWatch.6',
    description: 'Failed AWS Management Console authentications',
    filterPattern: '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
  },
  {
    id: 'CmkDisabledOrScheduledForDeletion',
    cis: '4.7',
    securityHubControl: 'CloudWatch.7',
    description: 'Customer managed KMS keys disabled or scheduled for deletion',
    filterPattern: '{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }',
  },
  {
    id: 'S3BucketPolicyChanges',
    cis: '4.8',
    securityHubControl: 'CloudWatch.8',
    description: 'Changes to S3 bucket policies, ACLs, CORS, lifecycle or replication',
    filterPattern: '{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }',
  },
  {
    id: 'AwsConfigChanges',
    cis: '4.9',
    securityHubControl: 'CloudWatch.9',
    description: 'Changes to the AWS Config recorder or delivery channel',
    filterPattern: '{ ($.eventSource = config.amazonaws.com) && (($.eventName = StopConfigurationRecorder) || ($.eventName = DeleteDeliveryChannel) || ($.eventName = PutDeliveryChannel) || ($.eventName = PutConfigurationRecorder)) }',
  },
  {
    id: 'SecurityGroupChanges',
    cis: '4.10',
    securityHubControl: 'CloudWatch.10',
    description: 'Changes to security groups',
    filterPattern: '{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }',
  },
  {
    id: 'NetworkAclChanges',
    cis: '4.11',
    securityHubControl: 'CloudWatch.11',
    description: 'Changes to network ACLs',
    filterPattern: '{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }',
  },
  {
    id: 'NetworkGatewayChanges',
    cis: '4.12',
    securityHubControl: 'CloudWatch.12',
    description: 'Changes to internet and customer gateways',
    filterPattern: '{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }',
  },
  {
    id: 'RouteTableChanges',
    cis: '4.13',
    securityHubControl: 'CloudWatch.13',
    description: 'Changes to route tables',
    filterPattern: '{ ($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable)) }',
  },
  {
    id: 'VpcChanges',
    cis: '4.14',
    securityHubControl: 'CloudWatch.14',
    description: 'Changes to VPCs and VPC peering',
    filterPattern: '{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }',
  },
] as const satisfies readonly CisCloudTrailAlarm[];

/** Identifier of one CIS CloudTrail alarm, e.g. `'RootAccountUsage'`. */
export type CisCloudTrailAlarmId = (typeof CIS_CLOUDTRAIL_ALARMS)[number]['id'];
