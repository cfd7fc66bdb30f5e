import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ts from 'typescript';

/*
 * Library use: an application outside this repository installs the kit and builds a pattern
 * from the package entry point (`main`/`types` of package.json), never from source paths.
 *
 * The package is assembled as `npm install` would lay it out, without a registry:
 * - `dist/` is compiled by tsc with the repository's tsconfig.json from `lib/index.ts` (the
 *   entry) and everything it imports; the rest of that program (the runtime sources, bin/),
 *   which the entry never reaches, is left out to save compile time;
 * - every other file is one that `npm pack` would publish (its dry-run file list), copied;
 * - its dependencies are the repository's node_modules (a symlink), as npm would hoist them.
 * The consumer's `node_modules/mcp-security-kit` is a symlink to that package. The consumer is
 * type-checked by tsc against the emitted `.d.ts` (a second file that misuses a prop must fail,
 * so the types are real), then run with plain node: no ts-jest, no path mapping.
 *
 * Run time: 25 to 35 s on this project's two shared cores (tsc of the package about 10 s, then
 * the consumer's type check and its synth side by side, about 10 s each); longer when other
 * suites run beside it.
 */

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');
const PACKAGE = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; main: string; types: string };
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

const CONSUMER_APP = `
import { App, Duration } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AccountBaselineStack, McpServerSpec, SecurityGate, ServiceMeshStack, ServiceMeshStackProps } from '${PACKAGE.name}';

const env = { account: '111111111111', region: 'us-east-1' };
const app = new App({ outdir: process.argv[2] });
SecurityGate.apply(app);
const baseline = new AccountBaselineStack(app, 'Baseline', { env });
const notes: McpServerSpec = {
  name: 'notes',
  image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/notes:1.0.0'),
  port: 8080,
  path: '/mcp',
  toolGroups: [{ name: 'notes-read', description: 'Read notes' }],
  tools: [{ name: 'search_notes', group: 'notes-read', destructive: false }],
  awsAccess: [], environment: {}, secrets: {}, cpu: 256, memoryMiB: 512, desiredCount: 2, maxCount: 4,
};
const props: ServiceMeshStackProps = {
  env,
  projectName: 'consumer',
  baseline,
  network: { cidr: '10.40.0.0/16', availabilityZones: ['us-east-1a', 'us-east-1b'] },
  endpoint: { domainName: 'mcp.example.com', internetFacing: true },
  identity: {
    kind: 'cognito',
    domainPrefix: 'consumer-login',
    clients: [{ name: 'inspector', callbackUrls: ['http://localhost:6274/oauth/callback'] }],
    accessTokenValidity: Duration.minutes(15),
    refreshTokenValidity: Duration.hours(8),
  },
  servers: [notes],
  gateway: { upstreamTokenLifetime: Duration.minutes(5), riskStepUpScore: 50, riskEndSessionScore: 80, desiredCount: 2 },
  logRetention: logs.RetentionDays.ONE_YEAR,
};
new ServiceMeshStack(app, 'Mesh', props);
app.synth();
console.log(JSON.stringify({ entry: require.resolve('${PACKAGE.name}') }));
`;

/** Must not type-check: the endpoint lacks `internetFacing`, which McpEndpointSpec requires. */
const CONSUMER_MISUSE = `
import { McpEndpointSpec } from '${PACKAGE.name}';
export const endpoint: McpEndpointSpec = { domainName: 'mcp.example.com' };
`;

const CONSUMER_TSCONFIG = {
  compilerOptions: {
    strict: true,
    module: 'commonjs',
    target: 'ES2022',
    lib: ['es2022'],
    types: ['node'],
    // aws-cdk-lib's own declarations are not the subject; the kit's are checked through their use.
    skipLibCheck: true,
    noEmit: true,
  },
  files: ['app.ts', 'misuse.ts'],
};

/** The files `npm pack` would publish (besides the compiled dist/, absent from the repository). */
async function publishedFiles(): Promise<string[]> {
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  return (JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>)[0].files.map((f) => f.path);
}

describe(`the package entry (${PACKAGE.main}) used by a consumer app`, () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-kit-consumer-'));
  const pkg = path.join(work, 'package');
  const consumer = path.join(work, 'consumer');
  const outdir = path.join(consumer, 'cdk.out');
  let typeCheck: string;
  let entry: string;
  /** The Docker image asset of the synthesized pattern: the gateway's, its only one. */
  const gatewayImageSource = () => {
    const assets = JSON.parse(fs.readFileSync(path.join(outdir, 'Mesh.assets.json'), 'utf8')) as { dockerImages: Record<string, { source: { directory: string; dockerFile: string } }> };
    const images = Object.values(assets.dockerImages);
    expect(images).toHaveLength(1);
    return images[0].source;
  };
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  beforeAll(async () => {
    // The package: compiled entry and everything npm would publish, its dependencies installed.
    fs.writeFileSync(path.join(work, 'tsconfig.package.json'), JSON.stringify({
      extends: path.join(ROOT, 'tsconfig.json'),
      compilerOptions: { rootDir: ROOT, outDir: path.join(pkg, 'dist'), inlineSourceMap: false, inlineSources: false },
      files: [path.join(ROOT, 'lib', 'index.ts')],
      include: [],
    }));
    const [files] = await Promise.all([publishedFiles(), run(process.execPath, [TSC, '-p', path.join(work, 'tsconfig.package.json')], { cwd: ROOT })]);
    for (const file of files.filter((f) => !f.startsWith('dist/'))) {
      fs.mkdirSync(path.dirname(path.join(pkg, file)), { recursive: true });
      fs.copyFileSync(path.join(ROOT, file), path.join(pkg, file));
    }
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(pkg, 'node_modules'), 'dir');

    // The consumer: its own dependencies and the kit, installed as a symlink to the package.
    const modules = path.join(consumer, 'node_modules');
    fs.mkdirSync(path.join(modules, '@types'), { recursive: true });
    fs.symlinkSync(pkg, path.join(modules, PACKAGE.name), 'dir');
    for (const name of ['aws-cdk-lib', 'constructs', '@types/node']) {
      fs.symlinkSync(path.join(ROOT, 'node_modules', name), path.join(modules, name), 'dir');
    }
    fs.writeFileSync(path.join(consumer, 'app.ts'), CONSUMER_APP);
    fs.writeFileSync(path.join(consumer, 'misuse.ts'), CONSUMER_MISUSE);
    fs.writeFileSync(path.join(consumer, 'tsconfig.json'), JSON.stringify(CONSUMER_TSCONFIG));

    // The type check (which reports misuse.ts) and the synth of the app run side by side; the
    // app runs from a transpile-only build of the same source, as tsc's own output would be.
    const transpiled = ts.transpileModule(CONSUMER_APP, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
    fs.writeFileSync(path.join(consumer, 'app.js'), transpiled.outputText);
    const [checked, synthesized] = await Promise.all([
      run(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: consumer }).then(({ stdout }) => stdout, (error: { stdout: string }) => error.stdout),
      run(process.execPath, ['app.js', outdir], { cwd: consumer }),
    ]);
    typeCheck = checked;
    entry = (JSON.parse(synthesized.stdout.trim().split('\n').pop()!) as { entry: string }).entry;
  }, 180_000);

  test('resolves the kit to the installed package\'s main, compiled JavaScript', () => {
    expect(fs.realpathSync(entry)).toEqual(fs.realpathSync(path.join(pkg, PACKAGE.main)));
    expect(fs.existsSync(path.join(pkg, PACKAGE.types))).toBe(true);
  });

  test('type-checks the consumer against the emitted declarations, which reject a misused prop', () => {
    const errors = typeCheck.split('\n').filter((line) => /error TS\d+/.test(line));
    expect(errors).toEqual([expect.stringMatching(/^misuse\.ts\(3,14\): error TS2741: Property 'internetFacing' is missing/)]);
  });

  test('synthesizes the pattern with its defining controls, through the gate', () => {
    const template = Template.fromJSON(JSON.parse(fs.readFileSync(path.join(outdir, 'Mesh.template.json'), 'utf8')));
    template.hasResourceProperties('AWS::ACMPCA::CertificateAuthority', { UsageMode: 'SHORT_LIVED_CERTIFICATE' });
    template.hasResourceProperties('AWS::ECS::Service', {
      ServiceConnectConfiguration: Match.objectLike({ Services: [Match.objectLike({ DiscoveryName: 'notes', Tls: Match.anyValue() })] }),
    });
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as { pluginReports: Array<{ pluginName: string; conclusion: string }> };
    expect(report.pluginReports.map((r) => [r.pluginName, r.conclusion])).toEqual(report.pluginReports.map((r) => [r.pluginName, 'success']));
    expect(report.pluginReports.length).toBeGreaterThanOrEqual(5);
  });

  test('builds the gateway image from the installed package\'s gateway runtime and Dockerfile', () => {
    const image = gatewayImageSource();
    expect(image.dockerFile).toBe('Dockerfile');
    expect(fs.existsSync(path.join(outdir, image.directory, image.dockerFile))).toBe(true);
  });

  // The image must build from an installed package as from a clone: npm never packs the root
  // lock file, so the gateway runtime carries its own manifest and lock file.
  test('gives the gateway image build every file its Dockerfile copies', () => {
    const image = gatewayImageSource();
    const context = path.join(outdir, image.directory);
    const copied = fs.readFileSync(path.join(context, image.dockerFile), 'utf8').split('\n')
      .filter((line) => /^COPY\s/.test(line) && !line.includes('--from='))
      .flatMap((line) => line.trim().split(/\s+/).slice(1, -1));
    expect(copied).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'src', 'policies']));
    expect(copied.filter((source) => !fs.existsSync(path.join(context, source)))).toEqual([]);
  });
});
