/**
 * The app the evidence is generated from: the stacks `npx cdk synth` builds from the embedded
 * default configuration, synthesized once per process into a temporary directory. Generators
 * walk whatever stacks it holds, so pattern stacks appear in the evidence as soon as
 * `bin/stacks.ts` creates them.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { CfnTemplate } from './template';
import { DEFAULT_CONFIG } from '../../bin/config/default-config';
import { validateConfig } from '../../bin/config/load';
import { buildStacks } from '../../bin/stacks';

/** The repository root: the configuration directory of the embedded default configuration. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** One synthesized stack with its template. */
export interface EvidenceStack {
  /** The stack construct, to walk its construct tree. */
  readonly stack: Stack;
  /** The CloudFormation stack name, e.g. `mcp-kit-baseline-us-east-1`. */
  readonly name: string;
  /** A file-name-safe identifier, unique in the app: the construct path with `/` replaced. */
  readonly slug: string;
  /** The synthesized template. */
  readonly template: CfnTemplate;
}

/**
 * Every stack below `root` (an App, or a Stage inside it), in construct-tree order. Stacks
 * inside nested Stages are included. A stack's template is synthesized when first read, and
 * each Stage only once (Stage.synth() caches its assembly), so generators that read only the
 * construct tree pay no synthesis.
 */
export function evidenceStacks(root: IConstruct): EvidenceStack[] {
  return root.node.findAll().filter((c): c is Stack => Stack.isStack(c) && !c.nestedStackParent).map((stack) => {
    let template: CfnTemplate | undefined;
    return {
      stack,
      name: stack.stackName,
      slug: stack.node.path.replace(/[^A-Za-z0-9-]+/g, '-'),
      get template(): CfnTemplate {
        template ??= Stage.of(stack)!.synth().getStackArtifact(stack.artifactId).template as CfnTemplate;
        return template;
      },
    };
  });
}

let cached: EvidenceStack[] | undefined;

/**
 * The stacks of the default configuration, synthesized once per process.
 *
 * The app is built with `buildStacks`, the same function `createKitApp` calls, but without
 * registering the security gate: the evidence describes what the stacks contain, and running
 * five rule packs here would only repeat what the gate's own tests prove, at twice the synth time.
 */
export function kitStacks(): EvidenceStack[] {
  if (!cached) {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-kit-evidence-'));
    try {
      // Asset staging copies image build contexts into the cloud assembly; the evidence reads
      // templates only, and asset hashes (in image URIs) come from the sources either way.
      const app = new App({ outdir, context: { 'aws:cdk:disable-asset-staging': true } });
      buildStacks(app, validateConfig(DEFAULT_CONFIG, 'the embedded default configuration'), REPO_ROOT);
      cached = evidenceStacks(app);
      // Read every template now: the output directory is removed below.
      cached.forEach((evidence) => evidence.template);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  }
  return cached;
}
