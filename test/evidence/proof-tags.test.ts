import * as path from 'path';
import { SECURITY_PRINCIPLES } from '../../lib/core/security-principles';
import { parseProofTags, proofTests, testFiles } from '../../scripts/evidence/proof-tags';

const REPO_ROOT = path.join(__dirname, '..', '..');

// Sources are joined from single lines so that this file itself carries no tag.
const source = (...lines: string[]): string => lines.join('\n');

describe('parseProofTags', () => {
  test('reads the principles and the title of the test below a tag, and of a tagged block', () => {
    expect(parseProofTags('test/x.test.ts', source(
      "describe('X', () => {",
      '  // proves: isolation/process, isolation/network',
      "  test('runs read-only', () => {});",
      '  // proves: observability',
      '  // a comment between the tag and the block is allowed',
      '  describe("logs", () => {});',
      '});',
    ))).toEqual([
      { file: 'test/x.test.ts', line: 3, kind: 'test', title: 'runs read-only', principles: ['isolation/process', 'isolation/network'] },
      { file: 'test/x.test.ts', line: 6, kind: 'describe', title: 'logs', principles: ['observability'] },
    ]);
  });

  test('unescapes quotes in titles and accepts it( and test.each(', () => {
    const proofs = parseProofTags('t.test.ts', source(
      '// proves: zero-trust/least-privilege',
      "it('the signer\\'s request', () => {});",
      '// proves: isolation/data',
      "test.each([1, 2])('case %d', () => {});",
    ));
    expect(proofs.map((p) => p.title)).toEqual(["the signer's request", 'case %d']);
  });

  test('fails on an unknown principle, naming the file and line', () => {
    expect(() => parseProofTags('t.test.ts', source('', '// proves: zero-trust/everything', "test('x', () => {});")))
      .toThrow("t.test.ts:2: 'proves:' must name known principles");
  });

  test('fails on a tag that stands above no test', () => {
    expect(() => parseProofTags('t.test.ts', source('// proves: observability', 'const x = 1;')))
      .toThrow("t.test.ts:1: a 'proves:' tag must stand directly above a test(, it( or describe( call");
  });
});

describe('the repository\'s proof tags', () => {
  const proofs = proofTests(REPO_ROOT);

  test('are read from the construct tests and the runtime tests', () => {
    const files = testFiles(REPO_ROOT);
    expect(files).toContain('test/evidence/proof-tags.test.ts');
    expect(files).toContain('runtime/gateway/test/attacks.test.ts');
    expect(proofs.some((p) => p.file.startsWith('runtime/'))).toBe(true);
  });

  test('cover every principle', () => {
    const covered = new Set(proofs.flatMap((p) => p.principles));
    expect(Object.keys(SECURITY_PRINCIPLES).filter((p) => !covered.has(p as keyof typeof SECURITY_PRINCIPLES))).toEqual([]);
  });
});
