import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, Stage, Validations } from 'aws-cdk-lib';
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

  /**
   * Register the gate on an App or Stage. Call once, before `synth()`. Each pack checks the
   * constructs of `stage` and reports warnings as errors, so that no finding passes silently.
   */
  public static apply(stage: Stage, props: SecurityGateProps = {}): readonly IPolicyValidationPlugin[] {
    const plugins = SecurityGate.packs(stage, props).map((pack) => new FailOnWarnings(pack, stage));
    Validations.of(stage).addPlugins(...plugins);
    return plugins;
  }

  private constructor() {}
}

/**
 * Runs a pack over one stage and reports every finding as an error.
 *
 * aws-cdk-lib recomputes a report's success as "no error-severity violation" as soon as one
 * of its findings is acknowledged anywhere in the app, so without this a single
 * acknowledgement would let every unacknowledged warning of the same pack pass synth.
 */
class FailOnWarnings implements IPolicyValidationPlugin {
  public readonly name: string;
  public readonly version?: string;
  public readonly ruleIds?: string[];

  constructor(private readonly pack: NagPack, private readonly stage: Stage) {
    this.name = pack.name;
    this.version = pack.version;
    this.ruleIds = pack.ruleIds;
  }

  public validate(_context: IPolicyValidationContext): PolicyValidationPluginReport {
    const report = this.pack.validateScope(this.stage);
    const violations = report.violations.map((violation) =>
      violation.severity === 'fatal' ? violation : { ...violation, severity: 'error' },
    );
    return { success: violations.length === 0, violations };
  }
}
