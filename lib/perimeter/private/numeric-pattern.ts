/** A decimal integer in canonical form: `0`, or digits without a leading zero. */
export const CANONICAL_INTEGER_PATTERN = '^0$|^[1-9][0-9]*$';

/**
 * A regular expression that matches exactly the canonical decimal integers from 0 to `limit`.
 *
 * AWS WAF cannot compare a header value numerically, so a numeric bound on `Content-Length`
 * is written as a pattern: one anchored branch for shorter numbers, one per digit position
 * for numbers as long as the limit. The pattern has no groups (AWS WAF refuses capturing
 * subexpressions) and at most `digits + 2` branches.
 *
 * For 1024: `^0$|^[1-9][0-9]{0,2}$|^10[0-1][0-9]$|^102[0-4]$`.
 */
export function atMostPattern(limit: number): string {
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new Error(`atMostPattern: limit must be a non-negative safe integer, got ${limit}`);
  }
  const digits = String(limit);
  const branches = ['0'];
  if (digits.length > 1) {
    branches.push(`[1-9]${anyDigits(0, digits.length - 2)}`);
  }
  for (let position = 0; position < digits.length; position++) {
    const last = position === digits.length - 1;
    const lowest = position === 0 ? 1 : 0;
    // The last position may equal the limit's digit; earlier ones must be smaller.
    const highest = Number(digits[position]) - (last ? 0 : 1);
    if (highest < lowest) continue;
    const rest = digits.length - position - 1;
    branches.push(`${digits.slice(0, position)}${digitRange(lowest, highest)}${anyDigits(rest, rest)}`);
  }
  return [...new Set(branches)].map((branch) => `^${branch}$`).join('|');
}

function digitRange(lowest: number, highest: number): string {
  return lowest === highest ? String(lowest) : `[${lowest}-${highest}]`;
}

/** Between `min` and `max` arbitrary digits. */
function anyDigits(min: number, max: number): string {
  if (max === 0) return '';
  if (min === max) return max === 1 ? '[0-9]' : `[0-9]{${max}}`;
  return `[0-9]{${min},${max}}`;
}
