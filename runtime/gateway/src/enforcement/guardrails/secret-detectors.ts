import { TextDetector, regexDetector, shannonEntropy } from './text-detectors';

const GENERIC_VALUE_MIN_ENTROPY = 3.5;

/** A value that is a placeholder or already redacted, not a secret. */
function isPlaceholder(value: string): boolean {
  return /^(?:\[REDACTED|<[^>]*>$|\$\{|\{\{|x{6,}$|\*{4,}|\.{3})/i.test(value);
}

/** Secret detectors: each span is the secret itself, so redaction keeps the surrounding key names. */
export const SECRET_DETECTOR_LIST: readonly TextDetector[] = [
  regexDetector('private-key', 'secret', 'high', [
    // An unterminated block is redacted to the end of the string.
    /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|$)/dg,
  ]),
  regexDetector('aws-access-key', 'secret', 'high', [/\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/dg]),
  regexDetector('aws-secret-key', 'secret', 'high', [
    { pattern: /\b(?:aws_?secret_?(?:access_?)?key|secret_?access_?key)\b["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/dgi, group: 1 },
  ]),
  regexDetector('jwt', 'secret', 'high', [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/dg]),
  regexDetector('bearer-token', 'secret', 'high', [
    { pattern: /\b(?:Bearer|Basic)\s+([A-Za-z0-9\-._~+/]{16,}=*)/dgi, group: 1, accept: (m) => !isPlaceholder(m[1]) },
  ]),
  regexDetector('github-token', 'secret', 'high', [/\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/dg]),
  regexDetector('slack-token', 'secret', 'high', [/\bxox[abprse]-[A-Za-z0-9-]{10,}/dg]),
  regexDetector('generic-secret', 'secret', 'medium', [
    {
      // Starts at the keyword (not at the start of the key name): only the value is redacted, and
      // a leading name pattern would be retried at every character of ordinary text.
      pattern: /(?:secret|token|passw(?:or)?d|pwd|api[_-]?key|access[_-]?key|private[_-]?key|credential|key)[A-Za-z0-9_.-]*["']?\s*[:=]\s*["']?([^\s"'`,;&<>]{12,})/dgi,
      group: 1,
      accept: (m) => !isPlaceholder(m[1]) && shannonEntropy(m[1]) >= GENERIC_VALUE_MIN_ENTROPY,
    },
  ]),
];
