import { Stack, Stage, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Minimum length of an acknowledgement reason. */
export const MIN_ACKNOWLEDGEMENT_REASON = 20;

/** Findings about wildcard permissions: never acknowledged for a whole stack or app. */
const WILDCARD_PERMISSION_FINDING = /IAM5|FullAccess|AdminAccess|NoWildcard|Wildcard/i;

/** One acknowledged gate finding. */
export interface GateAcknowledgement {
  /**
   * The qualified finding id as printed by synth: `<Pack>::<RuleId>`, optionally with a
   * granular finding, e.g. `AwsSolutions::AwsSolutions-IAM5[Resource::arn:aws:s3:::bucket/*]`.
   */
  readonly id: string;
  /** Why the finding is acceptable here; at least 20 characters, read by auditors. */
  readonly reason: string;
}

/**
 * Acknowledge gate findings on one construct, with a reason that appears in template
 * metadata and in docs/acknowledgements.md. Prefer fixing the resource.
 *
 * Refuses a reason shorter than 20 characters, an id without its pack namespace, and any
 * wildcard-permission finding acknowledged on a whole Stack or App.
 */
export function acknowledge(scope: IConstruct, ...acknowledgements: GateAcknowledgement[]): void {
  const problems: string[] = [];
  for (const { id, reason } of acknowledgements) {
    if (!/^[A-Za-z0-9.-]+::\S+$/.test(id)) {
      problems.push(`id '${id}' must be qualified with its pack, '<Pack>::<RuleId>', e.g. 'AwsSolutions::AwsSolutions-IAM5'`);
    }
    if ((reason ?? '').trim().length < MIN_ACKNOWLEDGEMENT_REASON) {
      problems.push(`reason for '${id}' must be at least ${MIN_ACKNOWLEDGEMENT_REASON} characters that explain why the finding is acceptable, got '${reason}'`);
    }
    if (WILDCARD_PERMISSION_FINDING.test(id) && (Stack.isStack(scope) || Stage.isStage(scope))) {
      problems.push(`'${id}' is a wildcard-permission finding and cannot be acknowledged for all of ${scope.node.path || 'the app'}; acknowledge it on the policy that needs it`);
    }
  }
  if (problems.length > 0) {
    throw new Error(`Invalid gate acknowledgement on '${scope.node.path || '<app>'}':\n  - ${problems.join('\n  - ')}`);
  }
  Validations.of(scope).acknowledge(...acknowledgements.map(({ id, reason }) => ({ id, reason: reason.trim() })));
}

/** An acknowledgement as found in the construct tree. */
export interface RecordedAcknowledgement extends GateAcknowledgement {
  /** Path of the construct that carries the acknowledgement. */
  readonly path: string;
}

/** Every acknowledgement recorded on `scope` and below, in tree order. */
export function listAcknowledgements(scope: IConstruct): RecordedAcknowledgement[] {
  return scope.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
      .map(([id, reason]) => ({ id, reason, path: construct.node.path })),
  );
}
