import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { McpRule } from '../mcp-rule';
import { isTrue, literalOf, renderedProperties } from './private/template';

/** The longest automatic rotation period the MCP pack accepts, in days (the KMS default). */
const MAX_ROTATION_PERIOD_DAYS = 365;

/**
 * Symmetric encryption KMS keys with AWS-generated key material must rotate automatically at
 * least yearly. Asymmetric and HMAC keys, and keys with imported or external key material,
 * cannot rotate automatically and are not checked. Findings: `EnableKeyRotation` and
 * `RotationPeriodInDays::<days>`.
 */
export const KmsKeyRotation: McpRule = {
  id: 'KmsKeyRotation',
  info: 'The symmetric KMS key does not rotate automatically, or rotates less often than yearly.',
  explanation:
    'Automatic rotation limits how much data one key version protects and how long a leaked backing key stays ' +
    'useful, without re-encrypting anything. Set `enableKeyRotation: true` (`KeyRing` does) and keep the ' +
    `rotation period at ${MAX_ROTATION_PERIOD_DAYS} days or less.`,
  level: NagMessageLevel.ERROR,
  principles: ['secure-by-default/encryption', 'isolation/data'],
  nist80053: ['SC-12', 'SC-12(1)', 'SC-28'],
  evaluate: (node: CfnResource): NagRuleResult => {
    if (node.cfnResourceType !== 'AWS::KMS::Key') {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const properties = renderedProperties(node);
    const keySpec = literalOf(properties.KeySpec, 'KeySpec') ?? 'SYMMETRIC_DEFAULT';
    const keyUsage = literalOf(properties.KeyUsage, 'KeyUsage') ?? 'ENCRYPT_DECRYPT';
    const origin = literalOf(properties.Origin, 'Origin') ?? 'AWS_KMS';
    if (keySpec !== 'SYMMETRIC_DEFAULT' || keyUsage !== 'ENCRYPT_DECRYPT' || origin !== 'AWS_KMS') {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    if (!isTrue(properties.EnableKeyRotation, 'EnableKeyRotation')) {
      return ['EnableKeyRotation'];
    }
    const period = literalOf(properties.RotationPeriodInDays, 'RotationPeriodInDays');
    if (period !== undefined && Number(period) > MAX_ROTATION_PERIOD_DAYS) {
      return [`RotationPeriodInDays::${period}`];
    }
    return NagRuleCompliance.COMPLIANT;
  },
};
