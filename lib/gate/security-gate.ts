import { IPolicyValidationPlugin, Stage, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NagPack, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { McpChecks } from './mcp-checks';

/** Properties of the security gate. */
export interface SecurityGateProps {
  /**
   * Print each rule's explanation next to its finding.
   * @default false
   */
  readonly verbose?: boolean;
}

/**
 * The synth-time security gate: the AwsSolutions, NIST 800-53 R5, HIPAA Security and
 * PCI DSS 3.2.1 cdk-nag packs plus the kit's own MCP pack. Any unacknowledged finding,
 * error or warning, fails synthesis.
 */
export class SecurityGate {
  /**
   * Create one instance of every pack. Acknowledgements are written into template
   * metadata (`cdk_nag.rules_to_suppress`) so they stay visible to reviewers.
   */
  public static packs(scope: IConstruct, props: SecurityGateProps = {}): NagPack[] {
    const packProps = { verbose: props.verbose ?? false, writeSuppressionsToCloudFormation: true };
    return [
      new AwsSolutionsChecks(scope, packProps),
      new NIST80053R5Checks(scope, { verbose: packProps.verbose }),
      new HIPAASecurityChecks(scope, { verbose: packProps.verbose }),
      new PCIDSS321Checks(scope, { verbose: packProps.verbose }),
      new McpChecks(scope, { verbose: packProps.verbose }),
    ];
  }

  /** Register the gate on an App or Stage. Call once, before `synth()`. */
  public static apply(stage: Stage, props: SecurityGateProps = {}): readonly IPolicyValidationPlugin[] {
    const packs = SecurityGate.packs(stage, props);
    Validations.of(stage).addPlugins(...packs);
    return packs;
  }

  private constructor() {}
}
