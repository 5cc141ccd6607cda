/** Levenshtein edit distance (insertions, deletions, substitutions each cost 1). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/**
 * Known names close to a misspelt one, nearest first: those within a third of the
 * longer name's length (at least 2 edits), or else abbreviations (one name a prefix of
 * the other, 3+ characters: "accuracy" → "acc"), compared case-insensitively.
 */
export function closestNames(input: string, known: readonly string[], max = 3): string[] {
  const needle = input.toLowerCase();
  const scored = known
    .map((name) => ({ name, lower: name.toLowerCase(), d: editDistance(needle, name.toLowerCase()) }))
    .sort((x, y) => x.d - y.d || x.name.localeCompare(y.name));
  const near = scored.filter(({ name, d }) => d <= Math.max(2, Math.floor(Math.max(name.length, needle.length) / 3)));
  // Abbreviations only when nothing is near by spelling ("acc_nrom" means acc_norm, not acc).
  const picked = near.length > 0 ? near : scored.filter(({ lower }) => isAbbreviation(needle, lower));
  return picked.slice(0, max).map(({ name }) => name);
}

/**
 * lm-evaluation-harness style message for an unknown name:
 * "Unknown metric 'acurracy'. Did you mean: accuracy? Available: …".
 */
export function unknownNameMessage(what: string, input: string, known: readonly string[]): string {
  const near = closestNames(input, known);
  const hint = near.length > 0 ? ` Did you mean: ${near.join(', ')}?` : '';
  return `Unknown ${what} '${input}'.${hint} Available: ${known.join(', ')}`;
}

function isAbbreviation(a: string, b: string): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.length >= 3 && long.startsWith(short);
}
