/**
 * Times full in-process synths of an app with and without the security gate (and, optionally,
 * with the Control Tower cfn-guard rules as a synth-time plugin) and prints wall time, CPU
 * time, means and ratios. A benchmark, not a test: numbers depend on the machine.
 *
 *   npx tsx scripts/bench-synth.ts <module>[#export] [--runs N] [--cfn-guard]
 *
 * `<module>` exports (as `default` or `#export`) a function that adds the app's stacks to the
 * App it is given, without applying the gate itself.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Validations } from 'aws-cdk-lib';
import { SecurityGate } from '../lib/gate';

/** Adds an app's stacks to `app`. Must not apply the gate: the benchmark does. */
export type AppBuilder = (app: App) => void;

/** A way to synthesize the app. */
export type SynthVariant = 'no gate' | 'gate' | 'gate + cfn-guard';

/** Options of a benchmark. */
export interface BenchSynthOptions {
  /**
   * Measured synths per variant, after one unmeasured warm-up synth per variant.
   * @default 5
   */
  readonly runs?: number;
  /**
   * Also measure the gate plus the Control Tower cfn-guard rules as a synth-time plugin.
   * @default false
   */
  readonly cfnGuard?: boolean;
  /**
   * cfn-guard rules to leave out, by rule file name.
   * @default - none
   */
  readonly cfnGuardDisabledRules?: string[];
}

/** Timings of one variant. */
export interface SynthTimings {
  readonly variant: SynthVariant;
  /** Wall time of each measured synth, ms. */
  readonly wallMs: number[];
  /** CPU time (user + system, this process and its child processes) of each synth, ms. */
  readonly cpuMs: number[];
  /** Findings that would fail synth (per synth); the synth still runs to the end. */
  readonly findings: number;
}

/**
 * Synthesizes the app `runs` times per variant, interleaving variants so that load from other
 * processes spreads evenly, and returns the timings of each variant.
 */
export function benchSynth(build: AppBuilder, options: BenchSynthOptions = {}): SynthTimings[] {
  const runs = options.runs ?? 5;
  const variants: SynthVariant[] = options.cfnGuard ? ['no gate', 'gate', 'gate + cfn-guard'] : ['no gate', 'gate'];
  const timings = new Map(variants.map((variant) => [variant, { variant, wallMs: [] as number[], cpuMs: [] as number[], findings: 0 }]));
  for (let run = -1; run < runs; run++) {
    for (const variant of variants) {
      const sample = synthOnce(build, variant, options.cfnGuardDisabledRules ?? []);
      const entry = timings.get(variant)!;
      entry.findings = sample.findings;
      if (run >= 0) { // run -1 warms up module loading and CDK's one-time initialisation
        entry.wallMs.push(sample.wallMs);
        entry.cpuMs.push(sample.cpuMs);
      }
    }
  }
  return [...timings.values()];
}

/** The benchmark as a table: variant, runs, total and mean wall time, mean CPU time, ratios to "no gate". */
export function formatTimings(timings: readonly SynthTimings[]): string {
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const base = timings[0];
  const rows = timings.map((t) => [
    t.variant,
    String(t.findings),
    String(t.wallMs.length),
    (t.wallMs.reduce((a, b) => a + b, 0) / 1000).toFixed(1),
    (mean(t.wallMs) / 1000).toFixed(2),
    (mean(t.cpuMs) / 1000).toFixed(2),
    (mean(t.wallMs) / mean(base.wallMs)).toFixed(2),
    (mean(t.cpuMs) / mean(base.cpuMs)).toFixed(2),
  ]);
  const header = ['variant', 'findings', 'runs', 'wall total s', 'wall mean s', 'cpu mean s', 'wall ratio', 'cpu ratio'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows].map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ')).join('\n');
}

function synthOnce(build: AppBuilder, variant: SynthVariant, disabledRules: string[]): { wallMs: number; cpuMs: number; findings: number } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
  const cpuBefore = cpuMs();
  const wallBefore = performance.now();
  try {
    // Validation runs in full either way; the app just does not print the report or throw,
    // so that an app with findings can be measured too.
    const app = new App({ outdir, context: { '@aws-cdk/core:failSynthOnValidationErrors': false } });
    if (variant !== 'no gate') {
      SecurityGate.apply(app);
    }
    if (variant === 'gate + cfn-guard') {
      Validations.of(app).addPlugins(new CfnGuardValidator({ disabledRules }));
    }
    build(app);
    app.synth();
    const timing = { wallMs: performance.now() - wallBefore, cpuMs: cpuMs() - cpuBefore };
    return { ...timing, findings: countFindings(path.join(outdir, 'validation-report.json')) };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Violating constructs in CDK's validation report (violations of plugins that pass are warnings). */
function countFindings(reportFile: string): number {
  if (!fs.existsSync(reportFile)) {
    return 0;
  }
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as {
    pluginReports?: { conclusion: string; violations: { violatingConstructs?: unknown[] }[] }[];
  };
  return (report.pluginReports ?? [])
    .filter((plugin) => plugin.conclusion === 'failure')
    .flatMap((plugin) => plugin.violations)
    .reduce((count, violation) => count + (violation.violatingConstructs?.length ?? 1), 0);
}

const CLOCK_TICKS_PER_SECOND = clockTicks();

/** CPU time of this process and its finished child processes (cfn-guard), in ms. */
function cpuMs(): number {
  const own = process.cpuUsage();
  let children = 0;
  try {
    // /proc/self/stat fields 16 and 17: cutime, cstime (clock ticks). Linux only.
    const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    children = ((Number(fields[13]) + Number(fields[14])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    children = 0;
  }
  return (own.user + own.system) / 1000 + children;
}

function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

async function main(argv: string[]): Promise<void> {
  const [target, ...flags] = argv;
  if (!target) {
    throw new Error('usage: npx tsx scripts/bench-synth.ts <module>[#export] [--runs N] [--cfn-guard]');
  }
  const [modulePath, exportName = 'default'] = target.split('#');
  const loaded = (await import(path.resolve(modulePath))) as Record<string, unknown>;
  const build = loaded[exportName] as AppBuilder | undefined;
  if (typeof build !== 'function') {
    throw new Error(`${modulePath} has no function export '${exportName}'`);
  }
  const runsFlag = flags.indexOf('--runs');
  const runs = runsFlag >= 0 ? Number(flags[runsFlag + 1]) : undefined;
  const timings = benchSynth(build, { runs, cfnGuard: flags.includes('--cfn-guard') });
  console.log(formatTimings(timings));
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: Error) => {
    console.error(error.message);
    process.exitCode = 1;
  });
}
