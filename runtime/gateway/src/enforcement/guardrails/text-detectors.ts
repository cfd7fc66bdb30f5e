import type { Severity } from '../types';
import type { DetectorId } from './detector-ids';

/** A span of text a detector matched; `[start, end)` in UTF-16 code units. */
export interface Span {
  readonly start: number;
  readonly end: number;
  /** Extra context for the finding message (never secret material). */
  readonly note?: string;
}

/** A pattern detector over one string. */
export interface TextDetector {
  readonly id: DetectorId;
  readonly category: 'injection' | 'secret';
  readonly severity: Severity;
  /** Spans to redact when the action is `redact`; an empty array means no match. */
  find(text: string): Span[];
}

/**
 * Spans of every match of `pattern` (global), or of its capture `group` when given, appended to
 * `spans` (a new array when absent).
 */
export function matchSpans(pattern: RegExp, text: string, group = 0, accept?: (m: RegExpExecArray) => boolean, spans: Span[] = []): Span[] {
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    if (m[0].length === 0) {
      pattern.lastIndex++;
      continue;
    }
    if (accept && !accept(m)) continue;
    const indices = m.indices?.[group];
    if (indices) spans.push({ start: indices[0], end: indices[1] });
  }
  return spans;
}

/** One pattern of a regex detector and the capture group it reports. */
interface DetectorPattern {
  readonly pattern: RegExp;
  readonly group: number;
  readonly accept?: (m: RegExpExecArray) => boolean;
}

/** A detector made of regular expressions (all global, with `d` for capture indices). */
export function regexDetector(
  id: DetectorId,
  category: 'injection' | 'secret',
  severity: Severity,
  patterns: ReadonlyArray<RegExp | DetectorPattern>,
): TextDetector {
  // Normalised once; every string scanned runs every detector, so `find` allocates one array.
  const compiled: readonly DetectorPattern[] = patterns.map((p) => (p instanceof RegExp ? { pattern: p, group: 0 } : p));
  return {
    id,
    category,
    severity,
    find: (text) => {
      const spans: Span[] = [];
      for (const p of compiled) matchSpans(p.pattern, text, p.group, p.accept, spans);
      return spans;
    },
  };
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const length = [...value].length;
  let bits = 0;
  for (const n of counts.values()) bits -= (n / length) * Math.log2(n / length);
  return bits;
}
