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
const CONFUSABLES: ReadonlyMap<string, string> = new Map(
  'аa вb еe ёe һh іi їi јj кk мm нh оo рp сc тt уy хx ѕs ԁd ԛq ԝw ɡg αa βb εe ηn ιi κk νv οo ρp τt υu χx ℓl 0o 1l |l'
    .split(' ')
    .map((pair) => [pair[0], pair[1]]),
);

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
    out += CONFUSABLES.get(ch) ?? ch;
  }
  return out.replace(/[-_.\s]+/g, '_');
}
