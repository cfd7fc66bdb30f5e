import * as fs from 'fs';
import * as path from 'path';
import { IgnoreMode } from 'aws-cdk-lib';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';

/** The gateway runtime, relative to the package root: the Docker build context of its image. */
export const GATEWAY_RUNTIME_DIR = 'runtime/gateway';
/** Dockerfile of the gateway, relative to the package root. */
export const GATEWAY_DOCKERFILE = `${GATEWAY_RUNTIME_DIR}/Dockerfile`;
/** Cedar schema and policies the gateway evaluates, relative to the package root. */
export const GATEWAY_POLICY_DIR = `${GATEWAY_RUNTIME_DIR}/policies`;

/**
 * What the image build may see, as a .dockerignore allow-list: the gateway's own manifest and
 * lock file (its runtime dependencies only), sources and policies. Its tests, benchmarks and
 * conformance runs, and any node_modules, stay out of the build context and of the asset hash.
 */
const BUILD_CONTEXT = ['*', '!package.json', '!package-lock.json', '!src', '!policies', '**/node_modules'];

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

/** The gateway image, built at deployment from the gateway runtime with its Dockerfile. */
export function gatewayImage(): ecs.ContainerImage {
  return ecs.ContainerImage.fromAsset(path.join(packageRoot(), GATEWAY_RUNTIME_DIR), {
    file: 'Dockerfile',
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
