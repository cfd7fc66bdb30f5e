/**
 * The controls matrix: for each seed principle, the building blocks that implement it in each
 * stack (from `declarePrinciples` metadata in the construct trees), the gate rules that enforce
 * it (the MCP rules' own declarations, plus the mapped cdk-nag rules and Control Tower
 * controls), its NIST SP 800-53 Rev. 5 controls and the tests tagged `// proves:` with it.
 */
import { IConstruct } from 'constructs';
import { CONTROLS_MAPPING, PrincipleMapping } from './controls-mapping';
import { EvidenceStack } from './kit-app';
import { ProofTest } from './proof-tags';
import { ControlTowerControl } from './rule-catalogue';
import { declaredPrinciples } from '../../lib/core/controls';
import { SECURITY_PRINCIPLES, SecurityPrinciple } from '../../lib/core/security-principles';
import { listAcknowledgements, McpRule } from '../../lib/gate';

/** A building block class and how many instances of it a stack holds. */
export interface ConstructCount {
  readonly className: string;
  readonly count: number;
}

/** One row of the matrix. */
export interface PrincipleRow {
  readonly principle: SecurityPrinciple;
  readonly description: string;
  /** Per stack (in app order), the building blocks declaring the principle; empty stacks omitted. */
  readonly constructs: ReadonlyArray<{ readonly stack: string; readonly classes: readonly ConstructCount[] }>;
  readonly mcpRules: readonly McpRule[];
  readonly cdkNag: readonly string[];
  readonly controlTower: readonly ControlTowerControl[];
  /** NIST 800-53 R5 controls of the MCP rules and the mapping, sorted. */
  readonly nist80053: readonly string[];
  readonly tests: readonly ProofTest[];
  /** Rules of this row acknowledged somewhere in the app, with the number of acknowledgements. */
  readonly acknowledged: ReadonlyArray<{ readonly rule: string; readonly count: number }>;
  readonly note?: string;
}

/** What the matrix is built from. */
export interface ControlsMatrixInput {
  readonly stacks: readonly EvidenceStack[];
  readonly rules: readonly McpRule[];
  readonly tests: readonly ProofTest[];
  readonly controls: ReadonlyMap<string, ControlTowerControl>;
  /** @default CONTROLS_MAPPING */
  readonly mapping?: Readonly<Record<SecurityPrinciple, PrincipleMapping>>;
}

/** The rows of the matrix, one per principle in `SECURITY_PRINCIPLES` order. */
export function buildControlsMatrix(input: ControlsMatrixInput): PrincipleRow[] {
  const mapping = input.mapping ?? CONTROLS_MAPPING;
  const acknowledgements = acknowledgedRules(input.stacks, input.controls);
  return (Object.keys(SECURITY_PRINCIPLES) as SecurityPrinciple[]).map((principle) => {
    const mapped = mapping[principle];
    const mcpRules = input.rules.filter((rule) => rule.principles.includes(principle));
    const controlTower = mapped.controlTower.map((id) => {
      const control = input.controls.get(id);
      if (!control) throw new Error(`controls mapping of ${principle}: no Control Tower control ${id}`);
      return control;
    });
    const ruleIds = new Set([...mcpRules.map((rule) => `Mcp-${rule.id}`), ...mapped.cdkNag, ...mapped.controlTower]);
    return {
      principle,
      description: SECURITY_PRINCIPLES[principle],
      constructs: input.stacks
        .map(({ stack, name }) => ({ stack: name, classes: declaringClasses(stack, principle) }))
        .filter((entry) => entry.classes.length > 0),
      mcpRules,
      cdkNag: mapped.cdkNag,
      controlTower,
      nist80053: sortControls([...mcpRules.flatMap((rule) => rule.nist80053), ...mapped.nist80053]),
      tests: input.tests.filter((test) => test.principles.includes(principle)),
      acknowledged: [...acknowledgements].filter(([rule]) => ruleIds.has(rule)).map(([rule, count]) => ({ rule, count })),
      note: mapped.note,
    };
  });
}

/** Building block classes below `scope` that declare `principle`, by first appearance. */
function declaringClasses(scope: IConstruct, principle: SecurityPrinciple): ConstructCount[] {
  const counts = new Map<string, number>();
  for (const construct of scope.node.findAll()) {
    if (declaredPrinciples(construct).includes(principle)) {
      counts.set(construct.constructor.name, (counts.get(construct.constructor.name) ?? 0) + 1);
    }
  }
  return [...counts].map(([className, count]) => ({ className, count }));
}

/**
 * How often each rule is acknowledged in the app: `Pack::Rule[granular]` ids counted under
 * `Rule`; Control Tower guard rules counted under their control id.
 */
function acknowledgedRules(stacks: readonly EvidenceStack[], controls: ReadonlyMap<string, ControlTowerControl>): Map<string, number> {
  const controlOfGuardRule = new Map([...controls.values()].flatMap((c) => c.guardRules.map((rule) => [rule, c.id] as const)));
  const counts = new Map<string, number>();
  for (const { stack } of stacks) {
    for (const { id } of listAcknowledgements(stack)) {
      const finding = id.slice(id.indexOf('::') + 2).replace(/\[.*$/, '');
      const rule = controlOfGuardRule.get(finding) ?? finding;
      counts.set(rule, (counts.get(rule) ?? 0) + 1);
    }
  }
  return new Map([...counts].sort(([a], [b]) => a.localeCompare(b)));
}

/** NIST control ids without repeats, by family, number and enhancement (`AC-6` < `AC-6(1)` < `AC-17`). */
export function sortControls(ids: readonly string[]): string[] {
  const key = (id: string): [string, number, number] => {
    const match = /^([A-Z]{2})-(\d+)(?:\((\d+)\))?$/.exec(id);
    if (!match) throw new Error(`not a NIST SP 800-53 control id: '${id}'`);
    return [match[1], Number(match[2]), match[3] === undefined ? 0 : Number(match[3])];
  };
  return [...new Set(ids)].sort((a, b) => {
    const [fa, na, ea] = key(a);
    const [fb, nb, eb] = key(b);
    return fa.localeCompare(fb) || na - nb || ea - eb;
  });
}
