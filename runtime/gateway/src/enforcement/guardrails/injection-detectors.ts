import { Span, TextDetector, matchSpans, regexDetector } from './text-detectors';

// Patterns are deliberately specific: they run on every tool result, and a detector that fires
// on ordinary prose trains operators to ignore it. Each targets a technique seen in published
// tool-poisoning and indirect prompt-injection examples.

const instructionOverride = regexDetector('instruction-override', 'injection', 'high', [
  /\b(?:ignore|disregard|forget|override|bypass)\s+(?:(?:all|any|every|the|your|my|these|those|of)\s+){0,3}(?:previous|prior|above|earlier|preceding|former|original|system|developer)\s+(?:instructions?|prompts?|rules|directions|guidelines|guidance|messages?|context)\b/dgi,
  /\b(?:new|updated|revised|real|actual)\s+(?:system\s+)?instructions?\s*:/dgi,
  /\bsystem\s+prompt\s*(?::|override)/dgi,
  /\byou\s+(?:must|should)\s+now\s+(?:ignore|act\s+as|pretend)\b/dgi,
]);

// `<important>` and `<instructions>` in any case; `<SYSTEM>`, `<SECRET>`, `<HIDDEN>`, `<ADMIN>` only
// in capitals: lower-case `<system>` and `<secret>` are ordinary XML (Maven POMs, Jenkins files).
const hiddenInstructionTag = regexDetector('hidden-instruction-tag', 'injection', 'high', [
  // Whole blocks first, so redaction removes the hidden instruction and not just its tags.
  /<\s*(important|instructions?)\s*>[\s\S]*?<\s*\/\s*\1\s*>/dgi,
  /<\s*(SYSTEM|SECRET|HIDDEN|ADMIN)\s*>[\s\S]*?<\s*\/\s*\1\s*>/dg,
  /<\s*\/?\s*(?:important|instructions?)\s*>/dgi,
  /<\s*\/?\s*(?:SYSTEM|SECRET|HIDDEN|ADMIN)\s*>/dg,
  /<\|(?:im_start|im_end|system|user|assistant|endoftext)\|>|\[\/?INST\]|<<\/?SYS>>/dgi,
]);

const secrecyDirective = regexDetector('secrecy-directive', 'injection', 'high', [
  /\b(?:do\s+not|don'?t|never|must\s+not)\s+(?:tell|inform|mention|reveal|disclose|show|notify|alert|let)\b[^.\n]{0,30}?\b(?:the\s+)?user\b/dgi,
  /\bwithout\s+(?:telling|informing|notifying|alerting|asking|showing)\s+(?:the\s+)?user\b/dgi,
  /\b(?:keep|hide)\s+(?:this|it|that)\s+(?:secret|hidden|confidential)\s+from\s+(?:the\s+)?user\b/dgi,
]);

const sensitivePath = regexDetector('sensitive-path', 'injection', 'medium', [
  /(?:~|\$HOME|%USERPROFILE%)[/\\]\.(?:ssh|aws|kube|docker|gnupg|config[/\\]gcloud)\b[^\s"'`)]*/dg,
  /\bid_(?:rsa|dsa|ecdsa|ed25519)(?:\.pub)?\b/dg,
  /\.aws[/\\]credentials\b|\/etc\/(?:passwd|shadow|sudoers)\b|\.git-credentials\b|\.netrc\b|\.npmrc\b|\.pypirc\b/dg,
  /\b(?:process\.env|os\.environ|printenv|getenv\s*\()/dg,
  /(?:^|[\s"'`(/\\])\.env(?:\.[a-z]+)?\b(?![.-]?\w*\()/dgm,
  /\b(?:claude_desktop_config|mcp)\.json\b/dg,
]);

const EXFIL_HOSTS =
  /^(?:[\w-]+\.)*(?:webhook\.site|requestbin\.(?:com|net)|pipedream\.net|ngrok(?:-free)?\.(?:io|app|dev)|trycloudflare\.com|burpcollaborator\.net|oast\.(?:fun|pro|live|site|online|me)|interact\.sh|canarytokens\.com|beeceptor\.com|hookbin\.com|requestcatcher\.com|postb\.in|ptsv2\.com|localtunnel\.me|serveo\.net)$/i;
const URL = /\bhttps?:\/\/[^\s"'`<>)\]]+/dgi;
// "send the results to <url>" (not "send feedback to <url>"): a verb and something worth stealing.
const SEND_DATA = new RegExp(
  '\\b(?:(?:exfiltrate|leak)\\b|(?:send|post|upload|forward|transmit|append)\\s+(?:(?:all|the|your|any|this|these|those|its|their|of|user\'?s?)\\s+){0,3}' +
  '(?:data|results?|contents?|files?|conversations?|chat|history|messages?|credentials?|keys?|secrets?|tokens?|passwords?|output|responses?|it|them|everything)\\b)[^.\\n]*$',
  'i',
);
// A query value that is a placeholder for sensitive data: `?d={conversation}`, not `?q={query}`.
const SENSITIVE_PLACEHOLDER = /[?&][^=&]+=(?:\{|\$\{|<|%7B)[^}>]*(?:conversation|chat|history|message|secret|token|password|key|credential|context|prompt|data)/i;

/** URLs that exfiltrate: known collector hosts, markdown images carrying a query, or "send … to <url>". */
const exfiltrationUrl: TextDetector = {
  id: 'exfiltration-url',
  category: 'injection',
  severity: 'medium',
  find(text) {
    const spans: Span[] = [];
    for (const span of matchSpans(URL, text)) {
      const url = text.slice(span.start, span.end);
      const host = /^https?:\/\/(?:[^@/?#]*@)?([^/:?#]+)/i.exec(url)?.[1] ?? '';
      const before = text.slice(Math.max(0, span.start - 80), span.start);
      const inImage = /!\[[^\]]*\]\(\s*$/.test(before) && url.includes('?');
      const sendTo = SEND_DATA.test(before);
      const templated = SENSITIVE_PLACEHOLDER.test(url);
      if (EXFIL_HOSTS.test(host) || inImage || sendTo || templated) spans.push(span);
    }
    return spans;
  },
};

// Zero-width and bidi controls hide text from a human reviewer while the model reads it. Left
// alone: ZWJ between emoji, ZWNJ inside non-Latin words, a leading BOM, and the tag characters
// of subdivision flag emoji — all ordinary in real text.
const INVISIBLE = new RegExp([
  '[\\u200B\\u2060-\\u2064\\u180E\\u202A-\\u202E\\u2066-\\u2069]',
  '(?<!^)\\uFEFF',
  '(?<!\\p{Extended_Pictographic}\\uFE0F?)\\u200D|\\u200D(?!\\p{Extended_Pictographic})',
  '(?<=[\\x21-\\x7e]|^)\\u200C|\\u200C(?=[\\x21-\\x7e]|$)',
  '(?<!\\u{1F3F4}[\\u{E0020}-\\u{E007E}]*)[\\u{E0000}-\\u{E007F}]+',
].join('|'), 'dgu');

const invisibleCharacters: TextDetector = {
  id: 'invisible-characters',
  category: 'injection',
  severity: 'medium',
  find(text) {
    return matchSpans(INVISIBLE, text).map((span) => {
      const hidden = decodeTagCharacters(text.slice(span.start, span.end));
      return hidden ? { ...span, note: `hidden text of ${hidden.length} characters in Unicode tag characters` } : span;
    });
  },
};

/** ASCII smuggled in Unicode tag characters (U+E0020–U+E007E), decoded; empty when none. */
export function decodeTagCharacters(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xe0020 && cp <= 0xe007e) out += String.fromCharCode(cp - 0xe0000);
  }
  return out;
}

/** The detectors whose patterns are also looked for inside decoded payloads. */
export const PLAIN_INJECTION_DETECTORS: readonly TextDetector[] = [
  instructionOverride,
  hiddenInstructionTag,
  secrecyDirective,
  sensitivePath,
  exfiltrationUrl,
];

const MAX_BLOBS_PER_STRING = 32;
const MAX_BLOB_CHARS = 64 * 1024;

/** Base64 (or base64url) blobs that decode to text containing an injection pattern. */
const encodedInstructions: TextDetector = {
  id: 'encoded-instructions',
  category: 'injection',
  severity: 'high',
  find(text) {
    const spans: Span[] = [];
    for (const span of base64Runs(text).slice(0, MAX_BLOBS_PER_STRING)) {
      if (span.end - span.start > MAX_BLOB_CHARS) continue;
      const decoded = decodeText(text.slice(span.start, span.end));
      const hit = decoded && PLAIN_INJECTION_DETECTORS.find((d) => d.find(decoded).length > 0);
      if (hit) spans.push({ ...span, note: `base64 decodes to ${hit.id}` });
    }
    return spans;
  },
};

const MIN_BLOB_CHARS = 40;

/**
 * Runs of at least 40 base64/base64url characters (with up to two `=`), found in one pass: a
 * regular expression with a `{40,}` quantifier restarts inside every shorter word.
 */
function base64Runs(text: string): Span[] {
  const runs: Span[] = [];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 0;
    const inRun = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47 || c === 95 || c === 45;
    if (inRun) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0 && i - start >= MIN_BLOB_CHARS) {
      let end = i;
      while (end < text.length && end - i < 2 && text.charCodeAt(end) === 61) end++;
      runs.push({ start, end });
    }
    start = -1;
  }
  return runs;
}

/** Decoded base64 when it is mostly printable UTF-8 text, else undefined (binary data is not scanned). */
function decodeText(blob: string): string | undefined {
  const bytes = Buffer.from(blob.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (bytes.length === 0) return undefined;
  const text = bytes.toString('utf8');
  let printable = 0;
  for (const ch of text) if (/[\p{L}\p{N}\p{P}\p{Zs}\n\r\t]/u.test(ch)) printable++;
  return printable / [...text].length >= 0.9 ? text : undefined;
}

/** Every injection detector, cheapest first. */
export const INJECTION_DETECTOR_LIST: readonly TextDetector[] = [invisibleCharacters, ...PLAIN_INJECTION_DETECTORS, encodedInstructions];
