import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { GatewayConfig, GatewayConfigSchema } from './schema';

/** Raised when the configuration is missing or invalid; lists every problem, one per line. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid gateway configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Environment variables that override single fields. Explicit on purpose: a typo in a variable
 * name must not silently reconfigure a security control, so only these are read.
 */
const ENV_FIELDS: ReadonlyArray<{ name: string; path: string[]; parse: (raw: string) => unknown }> = [
  { name: 'MCP_GATEWAY_MODE', path: ['mode'], parse: (v) => v },
  { name: 'MCP_GATEWAY_HOST', path: ['server', 'host'], parse: (v) => v },
  { name: 'MCP_GATEWAY_PORT', path: ['server', 'port'], parse: (v) => (/^\d+$/.test(v) ? Number(v) : v) },
  { name: 'MCP_GATEWAY_PUBLIC_URL', path: ['server', 'publicUrl'], parse: (v) => v },
  { name: 'MCP_GATEWAY_LOG_LEVEL', path: ['logging', 'level'], parse: (v) => v },
  { name: 'MCP_GATEWAY_SESSION_KEY', path: ['sessions', 'key'], parse: (v) => ({ source: 'inline', value: v }) },
  { name: 'MCP_GATEWAY_SESSION_SECRET_ID', path: ['sessions', 'key'], parse: (v) => ({ source: 'secrets-manager', secretId: v }) },
  { name: 'MCP_GATEWAY_SIGNING_KEY_ID', path: ['tokens', 'signer'], parse: (v) => ({ kind: 'kms', keyId: v }) },
  { name: 'MCP_GATEWAY_POLICY_DIR', path: ['enforcement', 'authorization', 'policyDir'], parse: (v) => v },
];

/** Where the configuration came from, used to name the source of a bad field. */
export interface LoadConfigOptions {
  /** Path of a JSON or YAML file; defaults to `MCP_GATEWAY_CONFIG_FILE`. */
  readonly file?: string;
  /** Environment to read; defaults to `process.env`. */
  readonly env?: Env;
}

/**
 * Loads the configuration: the file named by `file` or `MCP_GATEWAY_CONFIG_FILE`, else the JSON
 * document in `MCP_GATEWAY_CONFIG` (how ECS injects an SSM parameter or secret), then the single
 * field overrides above. Throws a {@link ConfigError} naming every bad field and its source.
 */
export function loadConfig(options: LoadConfigOptions = {}): GatewayConfig {
  const env = options.env ?? process.env;
  const file = options.file ?? env.MCP_GATEWAY_CONFIG_FILE;
  let document: Record<string, unknown>;
  let source: string;
  if (file !== undefined) {
    document = readDocument(file);
    source = file;
  } else if (env.MCP_GATEWAY_CONFIG !== undefined) {
    document = parseDocument(env.MCP_GATEWAY_CONFIG, 'MCP_GATEWAY_CONFIG', 'json');
    source = 'MCP_GATEWAY_CONFIG';
  } else {
    throw new ConfigError(['no configuration: set MCP_GATEWAY_CONFIG_FILE (JSON or YAML) or MCP_GATEWAY_CONFIG (JSON)']);
  }
  const fromEnv = new Map<string, string>();
  for (const field of ENV_FIELDS) {
    const raw = env[field.name];
    if (raw === undefined || raw === '') continue;
    setPath(document, field.path, field.parse(raw));
    fromEnv.set(field.path.join('.'), field.name);
  }
  return parseConfig(document, (path) => fromEnv.get(path) ?? fromEnv.get(path.split('.').slice(0, 2).join('.')) ?? source);
}

/** Validates an in-memory document; `sourceOf` names where a field came from in messages. */
export function parseConfig(document: unknown, sourceOf: (path: string) => string = () => 'config'): GatewayConfig {
  const result = GatewayConfigSchema.safeParse(document);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((issue) => describeIssue(issue, sourceOf)));
}

function describeIssue(issue: z.core.$ZodIssue, sourceOf: (path: string) => string): string {
  const path = issue.path.map(String).join('.') || '(root)';
  const keys = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
  return `${path}: ${issue.message}${keys} [from ${sourceOf(path)}]`;
}

function readDocument(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([`cannot read configuration file ${file}: ${(error as Error).message}`]);
  }
  const ext = extname(file).toLowerCase();
  return parseDocument(text, file, ext === '.yaml' || ext === '.yml' ? 'yaml' : 'json');
}

function parseDocument(text: string, source: string, format: 'json' | 'yaml'): Record<string, unknown> {
  let value: unknown;
  try {
    value = format === 'yaml' ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new ConfigError([`${source}: not valid ${format.toUpperCase()}: ${(error as Error).message}`]);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError([`${source}: expected an object at the top level`]);
  }
  return value as Record<string, unknown>;
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
}
