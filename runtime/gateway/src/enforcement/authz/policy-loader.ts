import * as fs from 'fs';
import * as path from 'path';
import { cedar } from './cedar-engine';

/** File name of the Cedar schema in a policy directory. */
export const SCHEMA_FILE = 'mcp.cedarschema';

/** The policy directory shipped with the gateway (`runtime/gateway/policies`). */
export const DEFAULT_POLICY_DIR = path.resolve(__dirname, '..', '..', '..', 'policies');

/** A schema and policy set that validated against each other. */
export interface LoadedPolicies {
  readonly schemaText: string;
  /** Policy text by id: the `@id("…")` annotation, else `<file>#<index>`. */
  readonly policies: Readonly<Record<string, string>>;
  /** Files read, for logs. */
  readonly files: readonly string[];
}

type CedarError = { message: string; help?: string | null };
const describe = (errors: readonly CedarError[]) => errors.map((e) => (e.help ? `${e.message} (${e.help})` : e.message));

/** Read `mcp.cedarschema` and every `*.cedar` file of `dir`, and validate them (see `validatePolicies`). */
export function loadPolicyDirectory(dir: string): LoadedPolicies {
  const schemaPath = path.join(dir, SCHEMA_FILE);
  const policyFiles = fs.readdirSync(dir).filter((f) => f.endsWith('.cedar')).sort();
  const sources = Object.fromEntries(policyFiles.map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
  return validatePolicies(fs.readFileSync(schemaPath, 'utf8'), sources, dir);
}

/**
 * Parse the schema and policy files, give every policy its id and validate the set in STRICT
 * mode (the mode Verified Permissions enforces). Throws once, listing every problem: the
 * gateway must not start with policies that do not mean what their author thinks.
 */
export function validatePolicies(schemaText: string, sources: Record<string, string>, origin: string): LoadedPolicies {
  const problems: string[] = [];
  const schema = cedar.checkParseSchema(schemaText);
  if (schema.type === 'failure') problems.push(...describe(schema.errors).map((m) => `${SCHEMA_FILE}: ${m}`));

  const policies: Record<string, string> = {};
  for (const [file, text] of Object.entries(sources)) {
    const parts = cedar.policySetTextToParts(text);
    if (parts.type === 'failure') {
      problems.push(...describe(parts.errors).map((m) => `${file}: ${m}`));
      continue;
    }
    if (parts.policy_templates.length > 0) problems.push(`${file}: templates are not supported; write static policies`);
    parts.policies.forEach((statement, index) => {
      const id = policyId(statement) ?? `${file}#${index}`;
      if (policies[id] !== undefined) problems.push(`${file}: duplicate policy id "${id}"`);
      policies[id] = statement;
    });
  }
  if (problems.length === 0 && Object.keys(policies).length === 0) {
    problems.push('no policy found: every request would be denied, which is rarely intended');
  }
  if (problems.length === 0) {
    const answer = cedar.validate({ schema: schemaText, policies: { staticPolicies: policies }, validationSettings: { mode: 'strict' } });
    if (answer.type === 'failure') problems.push(...describe(answer.errors));
    else problems.push(...answer.validationErrors.map((e) => `policy "${e.policyId}": ${e.error.message}`));
  }
  if (problems.length > 0) throw new Error(`invalid Cedar policies in ${origin}:\n  - ${problems.join('\n  - ')}`);
  return { schemaText, policies, files: [SCHEMA_FILE, ...Object.keys(sources)] };
}

function policyId(statement: string): string | undefined {
  const json = cedar.policyToJson(statement);
  return json.type === 'success' ? json.json.annotations?.id : undefined;
}
