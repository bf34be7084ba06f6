// "Did you mean": the closest of some known words to what was typed, by edit distance (insert, delete, substitute,
// swap two neighbours — the slips of typing).
//   closestWords('alcie', ['alice', 'bob', 'carol']) → ['alice']

/** Optimal-string-alignment distance between two strings, by Unicode code point. */
export function editDistance(left: string, right: string): number {
  if (left === right) return 0;
  const a = codePoints(left);
  const b = codePoints(right);
  if (a.length === 0 || b.length === 0) return a.length + b.length;
  // Three rows are all the recurrence looks at: this one, the one above and (for a swap) the one above that.
  let twoUp = new Int32Array(b.length + 1);
  let up = Int32Array.from({ length: b.length + 1 }, (_, j) => j);
  let row = new Int32Array(b.length + 1);
  for (let i = 1; i <= a.length; i += 1) {
    const ai = a[i - 1];
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const bj = b[j - 1];
      let best = Math.min(
        (up[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (up[j - 1] as number) + (ai === bj ? 0 : 1),
      );
      if (i > 1 && j > 1 && ai === b[j - 2] && a[i - 2] === bj) best = Math.min(best, (twoUp[j - 2] as number) + 1);
      row[j] = best;
    }
    [twoUp, up, row] = [up, row, twoUp];
  }
  return up[b.length] as number;
}

/** A string's code points: its UTF-16 units when it has no surrogate pair, as most words do. */
function codePoints(text: string): ArrayLike<number> {
  if (!/[\ud800-\udfff]/.test(text)) {
    const units = new Int32Array(text.length);
    for (let i = 0; i < text.length; i += 1) units[i] = text.charCodeAt(i);
    return units;
  }
  return Array.from(text, (c) => c.codePointAt(0) as number);
}

/** The known words nearest to `typed` (ties together), if any is near enough to be a slip: at most a third of it. */
export function closestWords(typed: string, known: readonly string[]): string[] {
  const scored = known.map((word) => ({ word, distance: editDistance(typed.toLowerCase(), word.toLowerCase()) }));
  const best = Math.min(...scored.map((s) => s.distance));
  if (!Number.isFinite(best) || best > Math.max(1, Math.ceil([...typed].length / 3))) return [];
  return scored.filter((s) => s.distance === best).map((s) => s.word);
}
