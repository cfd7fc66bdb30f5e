import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { parseEnforcementConfig } from '../../../src/enforcement/config';
import { approvalBlock, main, toolsOf } from '../../../src/enforcement/pinning/pins-cli';
import { toolDefinitionHash } from '../../../src/enforcement/pinning/tool-hash';

const tools = [
  { name: 'search', description: 'Search.', inputSchema: { type: 'object' } },
  { name: 'fetch', description: 'Fetch a URL.', inputSchema: { type: 'object' } },
];

describe('pins-cli', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pins-'));
  afterAll(() => fs.rmSync(dir, { recursive: true }));

  test('reads a tools/list result, a JSON-RPC response or an array', () => {
    expect(toolsOf({ tools })).toBe(tools);
    expect(toolsOf({ jsonrpc: '2.0', id: 1, result: { tools } })).toBe(tools);
    expect(toolsOf(tools)).toBe(tools);
    expect(() => toolsOf({ nope: true })).toThrow(/expected \{"tools"/);
  });

  test('prints a YAML config block that the config schema accepts and that approves exactly these tools', () => {
    const file = path.join(dir, 'docs.json');
    fs.writeFileSync(file, JSON.stringify({ tools }));
    const out: string[] = [];
    expect(main([`docs=${file}`], (t) => out.push(t))).toBe(0);
    const parsed = parse(out.join('\n')) as { enforcement: unknown };
    const config = parseEnforcementConfig(parsed.enforcement);
    expect(config.pinning.approved).toEqual({ docs: { search: toolDefinitionHash(tools[0]), fetch: toolDefinitionHash(tools[1]) } });
  });

  test('--json prints JSON; stdin is read for "-"; odd names are warned about', () => {
    const out: string[] = [];
    expect(main(['web=-', '--json'], (t) => out.push(t), () => JSON.stringify([{ name: 'sеarch' }]))).toBe(0);
    expect(JSON.parse(out[0])).toEqual(approvalBlock({ web: [{ name: 'sеarch' }] }));
    const yamlOut: string[] = [];
    main(['web=-'], (t) => yamlOut.push(t), () => JSON.stringify([{ name: 'sеarch' }]));
    expect(yamlOut[0]).toMatch(/^# warning: web\/"sеarch": not a recommended tool name/);
  });

  test('exit 2 with usage or an error message', () => {
    const out: string[] = [];
    expect(main([], (t) => out.push(t))).toBe(2);
    expect(out[0]).toMatch(/^usage: pins-cli/);
    expect(main([`docs=${path.join(dir, 'missing.json')}`], (t) => out.push(t))).toBe(2);
    expect(out[1]).toMatch(/^error: ENOENT/);
  });
});
