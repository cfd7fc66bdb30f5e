import type { Finding, GuardrailAction, InspectionResult } from '../types';
import { TextScanner } from './text-scanner';

/** Limits that keep scanning bounded whatever an upstream returns. */
export interface InspectionLimits {
  /** Characters scanned per value; the rest is handled by `oversize`. */
  readonly maxScanChars: number;
  readonly oversize: Exclude<GuardrailAction, 'redact'>;
  /** Nesting depth scanned. */
  readonly maxDepth?: number;
  /** Findings kept per value (the count of the rest is reported). */
  readonly maxFindings?: number;
}

const DEFAULT_MAX_DEPTH = 64;
const DEFAULT_MAX_FINDINGS = 50;

/**
 * Walks a JSON value (a tool result, resource contents, a tool definition), scans every string
 * and returns the original object when nothing changed, or a redacted copy. Never throws on
 * any input: non-JSON values are passed through unscanned.
 */
export class ValueInspector {
  constructor(private readonly scanner: TextScanner, private readonly limits: InspectionLimits) {}

  /** Inspect `value`; `root` prefixes the JSON paths in findings. */
  inspect(value: unknown, root = ''): InspectionResult {
    const state = { scanned: 0, findings: [] as Finding[], dropped: 0, blocked: false, oversized: false, path: new Set<object>() };
    const maxDepth = this.limits.maxDepth ?? DEFAULT_MAX_DEPTH;
    const maxFindings = this.limits.maxFindings ?? DEFAULT_MAX_FINDINGS;

    const oversize = (location: string, why: string) => {
      if (state.oversized) return;
      state.oversized = true;
      state.findings.push({ detector: 'scan-limit', category: 'limit', severity: 'medium', action: this.limits.oversize, location, message: `not fully scanned: ${why}` });
      if (this.limits.oversize === 'block') state.blocked = true;
    };

    const walk = (node: unknown, location: string, depth: number): unknown => {
      if (typeof node === 'string') {
        if (state.oversized) return node;
        state.scanned += node.length;
        if (state.scanned > this.limits.maxScanChars) {
          oversize(location, `more than ${this.limits.maxScanChars} characters`);
          return node;
        }
        const scan = this.scanner.scan(node, location);
        for (const f of scan.findings) {
          if (state.findings.length < maxFindings) state.findings.push(f);
          else state.dropped++;
        }
        if (scan.blocked) state.blocked = true;
        return scan.text;
      }
      if (typeof node !== 'object' || node === null) return node;
      if (depth >= maxDepth) {
        oversize(location, `nested deeper than ${maxDepth}`);
        return node;
      }
      if (state.path.has(node)) return node;
      state.path.add(node);
      try {
        if (Array.isArray(node)) return walkArray(node, location, depth);
        if (isPlainObject(node)) return walkObject(node, location, depth);
        return node;
      } finally {
        state.path.delete(node);
      }
    };

    const walkArray = (node: unknown[], location: string, depth: number): unknown[] => {
      let copy: unknown[] | undefined;
      for (let i = 0; i < node.length; i++) {
        const next = walk(node[i], `${location}[${i}]`, depth + 1);
        if (next !== node[i]) (copy ??= [...node])[i] = next;
      }
      return copy ?? node;
    };

    const walkObject = (node: Record<string, unknown>, location: string, depth: number): Record<string, unknown> => {
      let copy: Record<string, unknown> | undefined;
      for (const key of Object.keys(node)) {
        if (isBinary(node, key)) continue;
        const child = node[key];
        const next = walk(child, location ? `${location}.${key}` : key, depth + 1);
        if (next !== child) {
          copy ??= cloneObject(node);
          // defineProperty, not assignment: a JSON key named "__proto__" must stay a plain key.
          Object.defineProperty(copy, key, { value: next, enumerable: true, writable: true, configurable: true });
        }
      }
      return copy ?? node;
    };

    const result = walk(value, root, 0);
    if (state.dropped > 0) {
      state.findings.push({ detector: 'scan-limit', category: 'limit', severity: 'low', action: 'flag', location: root, message: `${state.dropped} more finding(s) not listed` });
    }
    return { result, findings: state.findings, blocked: state.blocked };
  }
}

function isPlainObject(node: object): node is Record<string, unknown> {
  const proto = Object.getPrototypeOf(node);
  return proto === Object.prototype || proto === null;
}

/** Image and audio data and resource blobs are binary: base64 of bytes, not text a model reads as instructions. */
function isBinary(node: Record<string, unknown>, key: string): boolean {
  return key === 'blob' || (key === 'data' && (node.type === 'image' || node.type === 'audio'));
}

function cloneObject(node: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = Object.create(Object.getPrototypeOf(node));
  for (const key of Object.keys(node)) {
    Object.defineProperty(copy, key, { value: node[key], enumerable: true, writable: true, configurable: true });
  }
  return copy;
}
