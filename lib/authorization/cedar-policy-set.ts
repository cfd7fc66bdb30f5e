import * as cedar from '@cedar-policy/cedar-wasm/nodejs';

/** A Cedar schema and policy set, checked against each other at synth time. */
export interface ValidatedCedarPolicies {
  /** The schema in Cedar JSON form (what Verified Permissions stores). */
  readonly schemaJson: string;
  /** Each policy statement, in file order. */
  readonly policies: readonly string[];
}

function describe(errors: ReadonlyArray<{ message: string; help?: string | null }>): string[] {
  return errors.map((e) => (e.help ? `${e.message} (${e.help})` : e.message));
}

/**
 * Parse a Cedar schema (human-readable form) and policy set and validate the policies against
 * the schema in STRICT mode, the mode the policy store enforces. Throws listing every problem,
 * so an invalid policy fails `cdk synth` instead of a deployment.
 */
export function validateCedarPolicies(schemaText: string, policiesText: string, source: string): ValidatedCedarPolicies {
  const problems: string[] = [];
  const schema = cedar.schemaToJson(schemaText);
  if (schema.type === 'failure') {
    problems.push(...describe(schema.errors).map((m) => `schema: ${m}`));
  }
  const parts = cedar.policySetTextToParts(policiesText);
  if (parts.type === 'failure') {
    problems.push(...describe(parts.errors).map((m) => `policies: ${m}`));
  } else if (parts.policy_templates.length > 0) {
    problems.push('policies: templates are not supported; write static policies');
  } else if (parts.policies.length === 0) {
    problems.push('policies: no policy found; an empty set denies everything, which is rarely intended');
  }
  if (problems.length === 0 && schema.type === 'success' && parts.type === 'success') {
    const answer = cedar.validate({ schema: schemaText, policies: { staticPolicies: policiesText }, validationSettings: { mode: 'strict' } });
    if (answer.type === 'failure') {
      problems.push(...describe(answer.errors).map((m) => `validation: ${m}`));
    } else {
      problems.push(...answer.validationErrors.map((e) => `policy ${e.policyId}: ${e.error.message}`));
    }
    if (problems.length === 0) {
      return { schemaJson: JSON.stringify(schema.json), policies: parts.policies };
    }
  }
  throw new Error(`Invalid Cedar policies in ${source}:\n  - ${problems.join('\n  - ')}`);
}
