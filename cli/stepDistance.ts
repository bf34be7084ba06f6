// How far a written step is from one wording of a defined step, counted in tokens: what closestSteps ranks by.
//   const step = stepTokens('the merchant start a sale of 100.00 CNY');
//   const wording = wordingTokens([{ kind: 'text', text: 'the merchant starts a sale of ' }, { kind: 'param', name: 'money' }]);
//   distance(step, wording.ids, Infinity, new Substitutions(step))  // → 0.1666…: "start" is 1 letter of 6 from "starts"
// A quoted argument, an amount and a number each count as one token (so "alice" and "bob" are alike); a Latin word is
// a token, a CJK character is a token, punctuation is a token; a parameter such as `{word}` takes a run of tokens.
// Tokens are interned as numbers, and each pair of words' spelling distance is worked out once per process.

import { editDistance } from '../rigs/verdict/closest.ts';

import { NUMBER_TYPES, type Part } from './stepPatterns.ts';

/** A wording as tokens, with what a lower bound on its distance needs: its literal tokens and its parameters. */
export interface WordingTokens {
  readonly ids: Int32Array;
  /** Tokens that are not a run-taking parameter. */
  readonly literal: number;
  /** Run-taking parameters (`{word}`, a regex group). */
  readonly runs: number;
}

const QUOTED = '\u0001"';
const AMOUNT = '\u0001$';
const NUMBER = '\u0001#';
const ANY = '\u0001*';
const TOKEN =
  /"[^"]*"|“[^”]*”|＂[^＂]*＂|'[^']*'|\d+(?:\.\d+)? ?[A-Z]{3}\b|\d+(?:\.\d+)?\s?元|[¥￥]\s?\d+(?:\.\d+)?|-?\d+(?:\.\d+)?|[A-Za-z][A-Za-z'’-]*|\S/gu;

const ids = new Map<string, number>();
const names: string[] = [];
/** Whether a token is compared by spelling (a word of two or more letters) rather than by equality. */
const spelled: boolean[] = [];

function idOf(token: string): number {
  let id = ids.get(token);
  if (id === undefined) {
    id = names.length;
    ids.set(token, id);
    names.push(token);
    spelled.push(!token.startsWith('\u0001') && token.length > 1);
  }
  return id;
}

const ANY_ID = idOf(ANY);

function normalize(text: string): string {
  return text.replace(/，/g, ',').replace(/：/g, ':').replace(/’/g, "'");
}

function tokenize(text: string): string[] {
  return [...normalize(text).matchAll(TOKEN)].map(([t]) => {
    if (/^["“＂']/.test(t)) return QUOTED;
    if (/^[¥￥]|[A-Z]{3}$|元$/.test(t)) return AMOUNT;
    if (/^-?\d/.test(t)) return NUMBER;
    return t.toLowerCase();
  });
}

/** A written step's tokens. */
export function stepTokens(text: string): Int32Array {
  return Int32Array.from(tokenize(text), idOf);
}

/** A wording's tokens: its text tokenized as a step is, each parameter one token. */
export function wordingTokens(parts: readonly Part[]): WordingTokens {
  const tokens = parts.flatMap(partTokens);
  const runs = tokens.filter((t) => t === ANY).length;
  return { ids: Int32Array.from(tokens, idOf), literal: tokens.length - runs, runs };
}

function partTokens(part: Part): string[] {
  if (part.kind === 'text') return tokenize(part.text);
  if (part.name === 'string') return [QUOTED];
  if (part.name === 'money') return [AMOUNT];
  if (NUMBER_TYPES.has(part.name)) return [NUMBER];
  return [ANY];
}

/** A parameter such as `{word}` takes a few tokens for free (a Chinese word is several characters), more at a cost. */
const FREE_RUN = 3;

function runCost(run: number): number {
  return run === 0 ? 0.5 : Math.max(0, run - FREE_RUN);
}

/**
 * What `distance` cannot go below, from the lengths alone: a literal token without a step token to pair costs 1, and
 * so does a step token beyond what the literals pair and the parameters take for free.
 */
export function lowerBound(steps: number, wording: WordingTokens): number {
  return Math.max(0, steps - wording.literal - FREE_RUN * wording.runs, wording.literal - steps);
}

/** The cost of putting each token of one step in place of a wording's token, worked out once per wording token. */
export class Substitutions {
  private readonly rows = new Map<number, Float64Array>();
  constructor(private readonly step: Int32Array) {}

  /** Cost of each step token against wording token `id`: 0 the same, 1 nothing alike, between for a misspelling. */
  against(id: number): Float64Array {
    let row = this.rows.get(id);
    if (!row) {
      row = Float64Array.from(this.step, (s) => substitution(s, id));
      this.rows.set(id, row);
    }
    return row;
  }
}

// Word pairs recur across lines and definitions: each pair's spelling distance is worked out once.
const spellings = new Map<number, number>();
/** Ids below this fit a pair into one safe integer key (ids are distinct tokens: a few thousand in practice). */
const PAIR_KEY = 2 ** 26;

function substitution(a: number, b: number): number {
  if (a === b) return 0;
  if (!spelled[a] || !spelled[b]) return 1;
  const key = a < PAIR_KEY && b < PAIR_KEY ? a * PAIR_KEY + b : -1;
  let cost = spellings.get(key);
  if (cost === undefined) {
    const left = names[a] as string;
    const right = names[b] as string;
    cost = editDistance(left, right) / Math.max(left.length, right.length);
    if (key >= 0) spellings.set(key, cost);
  }
  return cost;
}

let previous = new Float64Array(64);
let current = new Float64Array(64);

/**
 * Edit distance over tokens: inserting or deleting a token costs 1, two words differ by their spelling distance
 * (0..1), a parameter takes a run of tokens. Infinity as soon as it is sure to be above `bound`.
 */
export function distance(step: Int32Array, wording: Int32Array, bound: number, substitutions: Substitutions): number {
  const rows = step.length + 1;
  if (previous.length < rows) {
    previous = new Float64Array(rows * 2);
    current = new Float64Array(rows * 2);
  }
  let before = previous;
  let column = current;
  for (let i = 0; i < rows; i += 1) before[i] = i;
  for (let j = 0; j < wording.length; j += 1) {
    const token = wording[j] as number;
    // Every way to the last cell crosses this column, and no move costs less than nothing: its least is a bound.
    let least = Number.POSITIVE_INFINITY;
    if (token === ANY_ID) {
      for (let i = 0; i < rows; i += 1) {
        let best = Number.POSITIVE_INFINITY;
        for (let run = 0; run <= i; run += 1) best = Math.min(best, (before[i - run] as number) + runCost(run));
        column[i] = best;
        if (best < least) least = best;
      }
    } else {
      const costs = substitutions.against(token);
      let above = (before[0] as number) + 1;
      column[0] = above;
      least = above;
      for (let i = 1; i < rows; i += 1) {
        let best = above + 1;
        best = Math.min(best, (before[i] as number) + 1);
        best = Math.min(best, (before[i - 1] as number) + (costs[i - 1] as number));
        column[i] = best;
        above = best;
        if (best < least) least = best;
      }
    }
    if (least > bound) return Number.POSITIVE_INFINITY;
    [before, column] = [column, before];
  }
  return before[rows - 1] as number;
}
