import { createHash } from 'crypto';
import * as fc from 'fast-check';
import { canonicalJson } from '../../../src/enforcement/pinning/canonical-json';
import { toolDefinitionHash } from '../../../src/enforcement/pinning/tool-hash';

/** The same JSON value with every object's keys in a random order. */
function shuffled(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffled(v, random));
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value).sort(() => random() - 0.5);
    const out: Record<string, unknown> = {};
    for (const k of keys) {
      const inner = shuffled((value as Record<string, unknown>)[k], random);
      Object.defineProperty(out, k, { value: inner, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

describe('canonicalJson', () => {
  test('sorts keys by code unit at every level and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: [{ z: true, y: null }, undefined], c: undefined, é: 'x', B: 2.50 }))
      .toBe('{"B":2.5,"a":[{"y":null,"z":true},null],"b":1,"é":"x"}');
  });

  test('does not normalise Unicode: NFC and NFD spellings differ', () => {
    expect(canonicalJson('caf\u00e9')).not.toBe(canonicalJson('cafe\u0301'));
  });

  test('writes non-finite numbers as null and bigints as digits, and rejects cycles', () => {
    expect(canonicalJson([NaN, Infinity, -0, 10n])).toBe('[null,null,0,10]');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cyclic/);
  });

  test('is independent of key order (property)', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.integer(), (value, seed) => {
      let state = seed;
      const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      expect(canonicalJson(shuffled(value, random))).toBe(canonicalJson(value));
    }), { numRuns: 300 });
  });

  test('round-trips: parsing the canonical form gives an equal value (property)', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      expect(canonicalJson(JSON.parse(canonicalJson(value)))).toBe(canonicalJson(value));
    }), { numRuns: 300 });
  });
});

describe('toolDefinitionHash', () => {
  const tool = {
    name: 'search',
    description: 'Full-text search over the docs.',
    inputSchema: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] },
    annotations: { readOnlyHint: true },
  };

  test('is sha256 over the canonical JSON of the pinned fields', () => {
    const canonical = '{"annotations":{"readOnlyHint":true},"description":"Full-text search over the docs.","inputSchema":{"properties":{"q":{"type":"string"}},"required":["q"],"type":"object"},"name":"search"}';
    expect(toolDefinitionHash(tool)).toBe(`sha256:${createHash('sha256').update(canonical).digest('hex')}`);
  });

  test('ignores _meta and icons, and key order', () => {
    const reordered = { annotations: { readOnlyHint: true }, inputSchema: { required: ['q'], properties: { q: { type: 'string' } }, type: 'object' }, description: tool.description, name: 'search' };
    expect(toolDefinitionHash({ ...reordered, _meta: { trace: 1 }, icons: [] } as typeof tool)).toBe(toolDefinitionHash(tool));
  });

  test.each([
    ['name', { name: 'search2' }],
    ['title', { title: 'Search' }],
    ['description', { description: 'Full-text search over the docs!' }],
    ['inputSchema', { inputSchema: { type: 'object' } }],
    ['outputSchema', { outputSchema: { type: 'object' } }],
    ['annotations', { annotations: { readOnlyHint: false } }],
  ])('changes when %s changes', (_field, change) => {
    expect(toolDefinitionHash({ ...tool, ...change })).not.toBe(toolDefinitionHash(tool));
  });
});
