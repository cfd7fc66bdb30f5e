import * as fs from 'fs';
import * as path from 'path';
import * as kit from '../../lib';
import { SECURITY_PRINCIPLES, SecurityPrinciple } from '../../lib/core/security-principles';
import { MCP_RULES } from '../../lib/gate';
import { principleAnchor } from '../../scripts/evidence/controls-matrix-doc';
import { githubAnchor } from '../../scripts/evidence/markdown';

const DOCS = path.join(__dirname, '..', '..', 'docs');
const doc = fs.readFileSync(path.join(DOCS, 'threat-model.md'), 'utf8');

/** The `### ` sections of the document, by heading. */
const sections = new Map(doc.split(/^### /m).slice(1).map((part) => {
  const [heading, ...body] = part.split('\n');
  return [heading.trim(), body.join('\n').split(/^## /m)[0]];
}));
const links = [...doc.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((link) => !/^https?:/.test(link));

const SPEC_THREATS = [
  'Confused deputy', 'Token passthrough', 'Session hijacking', 'Server-side request forgery (SSRF)', 'Local server compromise',
  'Scope minimization and scope creep', 'Tool poisoning and rug pulls', 'Prompt injection through tool output',
];
const ANTI_PATTERNS = ['Security as an afterthought', 'Over-reliance on perimeter security', 'Ignoring AI-specific threats', 'Static security policies'];

describe('docs/threat-model.md', () => {
  test('covers the OWASP MCP Top 10, the specification\'s threats and the seed\'s anti-patterns', () => {
    const headings = [...sections.keys()];
    for (let i = 1; i <= 10; i++) {
      expect(headings.some((h) => h.startsWith(`MCP${String(i).padStart(2, '0')} `))).toBe(true);
    }
    expect(headings).toEqual(expect.arrayContaining([...SPEC_THREATS, ...ANTI_PATTERNS]));
    expect(doc).toContain('## AI-specific threats of the seed article');
  });

  test('says for each threat where it enters, what mitigates it, how it is tested and what is left', () => {
    const entries = [...sections].filter(([heading, body]) => /^MCP\d\d /.test(heading) || (SPEC_THREATS.includes(heading) && !body.trim().startsWith('See ')));
    expect(entries).toHaveLength(16);
    for (const [heading, body] of entries) {
      for (const field of ['**Enters:**', '**Mitigated by:**', '**Tested by:**', '**Residual risk:**']) {
        expect({ heading, field, present: body.includes(field) }).toEqual({ heading, field, present: true });
      }
      expect({ heading, matrix: /\]\(controls-matrix\.md#/.test(body), test: /\]\(\.\.\/(test|runtime)\/[^)]+\.test\.ts\)/.test(body) })
        .toEqual({ heading, matrix: true, test: true });
    }
  });

  test('links only files that exist', () => {
    const missing = links.map((link) => link.split('#')[0]).filter((file) => file && !fs.existsSync(path.join(DOCS, file)));
    expect(missing).toEqual([]);
    expect(links.filter((link) => /\.test\.ts$/.test(link)).length).toBeGreaterThan(20);
  });

  test('links controls matrix rows that exist, and its own sections', () => {
    const rows = new Set((Object.keys(SECURITY_PRINCIPLES) as SecurityPrinciple[]).map(principleAnchor));
    const ownAnchors = new Set(doc.split('\n').filter((l) => /^#{2,3} /.test(l)).map((l) => githubAnchor(l.replace(/^#+ /, ''))));
    const broken = links.filter((link) =>
      (link.startsWith('controls-matrix.md#') && !rows.has(link.split('#')[1])) || (link.startsWith('#') && !ownAnchors.has(link.slice(1))));
    expect(broken).toEqual([]);
  });

  test('names only building blocks and MCP rules that exist', () => {
    const names = [...doc.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    const classes = names.filter((name) => /^[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+$/.test(name));
    const rules = names.filter((name) => /^Mcp-[A-Za-z0-9]+$/.test(name));
    expect(classes.length).toBeGreaterThan(10);
    expect(classes.filter((name) => typeof (kit as Record<string, unknown>)[name] !== 'function')).toEqual([]);
    expect(rules.filter((rule) => !MCP_RULES.some((r) => `Mcp-${r.id}` === rule))).toEqual([]);
  });
});
