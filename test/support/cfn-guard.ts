import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';

const PACKAGE_DIR = path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json'));

/** The AWS Control Tower proactive-control rule files shipped with @cdklabs/cdk-validator-cfnguard. */
export const CONTROL_TOWER_RULES_DIR = path.join(PACKAGE_DIR, 'rules', 'control-tower', 'cfn-guard');

/**
 * Namespace of cfn-guard findings in acknowledgements, the name of `CfnGuardValidator`:
 * `acknowledge(bucket, { id: 'cdk-validator-cfnguard::s3_bucket_logging_enabled_check', reason })`
 * accepts one finding on one construct, here and in a synth that runs the validator plugin.
 */
export const CFN_GUARD_NAMESPACE = 'cdk-validator-cfnguard';

/** A Control Tower rule the kit does not run, and why. */
export interface DisabledGuardRule {
  /** Rule file name without extension, e.g. `ct-s3-pr-4` (the id `CfnGuardValidator.disabledRules` takes). */
  readonly ruleFile: string;
  /** Control Tower control id, e.g. `CT.S3.PR.1`. */
  readonly control: string;
  /** Why the control does not apply to the kit, or what enforces it instead. */
  readonly reason: string;
}

/**
 * Control Tower rules that are not run over the kit's templates. Every entry says why;
 * docs/gate.md lists the same rules (a test keeps the two in sync).
 */
export const DISABLED_GUARD_RULES: readonly DisabledGuardRule[] = [
  {
    ruleFile: 'ct-s3-pr-4',
    control: 'CT.S3.PR.4',
    reason:
      'Asks every bucket to publish S3 event notifications. The kit\'s buckets receive logs written by AWS ' +
      'services; nothing in the kit consumes their object events, and who reads or changes them is recorded by ' +
      'S3 server access logs and CloudTrail, not by notifications. A notification target per bucket would add ' +
      'resources without adding a control.',
  },
];

/** One resource that fails one Control Tower rule. */
export interface GuardFailure {
  /** Guard rule name, e.g. `cloudwatch_log_group_encrypted_check`; acknowledged as `cdk-validator-cfnguard::<rule>`. */
  readonly rule: string;
  /** Rule file name, e.g. `ct-cloudwatch-pr-3`. */
  readonly ruleFile: string;
  /** Control Tower control id, e.g. `CT.CLOUDWATCH.PR.3`. */
  readonly control: string;
  /** Template file name, e.g. `Test.template.json`. */
  readonly template: string;
  /** Logical id of the failing resource; empty when the rule failed on the template as a whole. */
  readonly logicalId: string;
  /** Construct path of the failing resource, when the template came from a stack of this app. */
  readonly constructPath?: string;
  /** What the control requires, e.g. "Require an Amazon CloudWatch log group to be encrypted at rest with an AWS KMS key". */
  readonly message: string;
}

/** Options of a cfn-guard run. */
export interface CfnGuardOptions {
  /**
   * Rules to skip, by rule file name.
   * @default - the rule files of DISABLED_GUARD_RULES
   */
  readonly disabledRules?: readonly string[];
}

/** The cfn-guard 3 binary bundled for this platform (linux x64/arm64, macOS). */
export function cfnGuardBinary(): string {
  const platform = { linux: 'ubuntu', darwin: 'macos' }[os.platform() as string];
  const architecture = { x64: 'x86_64', arm64: 'aarch64' }[os.arch() as string];
  if (!platform || !architecture) {
    throw new Error(`cfn-guard is bundled for linux and macOS on x64 and arm64, not ${os.platform()} ${os.arch()}`);
  }
  return path.join(PACKAGE_DIR, 'bin', platform, architecture, 'cfn-guard');
}

/** Every Control Tower rule file, by rule name (`ct-s3-pr-1` → its path). */
export function controlTowerRuleFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const service of fs.readdirSync(CONTROL_TOWER_RULES_DIR)) {
    for (const file of fs.readdirSync(path.join(CONTROL_TOWER_RULES_DIR, service))) {
      if (file.endsWith('.guard')) {
        files.set(path.basename(file, '.guard'), path.join(CONTROL_TOWER_RULES_DIR, service, file));
      }
    }
  }
  return files;
}

/**
 * Runs every enabled Control Tower rule over CloudFormation template files (or directories of
 * them, such as a cdk.out) and returns one failure per rule and resource.
 */
export function runCfnGuard(templatePaths: readonly string[], options: CfnGuardOptions = {}): GuardFailure[] {
  const disabled = new Set(options.disabledRules ?? DISABLED_GUARD_RULES.map((r) => r.ruleFile));
  const present = resourceTypesIn(templatePaths);
  // Every Control Tower rule selects the resources of the types it names and skips when there
  // are none, so a rule naming no type present in the templates cannot fail: leave it out.
  const ruleFiles = [...controlTowerRuleFiles()]
    .filter(([rule]) => !disabled.has(rule))
    .filter(([, file]) => resourceTypesOfRule(file).some((type) => present.has(type)));
  if (ruleFiles.length === 0) {
    return [];
  }
  const result = spawnSync(cfnGuardBinary(), [
    'validate',
    ...ruleFiles.flatMap(([, file]) => ['--rules', file]),
    ...templatePaths.flatMap((template) => ['--data', template]),
    '--output-format', 'json', '--structured', '--show-summary', 'none',
  ], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  // cfn-guard exits 19 when a rule fails, 0 when all pass; anything else is an error of its own.
  if (result.error || (result.status !== 0 && result.status !== 19)) {
    throw new Error(`cfn-guard failed (status ${result.status}): ${result.error?.message ?? result.stderr}`);
  }
  const ruleFileOf = guardRuleNames(new Map(ruleFiles));
  return (JSON.parse(result.stdout) as GuardFileReport[]).flatMap((report) =>
    (report.not_compliant ?? []).flatMap((entry) => failuresOf(entry, path.basename(report.name), ruleFileOf)),
  );
}

/**
 * Runs `runCfnGuard` over the templates of a synthesized cloud assembly (cdk.out) and returns
 * the failures not acknowledged in the template: the CDK writes every acknowledgement of a
 * resource (its own and its ancestors') into the resource's `Metadata.cdk_nag.rules_to_suppress`.
 */
export function cfnGuardCloudAssembly(cloudAssemblyDir: string, options: CfnGuardOptions = {}): GuardFailure[] {
  const templates = templatesIn(cloudAssemblyDir);
  const resources = new Map(templates.map((file) => [path.basename(file), JSON.parse(fs.readFileSync(file, 'utf8')).Resources ?? {}]));
  return runCfnGuard(templates, options).flatMap((failure) => {
    const resource = resources.get(failure.template)?.[failure.logicalId];
    const acknowledged: Array<{ id?: string }> = resource?.Metadata?.cdk_nag?.rules_to_suppress ?? [];
    if (acknowledged.some((entry) => entry.id === `${CFN_GUARD_NAMESPACE}::${failure.rule}`)) {
      return [];
    }
    return [{ ...failure, constructPath: resource?.Metadata?.['aws:cdk:path'] }];
  });
}

/**
 * Synthesizes each stack to a temporary file, runs `runCfnGuard` over them and returns the
 * failures that are not acknowledged (`cdk-validator-cfnguard::<rule>` on the resource or an
 * ancestor, the same id a synth with the validator plugin honours).
 */
export function cfnGuardStacks(stacks: readonly Stack[], options: CfnGuardOptions = {}): GuardFailure[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-guard-'));
  try {
    const stackByTemplate = new Map(stacks.map((stack) => {
      const file = `${stack.artifactId}.template.json`;
      fs.writeFileSync(path.join(dir, file), JSON.stringify(Template.fromStack(stack).toJSON(), undefined, 1));
      return [file, stack];
    }));
    return runCfnGuard([...stackByTemplate.keys()].map((file) => path.join(dir, file)), options).flatMap((failure) => {
      const resource = constructOf(stackByTemplate.get(failure.template), failure.logicalId);
      if (resource && isAcknowledged(resource, `${CFN_GUARD_NAMESPACE}::${failure.rule}`)) {
        return [];
      }
      return [{ ...failure, constructPath: resource?.node.path }];
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Asserts that the stacks pass every enabled Control Tower rule, listing the failures if not. */
export function expectControlTowerClean(...stacks: Stack[]): void {
  expect(formatGuardFailures(cfnGuardStacks(stacks))).toEqual('');
}

/** The CloudFormation templates in a cloud assembly directory (cdk.out), for `runCfnGuard`. */
export function templatesIn(cloudAssemblyDir: string): string[] {
  return fs.readdirSync(cloudAssemblyDir).filter((file) => file.endsWith('.template.json')).map((file) => path.join(cloudAssemblyDir, file));
}

/** Formats failures one per line, for readable test failures. */
export function formatGuardFailures(failures: readonly GuardFailure[]): string {
  return failures
    .map((f) => `${f.control} ${f.constructPath ?? `${f.template} ${f.logicalId}`}: ${f.message} (acknowledge as '${CFN_GUARD_NAMESPACE}::${f.rule}')`)
    .join('\n');
}

/** Resource types of the templates (files, or directories of `*.template.json`). */
function resourceTypesIn(templatePaths: readonly string[]): Set<string> {
  const files = templatePaths.flatMap((p) => (fs.statSync(p).isDirectory() ? templatesIn(p) : [p]));
  return new Set(files.flatMap((file) =>
    Object.values<{ Type?: string }>(JSON.parse(fs.readFileSync(file, 'utf8')).Resources ?? {}).map((r) => r.Type ?? '')));
}

/** The CloudFormation resource types a rule file names (`AWS::S3::Bucket`, …). */
function resourceTypesOfRule(ruleFile: string): string[] {
  return fs.readFileSync(ruleFile, 'utf8').match(/AWS::[A-Za-z0-9]+::[A-Za-z0-9]+/g) ?? [];
}

interface GuardFileReport {
  readonly name: string;
  readonly not_compliant?: unknown[];
}

/** Guard rule name (`cloudwatch_log_group_encrypted_check`) → rule file name (`ct-cloudwatch-pr-3`). */
function guardRuleNames(ruleFiles: Map<string, string>): Map<string, string> {
  const names = new Map<string, string>();
  for (const [rule, file] of ruleFiles) {
    for (const match of fs.readFileSync(file, 'utf8').matchAll(/^rule (\w+) when is_cfn_template/gm)) {
      names.set(match[1], rule);
    }
  }
  return names;
}

/**
 * cfn-guard's structured output nests clauses, blocks and sub-rules differently for each way a
 * rule is written; what every failing check carries is the path it traversed to
 * (`/Resources/<LogicalId>/…`) and the rule's `[CT.…]: <title>` custom message.
 */
function failuresOf(entry: unknown, template: string, ruleFileOf: Map<string, string>): GuardFailure[] {
  const guardRule = (entry as { Rule?: { name?: string } }).Rule?.name ?? 'unknown';
  const strings = collectStrings(entry);
  const titleLine = strings.map((s) => /\[(CT\.[A-Z0-9-]+\.PR\.\d+)\]:\s*(.+)/.exec(s)).find((m) => m !== null);
  const failure = {
    rule: guardRule,
    ruleFile: ruleFileOf.get(guardRule) ?? guardRule,
    control: titleLine?.[1] ?? guardRule,
    template,
    message: titleLine?.[2].trim() ?? guardRule,
  };
  const logicalIds = new Set(strings.map((s) => /^\/Resources\/([^/]+)/.exec(s)?.[1]).filter((id): id is string => id !== undefined));
  // A rule that fails without pointing at a resource still fails: report it on the template.
  return (logicalIds.size > 0 ? [...logicalIds] : ['']).map((logicalId) => ({ ...failure, logicalId }));
}

function constructOf(stack: Stack | undefined, logicalId: string): IConstruct | undefined {
  return stack?.node.findAll().find((c) => CfnElement.isCfnElement(c) && stack.resolve(c.logicalId) === logicalId);
}

function isAcknowledged(construct: IConstruct, id: string): boolean {
  for (let current: IConstruct | undefined = construct; current; current = current.node.scope) {
    for (const entry of current.node.metadata) {
      if (entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && id in (entry.data as object)) {
        return true;
      }
    }
  }
  return false;
}

function collectStrings(value: unknown): string[] {
  if (typeof value === 'string') {
    return value.split('\n');
  }
  if (Array.isArray(value)) {
    return value.flatMap(collectStrings);
  }
  if (typeof value === 'object' && value !== null) {
    return Object.values(value).flatMap(collectStrings);
  }
  return [];
}
