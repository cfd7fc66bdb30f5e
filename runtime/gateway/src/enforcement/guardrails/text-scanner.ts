import type { Finding, GuardrailAction } from '../types';
import type { DetectorId } from './detector-ids';
import { INJECTION_DETECTOR_LIST, PLAIN_INJECTION_DETECTORS, decodeTagCharacters } from './injection-detectors';
import { SECRET_DETECTOR_LIST } from './secret-detectors';
import type { Span, TextDetector } from './text-detectors';

/** What to do per detector on one surface (tool descriptions or results). */
export type DetectorActions = Readonly<Record<DetectorId, GuardrailAction>>;

/** Defaults for results: injections that steer the model block, hiding techniques and secrets are redacted. */
export const DEFAULT_RESULT_ACTIONS: DetectorActions = {
  'instruction-override': 'block',
  'hidden-instruction-tag': 'block',
  'secrecy-directive': 'block',
  'encoded-instructions': 'block',
  'invisible-characters': 'redact',
  'exfiltration-url': 'redact',
  'sensitive-path': 'flag',
  'aws-access-key': 'redact',
  'aws-secret-key': 'redact',
  'private-key': 'redact',
  'jwt': 'redact',
  'bearer-token': 'redact',
  'github-token': 'redact',
  'slack-token': 'redact',
  'generic-secret': 'redact',
};

/** Defaults for tool descriptions: a description has no business hiding text or pointing at collectors. */
export const DEFAULT_DESCRIPTION_ACTIONS: DetectorActions = {
  ...DEFAULT_RESULT_ACTIONS,
  'invisible-characters': 'block',
  'exfiltration-url': 'block',
};

/** The outcome of scanning one string. */
export interface StringScan {
  readonly text: string;
  readonly findings: Finding[];
  readonly blocked: boolean;
}

const ALL_DETECTORS: readonly TextDetector[] = [...INJECTION_DETECTOR_LIST, ...SECRET_DETECTOR_LIST];

/** Scans strings with every detector and applies the configured action per detector. */
export class TextScanner {
  constructor(private readonly actions: DetectorActions) {}

  /** Scan `text` found at `location`; the returned text is redacted when an action asks for it. */
  scan(text: string, location: string): StringScan {
    const findings: Finding[] = [];
    const redactions: Array<Span & { id: DetectorId }> = [];
    let blocked = false;
    const report = (detector: TextDetector, spans: Span[], context = '') => {
      const action = this.actions[detector.id];
      const notes = [...new Set(spans.map((s) => s.note).filter(Boolean))];
      findings.push({
        detector: detector.id,
        category: detector.category,
        severity: detector.severity,
        action,
        location,
        message: `${detector.id}: ${spans.length} match(es)${context}${notes.length ? ` (${notes.join('; ')})` : ''}`,
      });
      if (action === 'block') blocked = true;
      if (action !== 'flag') redactions.push(...spans.map((s) => ({ ...s, id: detector.id })));
    };
    for (const detector of ALL_DETECTORS) {
      const spans = detector.find(text);
      if (spans.length === 0) continue;
      report(detector, spans);
      if (detector.id === 'invisible-characters') {
        // Text smuggled in tag characters is read by models: look for injections inside it too.
        for (const span of spans) {
          const hidden = decodeTagCharacters(text.slice(span.start, span.end));
          for (const inner of PLAIN_INJECTION_DETECTORS) {
            if (hidden && inner.find(hidden).length > 0) report(inner, [span], ' inside hidden tag characters');
          }
        }
      }
    }
    return { text: redactions.length > 0 ? redact(text, redactions) : text, findings, blocked };
  }
}

/** Replace spans (merged when they overlap) with `[REDACTED:<detector>]`; invisible characters are removed. */
export function redact(text: string, spans: ReadonlyArray<Span & { id: DetectorId }>): string {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Array<Span & { id: DetectorId }> = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && span.start < last.end) {
      // A merged span that covers more than invisible characters gets a visible marker.
      const id = last.id === 'invisible-characters' ? span.id : last.id;
      merged[merged.length - 1] = { ...last, id, end: Math.max(last.end, span.end) };
    } else {
      merged.push(span);
    }
  }
  let out = '';
  let cursor = 0;
  for (const span of merged) {
    out += text.slice(cursor, span.start) + (span.id === 'invisible-characters' ? '' : `[REDACTED:${span.id}]`);
    cursor = span.end;
  }
  return out + text.slice(cursor);
}
