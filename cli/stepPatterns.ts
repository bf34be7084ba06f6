// Step patterns as QA reads them: a cucumber expression or a regex turned into text and parameters, with each choice
// of its alternatives spelled out. `{string}` → `"<text>"`, `{money}` → `<amount>`, `{int}` → `<number>`.
//   readablePattern(/^the cardholder (swipes|inserts|taps) the card "([^"]+)"$/)
//     → 'the cardholder swipes/inserts/taps the card "<text>"'

export type Segment =
  | { kind: 'text'; text: string }
  | { kind: 'param'; name: string }
  | { kind: 'alt'; options: string[] };
/** A segment once an alternative is chosen. */
export type Part = Exclude<Segment, { kind: 'alt' }>;

export const NUMBER_TYPES = new Set(['int', 'float', 'double', 'bigdecimal', 'biginteger', 'byte', 'short', 'long']);
const MAX_VARIANTS = 32;

/** A pattern as readable text: `{string}` → `"<text>"`, `{money}` → `<amount>`, regex groups → `<…>` or a choice. */
export function readablePattern(pattern: string | RegExp): string {
  return render(segmentsOf(pattern));
}

/** Segments as text, parameters as placeholders. */
export function render(parts: readonly Segment[]): string {
  return parts
    .map((p) => {
      if (p.kind === 'text') return p.text;
      if (p.kind === 'alt') {
        const options = p.options.filter(Boolean);
        return options.length < p.options.length ? `(${options.join('/')})` : options.join('/');
      }
      if (p.name === 'string') return '"<text>"';
      if (p.name === 'money') return '<amount>';
      if (NUMBER_TYPES.has(p.name)) return '<number>';
      return p.name ? `<${p.name}>` : '<…>';
    })
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

export function segmentsOf(pattern: string | RegExp): Segment[] {
  return typeof pattern === 'string' ? expressionSegments(pattern) : regexSegments(pattern.source);
}

/** Cucumber expression: `{name}` parameters, `(optional)` text, `a/b` alternatives within a word, `\\` escapes. */
function expressionSegments(expression: string): Segment[] {
  const segments: Segment[] = [];
  let text = '';
  const flush = (): void => {
    for (const piece of text.split(/(\s+)/)) {
      if (piece.includes('/')) segments.push({ kind: 'alt', options: piece.split('/') });
      else if (piece) segments.push({ kind: 'text', text: piece });
    }
    text = '';
  };
  for (let i = 0; i < expression.length; i += 1) {
    const c = expression[i] as string;
    const close = c === '{' ? expression.indexOf('}', i) : c === '(' ? expression.indexOf(')', i) : -1;
    if (c === '\\') {
      flush();
      segments.push({ kind: 'text', text: expression[i + 1] ?? '' });
      i += 1;
    } else if (close > i) {
      flush();
      const inner = expression.slice(i + 1, close);
      segments.push(c === '{' ? { kind: 'param', name: inner } : { kind: 'alt', options: [inner, ''] });
      i = close;
    } else text += c;
  }
  flush();
  return segments;
}

const QUOTED_GROUP = /^(["'])\((?:\?:)?(?:\[\^["']\][*+]|\.[*+]\??)\)\1/;

/** Regex: literal text, `"([^"]+)"` → a string, `(a|b)` → alternatives, any other group or class → a parameter. */
function regexSegments(source: string): Segment[] {
  const segments: Segment[] = [];
  const push = (segment: Segment): void => {
    const last = segments.at(-1);
    if (segment.kind === 'text' && last?.kind === 'text')
      segments[segments.length - 1] = { kind: 'text', text: last.text + segment.text };
    else if (!(segment.kind === 'param' && segment.name === '' && last?.kind === 'param')) segments.push(segment);
  };
  let i = 0;
  const skipQuantifier = (): boolean => {
    const q = /^(?:[?*+]|\{\d+(?:,\d*)?\})\??/.exec(source.slice(i));
    if (q) i += q[0].length;
    return Boolean(q?.[0].startsWith('?'));
  };
  while (i < source.length) {
    const c = source[i] as string;
    const quoted = QUOTED_GROUP.exec(source.slice(i));
    if (quoted) {
      push({ kind: 'param', name: 'string' });
      i += quoted[0].length;
    } else if ((c === '^' && i === 0) || (c === '$' && i === source.length - 1)) {
      i += 1;
    } else if (c === '\\') {
      const next = source[i + 1] ?? '';
      i += 2;
      if (/[dDwWsS]/.test(next)) {
        push({ kind: 'param', name: '' });
        skipQuantifier();
      } else if (!/[bB]/.test(next)) push({ kind: 'text', text: next });
    } else if (c === '(') {
      const end = closingParen(source, i);
      const inner = source.slice(i + 1, end).replace(/^\?(?::|<[^>]*>)/, '');
      i = end + 1;
      const optional = skipQuantifier();
      const options = inner.split('|');
      if (options.every((o) => /^[^\\()[\].*+?{}^$|]*$/.test(o)))
        push({ kind: 'alt', options: optional ? [...options, ''] : options });
      else push({ kind: 'param', name: '' });
    } else if (c === '[' || c === '.') {
      i = c === '[' ? closingBracket(source, i) + 1 : i + 1;
      push({ kind: 'param', name: '' });
      skipQuantifier();
    } else {
      i += 1;
      push({ kind: 'text', text: c });
      skipQuantifier();
    }
  }
  return segments;
}

function closingParen(source: string, open: number): number {
  let depth = 0;
  for (let i = open; i < source.length; i += 1) {
    if (source[i] === '\\') i += 1;
    else if (source[i] === '[') i = closingBracket(source, i);
    else if (source[i] === '(') depth += 1;
    else if (source[i] === ')' && --depth === 0) return i;
  }
  return source.length - 1;
}

function closingBracket(source: string, open: number): number {
  for (let i = open + 1; i < source.length; i += 1) {
    if (source[i] === '\\') i += 1;
    else if (source[i] === ']' && i > open + 1) return i;
  }
  return source.length - 1;
}

/** Every choice of alternatives, as plain text and parameters (capped: a step has few). */
export function variants(segments: readonly Segment[]): Part[][] {
  let all: Part[][] = [[]];
  for (const segment of segments) {
    if (segment.kind !== 'alt') {
      all = all.map((v) => [...v, segment]);
      continue;
    }
    all = all
      .flatMap((v) => segment.options.map((o): Part[] => [...v, { kind: 'text', text: o }]))
      .slice(0, MAX_VARIANTS);
  }
  return all;
}
