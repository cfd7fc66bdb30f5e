import { Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { SecurityGate } from '../../lib/gate';

/** One unacknowledged gate finding on one resource. */
export interface GateFinding {
  /** Qualified finding id, `<Pack>::<RuleId>`. */
  readonly id: string;
  /** Construct path of the offending resource. */
  readonly path: string;
  readonly severity: string;
  readonly description: string;
}

function isAcknowledged(construct: IConstruct | undefined, qualifiedId: string): boolean {
  for (let current = construct; current; current = current.node.scope) {
    for (const entry of current.node.metadata) {
      if (entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && qualifiedId in (entry.data as object)) {
        return true;
      }
    }
  }
  return false;
}

/**
 * Run every pack of the security gate over `scope` and return the findings that are not
 * acknowledged, exactly as `cdk synth` would report them (acknowledgements are matched by
 * their qualified id on the resource or any ancestor).
 */
export function gateFindings(scope: IConstruct): GateFinding[] {
  const root = scope.node.root;
  const findings: GateFinding[] = [];
  // One walk of the tree, not one per finding.
  const byPath = new Map(root.node.findAll().map((c) => [c.node.path, c] as const));
  for (const pack of SecurityGate.packs(root)) {
    const namespace = pack.name.replace(/ /g, '-');
    for (const violation of pack.validateScope(scope).violations) {
      const id = `${namespace}::${violation.ruleName}`;
      for (const resource of violation.violatingResources) {
        const path = resource.constructPath ?? '<unknown>';
        if (!isAcknowledged(byPath.get(path), id)) {
          findings.push({ id, path, severity: violation.severity ?? 'error', description: violation.description });
        }
      }
    }
  }
  return findings;
}

/** Formats findings one per line, for readable test failures. */
export function formatFindings(findings: readonly GateFinding[]): string {
  return findings.map((f) => `${f.id} at ${f.path}: ${f.description}`).join('\n');
}

/** Asserts that `scope` has no unacknowledged gate finding, listing them if it has. */
export function expectGateClean(scope: IConstruct): void {
  const findings = gateFindings(scope);
  expect(formatFindings(findings)).toEqual('');
}
