import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { z } from 'zod';
import { KitConfig, KitConfigSchema } from './schema';

/** A configuration that failed validation: one problem per line, each naming its field. */
export class ConfigError extends Error {
  constructor(public readonly source: string, public readonly problems: readonly string[]) {
    super(`Invalid MCP kit configuration in ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** `mcpServers[0].awsAccess[1].actions[0]`: how users read a field path. */
export function formatPath(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>((acc, segment) =>
    typeof segment === 'number' ? `${acc}[${segment}]` : acc ? `${acc}.${String(segment)}` : String(segment), '') || '(root)';
}

/** The value at `segments` in what the user wrote, or undefined. */
function valueAt(document: unknown, segments: readonly PropertyKey[]): unknown {
  return segments.reduce<unknown>((value, segment) =>
    value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[segment] : undefined, document);
}

/**
 * The value as the message shows it. A client secret is never echoed (a user may have pasted
 * the secret where its reference belongs), nor are environment values (the refused ones look
 * like secrets): error output lands in terminals and CI logs.
 */
function describeValue(segments: readonly PropertyKey[], value: unknown): string {
  if (value === undefined) return 'nothing';
  if (segments.includes('clientSecret')) return 'a value (not shown)';
  if (segments.at(-1) === 'environment' && value !== null && typeof value === 'object') {
    return `variables ${Object.keys(value).join(', ')} (values not shown)`;
  }
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function formatIssue(issue: z.core.$ZodIssue, document: unknown): string {
  const where = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    return `${where}: unknown field(s) ${issue.keys.map((k) => `'${k}'`).join(', ')}; allowed fields are listed in docs/config/schema.json`;
  }
  if (issue.code === 'invalid_union' && 'discriminator' in issue && issue.discriminator) {
    // zod reports the path of the discriminator field but the whole object as input.
    const input = issue.input as Record<string, unknown> | undefined;
    return `${where}: got ${describeValue(issue.path, input?.[issue.discriminator])}; ${issue.message}`;
  }
  // A check across fields is reported at the field it names, with the whole object as input:
  // show what the user wrote at that field instead.
  const value = issue.code === 'custom' ? valueAt(document, issue.path) : issue.input;
  // zod's own messages start with "Invalid input: expected …"; the line already says "expected".
  const expected = issue.message.replace(/^Invalid (input|option): expected /, '');
  if (issue.code === 'invalid_type' && value === undefined) {
    const what = expected !== issue.message ? `${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}` : expected;
    return `${where}: missing; expected ${what} (the field is required)`;
  }
  return `${where}: got ${describeValue(issue.path, value)}; expected ${expected}`;
}

/** Validate an already parsed document. Throws ConfigError listing every problem. */
export function validateConfig(document: unknown, source = 'configuration'): KitConfig {
  const result = KitConfigSchema.safeParse(document, { reportInput: true });
  if (!result.success) {
    throw new ConfigError(source, result.error.issues.map((issue) => formatIssue(issue, document)));
  }
  return result.data;
}

/** Read a YAML or JSON configuration file and validate it. */
export function loadConfigFile(file: string): KitConfig {
  const extension = path.extname(file).toLowerCase();
  if (!['.yaml', '.yml', '.json'].includes(extension)) {
    throw new ConfigError(file, [`config: the file must end in .yaml, .yml or .json, got '${extension || 'no extension'}'`]);
  }
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, [`config: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  let document: unknown;
  try {
    document = extension === '.json' ? JSON.parse(text) : YAML.parse(text, { strict: true, uniqueKeys: true });
  } catch (error) {
    throw new ConfigError(file, [`config: not valid ${extension === '.json' ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`]);
  }
  return validateConfig(document, file);
}
