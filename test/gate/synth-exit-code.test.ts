import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const REPO = path.join(__dirname, '..', '..');
const FIXTURE = path.relative(REPO, path.join(__dirname, 'fixtures', 'gated-app.ts'));

/**
 * `cdk synth` of the fixture app with the repository's cdk.json context (validation report
 * and fail-on-validation-errors on). CDK's built-in CloudFormation schema validation, which is
 * independent of the gate and costs several seconds per run, is switched off to keep this fast.
 */
function synth(variant: 'clean' | 'insecure') {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `gate-${variant}-`));
  const result = spawnSync(
    'npx',
    ['cdk', 'synth', '--app', `npx tsx ${FIXTURE}`, '--output', outdir, '--context', `variant=${variant}`, '--quiet', '--no-notices', '--no-version-reporting'],
    { cwd: REPO, encoding: 'utf8', env: { ...process.env, CDK_VALIDATION: 'false' }, timeout: 120_000 },
  );
  return { status: result.status, output: `${result.stdout}${result.stderr}`, outdir };
}

describe('cdk synth with the security gate', () => {
  test('exits non-zero on an unacknowledged warning-level finding and names it', () => {
    const { status, output, outdir } = synth('insecure');
    expect(status).not.toBe(0);
    expect(output).toMatch(/GateFixture\/Debug[^\n]*\n[^\n]*Acknowledge with 'Mcp::Mcp-EcsExecDisabled'/);
    expect(output).not.toMatch(/GateFixture\/Acknowledged/);
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'policy-validation-report.json'), 'utf8'));
    expect(JSON.stringify(report)).toContain('Mcp-EcsExecDisabled');
  });

  test('exits 0 once every finding is acknowledged, and writes the validation report', () => {
    const { status, output, outdir } = synth('clean');
    expect({ status, output }).toEqual({ status: 0, output: expect.any(String) });
    expect(fs.existsSync(path.join(outdir, 'policy-validation-report.json'))).toBe(true);
    expect(fs.existsSync(path.join(outdir, 'GateFixture.template.json'))).toBe(true);
  });
});
