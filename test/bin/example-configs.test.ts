import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createKitApp } from '../../bin/app';
import { loadConfigFile } from '../../bin/config/load';

const EXAMPLES = path.join(__dirname, '..', '..', 'docs', 'config', 'examples');

interface ValidationReport {
  readonly pluginReports: ReadonlyArray<{ readonly pluginName: string; readonly conclusion: string }>;
}

/*
 * Every example configuration in docs/config/examples synthesizes as `npx cdk synth -c
 * config=<file>` would: through the gate, each pack reporting success, templates written.
 */
describe('the example configurations', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-kit-examples-'));
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  test.each(fs.readdirSync(EXAMPLES).filter((file) => file.endsWith('.yaml')))('%s synthesizes through the gate', (file) => {
    // GIVEN
    const configFile = path.join(EXAMPLES, file);
    const outdir = path.join(work, file);
    // WHEN
    const assembly = createKitApp({ config: loadConfigFile(configFile), configDirectory: EXAMPLES, outdir }).synth();
    // THEN a baseline and at least one pattern stack, and every gate pack concluded success
    expect(assembly.stacks.length).toBeGreaterThanOrEqual(2);
    expect(assembly.stacks.map((stack) => stack.stackName)).toEqual(expect.arrayContaining([expect.stringMatching(/-baseline-/)]));
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as ValidationReport;
    expect(report.pluginReports.length).toBeGreaterThanOrEqual(5);
    expect(report.pluginReports.map((r) => [r.pluginName, r.conclusion])).toEqual(report.pluginReports.map((r) => [r.pluginName, 'success']));
  });
});
