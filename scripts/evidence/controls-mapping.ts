import { SecurityPrinciple } from '../../lib/core/security-principles';

/** What the public rule packs and standards contribute to one principle. */
export interface PrincipleMapping {
  /**
   * cdk-nag rule ids of the gate's public packs that enforce part of the principle, e.g.
   * `AwsSolutions-IAM5`, `NIST.800.53.R5-VPCFlowLogsEnabled`. The kit's own MCP rules are not
   * listed here: they declare their principles themselves (`McpRule.principles`).
   */
  readonly cdkNag: readonly string[];
  /** AWS Control Tower proactive control ids run by the test suite, e.g. `CT.EC2.PR.3`. */
  readonly controlTower: readonly string[];
  /** NIST SP 800-53 Rev. 5 controls the principle maps to, beyond those the MCP rules declare. */
  readonly nist80053: readonly string[];
  /** What no template rule can check, and where it is enforced instead. Shown in the matrix. */
  readonly note?: string;
}

/**
 * The hand-maintained part of the controls matrix: which public cdk-nag rules and Control Tower
 * controls enforce each seed principle, and its NIST 800-53 R5 controls.
 * `test/evidence/controls-mapping.test.ts` fails when a listed rule or control no longer exists
 * in cdk-nag or in the Control Tower rule files, or when a control is disabled in the tests.
 */
export const CONTROLS_MAPPING: Readonly<Record<SecurityPrinciple, PrincipleMapping>> = {
  'zero-trust/continuous-verification': {
    cdkNag: ['AwsSolutions-COG2', 'AwsSolutions-COG8'],
    controlTower: [],
    nist80053: ['AC-3', 'IA-2', 'IA-11', 'SC-23'],
    note: 'Per-request token verification (audience, issuer, expiry, algorithm allow-list) happens in the gateway ' +
      'runtime; templates can only show that every path to an MCP server goes through it.',
  },
  'zero-trust/micro-segmentation': {
    cdkNag: ['AwsSolutions-EC23', 'NIST.800.53.R5-EC2RestrictedCommonPorts', 'NIST.800.53.R5-EC2RestrictedSSH'],
    controlTower: ['CT.EC2.PR.3', 'CT.EC2.PR.4', 'CT.EC2.PR.5'],
    nist80053: ['AC-4', 'SC-7', 'SC-7(5)'],
  },
  'zero-trust/least-privilege': {
    cdkNag: [
      'AwsSolutions-IAM4', 'AwsSolutions-IAM5', 'NIST.800.53.R5-IAMNoInlinePolicy',
      'NIST.800.53.R5-IAMPolicyNoStatementsWithAdminAccess', 'NIST.800.53.R5-IAMPolicyNoStatementsWithFullAccess',
    ],
    controlTower: ['CT.IAM.PR.1', 'CT.IAM.PR.2', 'CT.IAM.PR.3', 'CT.IAM.PR.5'],
    nist80053: ['AC-2', 'AC-6', 'AC-6(1)'],
  },
  'zero-trust/just-in-time': {
    cdkNag: ['AwsSolutions-SMG4', 'NIST.800.53.R5-SecretsManagerRotationEnabled'],
    controlTower: [],
    nist80053: ['AC-2(6)', 'AC-12', 'IA-5'],
    note: '`Mcp-CognitoTokenLifetimes` bounds the lifetimes of Cognito-issued tokens in the template (access and ID ' +
      'tokens at most 60 minutes, refresh tokens at most 12 hours). Minted upstream tokens (at most 15 minutes) are ' +
      'bounded by `McpSecurityGateway` validation and the gateway runtime; tokens of an external issuer by that ' +
      'issuer; step-up scopes are Cedar policy.',
  },
  'defense-in-depth/network': {
    cdkNag: ['AwsSolutions-EC23', 'NIST.800.53.R5-ALBHttpToHttpsRedirection', 'NIST.800.53.R5-ELBTlsHttpsListenersOnly', 'NIST.800.53.R5-ALBWAFEnabled'],
    controlTower: ['CT.ELASTICLOADBALANCING.PR.1', 'CT.ELASTICLOADBALANCING.PR.2', 'CT.ELASTICLOADBALANCING.PR.9', 'CT.EC2.PR.11'],
    nist80053: ['SC-5', 'SC-7', 'SC-8'],
  },
  'defense-in-depth/identity': {
    cdkNag: ['AwsSolutions-COG1', 'AwsSolutions-COG2', 'AwsSolutions-COG8'],
    controlTower: [],
    nist80053: ['IA-2', 'IA-2(1)', 'IA-5(1)', 'AC-7'],
  },
  'defense-in-depth/authorization': {
    cdkNag: ['AwsSolutions-IAM5'],
    controlTower: ['CT.IAM.PR.1', 'CT.IAM.PR.2'],
    nist80053: ['AC-3', 'AC-3(13)', 'AC-24'],
    note: 'Tool-level authorization is Cedar policy evaluated by the gateway; the Verified Permissions policy store ' +
      'it is deployed to validates the policies against the schema (STRICT) at deployment.',
  },
  'defense-in-depth/application': {
    cdkNag: ['NIST.800.53.R5-ALBWAFEnabled', 'NIST.800.53.R5-WAFv2LoggingEnabled'],
    controlTower: ['CT.WAFV2.PR.1', 'CT.ELASTICLOADBALANCING.PR.3', 'CT.ELASTICLOADBALANCING.PR.4'],
    nist80053: ['SI-3', 'SI-10', 'SI-15'],
    note: 'Prompt-injection, tool-poisoning and secret detection run on every message in the gateway runtime; ' +
      'the templates carry the WAF in front of it.',
  },
  'defense-in-depth/data': {
    cdkNag: ['AwsSolutions-S1', 'AwsSolutions-S10', 'AwsSolutions-SNS3', 'NIST.800.53.R5-S3DefaultEncryptionKMS', 'NIST.800.53.R5-CloudWatchLogGroupEncrypted'],
    controlTower: ['CT.S3.PR.1', 'CT.S3.PR.2', 'CT.S3.PR.8', 'CT.S3.PR.9', 'CT.S3.PR.10', 'CT.CLOUDWATCH.PR.3'],
    nist80053: ['AU-9', 'SC-28', 'SC-28(1)'],
  },
  'defense-in-depth/monitoring': {
    cdkNag: ['AwsSolutions-VPC7', 'NIST.800.53.R5-CloudTrailCloudWatchLogsEnabled', 'NIST.800.53.R5-CloudWatchAlarmAction'],
    controlTower: ['CT.CLOUDTRAIL.PR.3', 'CT.CLOUDWATCH.PR.1', 'CT.CLOUDWATCH.PR.4', 'CT.GUARDDUTY.PR.1'],
    nist80053: ['IR-4', 'IR-5', 'SI-4', 'AU-6'],
  },
  'secure-by-default/encryption': {
    cdkNag: ['AwsSolutions-KMS5', 'AwsSolutions-SNS3', 'AwsSolutions-SQS4', 'NIST.800.53.R5-ELBTlsHttpsListenersOnly', 'NIST.800.53.R5-SNSEncryptedKMS'],
    controlTower: ['CT.KMS.PR.1', 'CT.S3.PR.10', 'CT.CLOUDTRAIL.PR.1', 'CT.SQS.PR.2', 'CT.CLOUDWATCH.PR.3'],
    nist80053: ['SC-8', 'SC-12', 'SC-13', 'SC-28'],
  },
  'secure-by-default/minimal-permissions': {
    cdkNag: ['AwsSolutions-IAM4', 'AwsSolutions-IAM5', 'NIST.800.53.R5-IAMNoInlinePolicy'],
    controlTower: ['CT.IAM.PR.3', 'CT.IAM.PR.5', 'CT.LAMBDA.PR.2'],
    nist80053: ['AC-6', 'CM-7'],
  },
  'secure-by-default/logging': {
    cdkNag: ['AwsSolutions-ELB2', 'AwsSolutions-S1', 'AwsSolutions-VPC7', 'AwsSolutions-ECS7', 'NIST.800.53.R5-WAFv2LoggingEnabled', 'NIST.800.53.R5-CloudWatchLogGroupRetentionPeriod'],
    controlTower: ['CT.CLOUDWATCH.PR.2', 'CT.ECS.PR.5', 'CT.ELASTICLOADBALANCING.PR.6', 'CT.S3.PR.2', 'CT.CLOUDTRAIL.PR.2'],
    nist80053: ['AU-2', 'AU-3', 'AU-12'],
  },
  'secure-by-default/monitoring': {
    cdkNag: ['AwsSolutions-ECS4', 'NIST.800.53.R5-CloudWatchAlarmAction'],
    controlTower: ['CT.CLOUDWATCH.PR.1', 'CT.CLOUDWATCH.PR.4', 'CT.GUARDDUTY.PR.1'],
    nist80053: ['CA-7', 'SI-4'],
  },
  'secure-by-default/fail-secure': {
    cdkNag: [],
    controlTower: ['CT.ELASTICLOADBALANCING.PR.3', 'CT.ELASTICLOADBALANCING.PR.4', 'CT.NETWORK-FIREWALL.PR.2', 'CT.NETWORK-FIREWALL.PR.3'],
    nist80053: ['SC-7(18)', 'SC-24', 'AU-5'],
    note: 'The gateway refuses to start when a MUST of the MCP specification is switched off, denies when a Cedar ' +
      'policy errors and withholds results it cannot audit (runtime behaviour, tested below).',
  },
  'isolation/process': {
    cdkNag: ['AwsSolutions-ECS2'],
    controlTower: ['CT.ECS.PR.3', 'CT.ECS.PR.4', 'CT.ECS.PR.6', 'CT.ECS.PR.7', 'CT.ECS.PR.8', 'CT.ECS.PR.10', 'CT.ECS.PR.11'],
    nist80053: ['SC-39', 'CM-7'],
  },
  'isolation/network': {
    cdkNag: ['AwsSolutions-EC23', 'NIST.800.53.R5-VPCDefaultSecurityGroupClosed', 'NIST.800.53.R5-VPCSubnetAutoAssignPublicIpDisabled'],
    controlTower: ['CT.ECS.PR.9', 'CT.EC2.PR.11', 'CT.LAMBDA.PR.3'],
    nist80053: ['SC-7', 'SC-7(5)', 'AC-4'],
  },
  'isolation/data': {
    cdkNag: ['AwsSolutions-S2', 'NIST.800.53.R5-S3BucketLevelPublicAccessProhibited', 'NIST.800.53.R5-SecretsManagerUsingKMSKey'],
    controlTower: ['CT.S3.PR.1', 'CT.S3.PR.5', 'CT.KMS.PR.3'],
    nist80053: ['SC-4', 'SC-28', 'AC-4'],
  },
  'isolation/temporal': {
    cdkNag: ['AwsSolutions-SMG4', 'NIST.800.53.R5-SecretsManagerRotationEnabled'],
    controlTower: [],
    nist80053: ['AC-12', 'SC-10', 'SC-23'],
    note: '`Mcp-CognitoTokenLifetimes` ends every Cognito sign-in within 12 hours (refresh token lifetime) and every ' +
      'access token within 60 minutes. Session idle timeouts and risk-based session termination are gateway runtime ' +
      'behaviour, proven by the runtime tests listed.',
  },
  'observability': {
    cdkNag: ['AwsSolutions-VPC7', 'AwsSolutions-ELB2', 'NIST.800.53.R5-CloudTrailLogFileValidationEnabled', 'NIST.800.53.R5-WAFv2LoggingEnabled'],
    controlTower: ['CT.CLOUDTRAIL.PR.2', 'CT.CLOUDTRAIL.PR.3', 'CT.ECS.PR.5'],
    nist80053: ['AU-2', 'AU-6', 'AU-10', 'AU-12', 'SI-4'],
  },
};
