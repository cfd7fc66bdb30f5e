import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleResult } from 'cdk-nag';
import { SecurityPrinciple } from '../core/security-principles';

/**
 * One rule of the MCP gate pack: a pure function of a `CfnResource` plus the metadata the
 * gate and the generated controls matrix need.
 */
export interface McpRule {
  /** Rule suffix; the finding id is `Mcp-<id>`, acknowledged as `Mcp::Mcp-<id>`. */
  readonly id: string;
  /** Why the rule was triggered (one sentence, shown on every finding). */
  readonly info: string;
  /** Why the rule exists and how to fix the resource. */
  readonly explanation: string;
  /** ERROR or WARN. Both fail synth. */
  readonly level: NagMessageLevel;
  /** Principles and layers of the seed this rule enforces. */
  readonly principles: readonly SecurityPrinciple[];
  /** NIST SP 800-53 Rev. 5 controls this rule supports, e.g. `['SC-7', 'AC-4']`. */
  readonly nist80053: readonly string[];
  /** The check: compliant, non-compliant, not applicable, or a list of granular findings. */
  readonly evaluate: (node: CfnResource) => NagRuleResult;
}
