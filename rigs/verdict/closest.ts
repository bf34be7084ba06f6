// "Did you mean": the closest of some known words to what was typed, by edit distance (insert, delete, substitute,
// swap two neighbours — the slips of typing).
//   closestWords('alcie', ['alice', 'bob', 'carol']) → ['alice']

/** Optimal-string-alignment distance between two strings, by Unicode code point. */
export function editDistance(left: string, right: string): number {
  const a = [...left];
  const b = [...right];
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const row = d[i] as number[];
      const up = d[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/** The known words nearest to `typed` (ties together), if any is near enough to be a slip: at most a third of it. */
export function closestWords(typed: string, known: readonly string[]): string[] {
  const scored = known.map((word) => ({ word, distance: editDistance(typed.toLowerCase(), word.toLowerCase()) }));
  const best = Math.min(...scored.map((s) => s.distance));
  if (!Number.isFinite(best) || best > Math.max(1, Math.ceil([...typed].length / 3))) return [];
  return scored.filter((s) => s.distance === best).map((s) => s.word);
}
