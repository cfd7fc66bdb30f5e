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

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function formatIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return `${formatPath(issue.path)}: unknown field(s) ${issue.keys.map((k) => `'${k}'`).join(', ')}; allowed fields are listed in docs/config/schema.json`;
  }
  if (issue.code === 'invalid_union' && 'discriminator' in issue && issue.discriminator) {
    // zod reports the path of the discriminator field but the whole object as input.
    const input = issue.input as Record<string, unknown> | undefined;
    return `${formatPath(issue.path)}: got ${describeValue(input?.[issue.discriminator])}; ${issue.message}`;
  }
  return `${formatPath(issue.path)}: got ${describeValue(issue.input)}; expected ${issue.message}`;
}

/** Validate an already parsed document. Throws ConfigError listing every problem. */
export function validateConfig(document: unknown, source = 'configuration'): KitConfig {
  const result = KitConfigSchema.safeParse(document, { reportInput: true });
  if (!result.success) {
    throw new ConfigError(source, result.error.issues.map(formatIssue));
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
