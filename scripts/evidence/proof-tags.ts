/**
 * Finds the tests that prove a principle. The convention: a comment line directly above a
 * `test(`, `it(` or `describe(` call names the principles it proves,
 *
 *   // proves: zero-trust/micro-segmentation, isolation/network
 *   test('admits only the named peer, only on the service port', () => {
 *
 * A tag above a `describe` covers the whole block. Tags are comments only, so adding one never
 * changes what a test does.
 */
import * as fs from 'fs';
import * as path from 'path';
import { SECURITY_PRINCIPLES, SecurityPrinciple } from '../../lib/core/security-principles';

/** One tagged test or test block. */
export interface ProofTest {
  /** Path from the repository root, with `/` separators. */
  readonly file: string;
  /** 1-based line of the `test(`/`describe(` call. */
  readonly line: number;
  /** `test` for a single test (also `it`), `describe` for a block. */
  readonly kind: 'test' | 'describe';
  /** The test or block title. */
  readonly title: string;
  readonly principles: readonly SecurityPrinciple[];
}

const TAG = /^\s*\/\/\s*proves:\s*(.*)$/;
const CALL = /^\s*(test|it|describe)(?:\.(?:each\(.*?\)|only|concurrent))?\(\s*(['"`])/;

/**
 * The proof tags of one test file's source. Throws naming the file and line when a tag names
 * an unknown principle or is not followed by a test call, so a typo cannot hide a proof.
 */
export function parseProofTags(file: string, source: string): ProofTest[] {
  const lines = source.split(/\r?\n/);
  const proofs: ProofTest[] = [];
  for (let i = 0; i < lines.length; i++) {
    const tag = TAG.exec(lines[i]);
    if (!tag) continue;
    const principles = tag[1].split(/[\s,]+/).filter((word) => word.length > 0);
    const unknown = principles.filter((p) => !(p in SECURITY_PRINCIPLES));
    if (principles.length === 0 || unknown.length > 0) {
      throw new Error(`${file}:${i + 1}: 'proves:' must name known principles (${Object.keys(SECURITY_PRINCIPLES).join(', ')}); got '${tag[1].trim()}'`);
    }
    // Several comment lines may stand between the tag and the call; nothing else may.
    let j = i + 1;
    while (j < lines.length && /^\s*\/\//.test(lines[j])) j++;
    const call = CALL.exec(lines[j] ?? '');
    if (!call) {
      throw new Error(`${file}:${i + 1}: a 'proves:' tag must stand directly above a test(, it( or describe( call`);
    }
    proofs.push({
      file,
      line: j + 1,
      kind: call[1] === 'describe' ? 'describe' : 'test',
      title: stringLiteral(lines[j].slice(call[0].length), call[2]),
      principles: principles as SecurityPrinciple[],
    });
  }
  return proofs;
}

/** The text of a string literal opened by `quote`, up to its unescaped closing quote. */
function stringLiteral(rest: string, quote: string): string {
  let text = '';
  for (let k = 0; k < rest.length; k++) {
    if (rest[k] === '\\' && k + 1 < rest.length) {
      text += rest[++k];
    } else if (rest[k] === quote) {
      return text;
    } else {
      text += rest[k];
    }
  }
  return text;
}

/** The test files the tags are read from: `test/` and the runtime packages' tests. */
export function testFiles(repoRoot: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.test.ts')) files.push(path.relative(repoRoot, full).split(path.sep).join('/'));
    }
  };
  walk(path.join(repoRoot, 'test'));
  const runtime = path.join(repoRoot, 'runtime');
  if (fs.existsSync(runtime)) walk(runtime);
  return files;
}

/** Every proof tag of the repository's tests, by file then line. */
export function proofTests(repoRoot: string): ProofTest[] {
  return testFiles(repoRoot).flatMap((file) => parseProofTags(file, fs.readFileSync(path.join(repoRoot, file), 'utf8')));
}
