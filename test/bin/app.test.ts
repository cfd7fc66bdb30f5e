import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createKitApp } from '../../bin/app';
import { DEFAULT_CONFIG } from '../../bin/config/default-config';
import { validateConfig } from '../../bin/config/load';
import { cfnGuardCloudAssembly, formatGuardFailures, templatesIn } from '../support/cfn-guard';

const ROOT = path.join(__dirname, '..', '..');

function templatesOf(outdir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json'))
    .map((f) => [f, fs.readFileSync(path.join(outdir, f), 'utf8')]));
}

describe('the CDK app', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-kit-app-'));
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  const synth = (outdir: string) => createKitApp({ config: validateConfig(DEFAULT_CONFIG), configDirectory: ROOT, outdir }).synth();
  const defaultOut = path.join(work, 'a');
  let stackNames: string[];
  beforeAll(() => {
    stackNames = synth(defaultOut).stacks.map((s) => s.stackName).sort();
  });

  // proves: secure-by-default/fail-secure
  test('synthesizes every pattern from the embedded default, through the gate, deterministically', () => {
    expect(stackNames).toEqual([
      'mcp-kit-baseline-us-east-1',
      'mcp-kit-fed-federated-gateway',
      'mcp-kit-fed-federated-spoke-default',
      'mcp-kit-layered-defense',
      'mcp-kit-service-mesh',
      'mcp-kit-zero-trust-network',
    ]);
    synth(path.join(work, 'b'));
    const a = templatesOf(defaultOut);
    expect(Object.keys(a)).toHaveLength(6);
    expect(templatesOf(path.join(work, 'b'))).toEqual(a);
  });

  // proves: secure-by-default/fail-secure
  test('passes every enabled AWS Control Tower proactive control over all its templates', () => {
    expect(templatesIn(defaultOut)).toHaveLength(6);
    expect(formatGuardFailures(cfnGuardCloudAssembly(defaultOut))).toEqual('');
  });

  test('fails with one line per problem, before writing any template, on a bad config file', () => {
    const config = path.join(work, 'bad.yaml');
    fs.writeFileSync(config, [
      'version: 1',
      'endpoint: { domainName: mcp.example.org }',
      "identity: { type: oidc, issuer: 'http://idp.example.org' }",
      'logging: { retentionDays: 30 }',
      'mcpServers: [{ name: s, image: "public.ecr.aws/acme/s:latest", toolGroups: [{ name: read, description: Read }] }]',
      'patterns: { serviceMesh: { env: { region: eu-west-1 } } }',
    ].join('\n'));
    const outdir = path.join(work, 'bad-out');
    const run = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'bin', 'mcp-kit.ts')], {
      env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify({ config }) },
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`Invalid MCP kit configuration in ${config}:`);
    expect(run.stderr).toContain('identity.issuer: got "http://idp.example.org"; expected an https:// URL');
    expect(run.stderr).toContain('logging.retentionDays: got 30;');
    expect(run.stderr).toMatch(/mcpServers\[0\]\.image: got "public.ecr.aws\/acme\/s:latest"; expected .*':latest' is refused/);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(fs.existsSync(outdir) ? fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json')) : []).toEqual([]);
  });
});

