import * as fs from 'fs';
import * as path from 'path';
import { IgnoreMode } from 'aws-cdk-lib';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';

/** Dockerfile of the gateway, relative to the package root (the Docker build context). */
export const GATEWAY_DOCKERFILE = 'runtime/gateway/Dockerfile';
/** Cedar schema and policies the gateway evaluates, relative to the package root. */
export const GATEWAY_POLICY_DIR = 'runtime/gateway/policies';

/**
 * What the image build may see, as a .dockerignore allow-list: the package manifest, lock file
 * and TypeScript settings (the runtime's dependencies are the package's) and the gateway's
 * sources and policies. Everything else, construct code, the gateway's tests, benchmarks and
 * conformance runs, other runtimes, node_modules, cdk.out and .git, stays out of the build
 * context and of the asset hash.
 */
const BUILD_CONTEXT = [
  '*',
  '!package.json',
  '!package-lock.json',
  '!tsconfig.json',
  '!runtime',
  'runtime/*',
  '!runtime/gateway',
  'runtime/gateway/test',
  'runtime/gateway/bench',
  'runtime/gateway/conformance',
  'runtime/gateway/zz-*',
  '**/node_modules',
  '**/cdk.out',
];

/**
 * The package root: the nearest ancestor of this file holding a package.json, so that the
 * runtime sources are found both from `lib/` and from a compiled `dist/` tree.
 */
export function packageRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`No package.json above ${__dirname}: cannot locate the gateway runtime`);
  }
}

/** Why the gateway image cannot be built from the package, if it cannot. */
export function gatewayImageProblem(): string | undefined {
  return fs.existsSync(path.join(packageRoot(), GATEWAY_DOCKERFILE))
    ? undefined
    : `image: this package has no ${GATEWAY_DOCKERFILE} to build the gateway from; pass image explicitly`;
}

/** The gateway image, built at deployment from the package root with the gateway's Dockerfile. */
export function gatewayImage(): ecs.ContainerImage {
  return ecs.ContainerImage.fromAsset(packageRoot(), {
    file: GATEWAY_DOCKERFILE,
    exclude: BUILD_CONTEXT,
    ignoreMode: IgnoreMode.DOCKER,
    platform: ecrAssets.Platform.LINUX_AMD64,
  });
}

/** The Cedar schema and policies the gateway loads from its policy directory. */
export interface GatewayPolicies {
  readonly schema: string;
  /** Every `*.cedar` file of the directory, in file-name order, as one policy set. */
  readonly policies: string;
  readonly source: string;
}

/**
 * Read the gateway's Cedar files the way its runtime does (`mcp.cedarschema` and every
 * `*.cedar` file), so that Verified Permissions holds the same policy set the gateway evaluates.
 */
export function gatewayPolicies(): GatewayPolicies {
  const dir = path.join(packageRoot(), GATEWAY_POLICY_DIR);
  const files = fs.readdirSync(dir).filter((file) => file.endsWith('.cedar')).sort();
  return {
    schema: fs.readFileSync(path.join(dir, 'mcp.cedarschema'), 'utf8'),
    policies: files.map((file) => fs.readFileSync(path.join(dir, file), 'utf8')).join('\n'),
    source: `${GATEWAY_POLICY_DIR}/{${files.join(',')}}`,
  };
}
