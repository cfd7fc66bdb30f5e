import { CfnResource } from 'aws-cdk-lib';
import { NagPack, NagPackProps } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { McpRule } from './mcp-rule';
import { MCP_RULES } from './rules';

/** Properties of the MCP rule pack. */
export interface McpChecksProps extends NagPackProps {
  /**
   * Rules to run.
   * @default - every rule in `MCP_RULES`
   */
  readonly rules?: readonly McpRule[];
}

/**
 * The kit's own cdk-nag pack: controls specific to MCP deployments that the public packs
 * do not express (public MCP tasks, wildcard task roles, unauthenticated Lattice services…).
 */
export class McpChecks extends NagPack {
  /** The pack name; also the namespace of acknowledgements (`Mcp::Mcp-<rule>`). */
  public readonly name = 'Mcp';
  private readonly rules: readonly McpRule[];

  constructor(scope?: IConstruct, props: McpChecksProps = {}) {
    super(scope, props);
    this.packName = 'Mcp';
    this.rules = props.rules ?? MCP_RULES;
  }

  protected checkResource(node: CfnResource): void {
    for (const rule of this.rules) {
      // cdk-nag names findings after the function; bind each rule to its declared id.
      const evaluate = rule.evaluate;
      this.applyRule({
        ruleSuffixOverride: rule.id,
        info: rule.info,
        explanation: rule.explanation,
        level: rule.level,
        node,
        rule: evaluate,
      });
    }
  }
}
