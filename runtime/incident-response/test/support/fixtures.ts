import { QuarantineSettings } from '../../src/isolate-task';

/** The protected cluster, its VPC and quarantine group, as the handlers' tests configure them. */
export const CLUSTER_ARN = 'arn:aws:ecs:us-east-1:111111111111:cluster/mcp';
export const QUARANTINE_SG = 'sg-0f0f0f0f0f0f0f0f0';
export const VPC_ID = 'vpc-0123456789abcdef0';
export const SETTINGS: QuarantineSettings = { clusterArn: CLUSTER_ARN, vpcId: VPC_ID, quarantineSecurityGroupId: QUARANTINE_SG, stopTask: false };
/** The handlers' clock in tests. */
export const NOW = new Date('2026-11-27T10:00:00.000Z');
