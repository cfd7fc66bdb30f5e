/**
 * Tool names the MCP specification recommends (2025-11-25, Tools › Tool names): 1–128
 * characters from A–Z, a–z, 0–9, `_`, `-` and `.`. Anything else (spaces, non-ASCII look-alikes,
 * invisible characters) is how a name impersonates another, so such tools are quarantined.
 */
export function isRecommendedToolName(name: string): boolean {
  return /^[A-Za-z0-9_.-]{1,128}$/.test(name);
}

// Characters that render like Latin letters or digits (a small subset of Unicode's confusables
// list, covering the Cyrillic and Greek look-alikes used in practice), plus digit/letter pairs.
const CONFUSABLES: Readonly<Record<string, string>> = {
  'а': 'a', 'в': 'b', 'е': 'e', 'ё': 'e', 'һ': 'h', 'і': 'i', 'ї': 'i', 'ј': 'j', 'к': 'k', 'м': 'm',
  'н': 'h', 'о': 'o', 'р': 'p', 'с': 'c', 'т': 't', 'у': 'y', 'х': 'x', 'ѕ': 's', 'ԁ': 'd', 'ԛ': 'q',
  'ԝ': 'w', 'ɡ': 'g', 'α': 'a', 'β': 'b', 'ε': 'e', 'η': 'n', 'ι': 'i', 'κ': 'k', 'ν': 'v', 'ο': 'o',
  'ρ': 'p', 'τ': 't', 'υ': 'u', 'χ': 'x', 'ℓ': 'l', '0': 'o', '1': 'l', '|': 'l',
};

/**
 * A skeleton for collision checks: NFKD (folds full-width and compatibility forms; accents become
 * marks, which are dropped), invisible characters removed, look-alikes mapped to Latin, lower
 * case, and `-`, `.`, space runs folded into `_`. Two names with the same skeleton read the same
 * to a human or a model.
 */
export function nameSkeleton(name: string): string {
  let out = '';
  for (const ch of name.normalize('NFKD').toLowerCase()) {
    if (/[\p{Cf}\p{Mn}]/u.test(ch)) continue;
    out += CONFUSABLES[ch] ?? ch;
  }
  return out.replace(/[-_.\s]+/g, '_');
}
