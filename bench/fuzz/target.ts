// What a fuzz target is, and the two checks every target makes: a decoder returns or throws its own typed error, and
// a property that does not hold fails with a message that says which.
//   const target: FuzzTarget<Uint8Array> = { name: 'x', what: '…', arbitrary: fc.uint8Array(), check: (b) => 0 };
//   const outcome = typedOutcome(() => unpackIso(bytes), IsoError, 'unpackIso');  // { value } | { error }
//   holds(units.length > 0, 'no unit decoded');

import type fc from 'fast-check';

/** One decoder under fuzz: where its inputs come from and the properties one input must keep. */
export interface FuzzTarget<T> {
  /** Short name for the command line and the report, e.g. 'ecr.frame'. */
  readonly name: string;
  /** One line: what is fed to what. */
  readonly what: string;
  readonly arbitrary: fc.Arbitrary<T>;
  /** Feeds one input; throws PropertyFailure when a property does not hold. Returns the most bytes the decoder held
   * buffered meanwhile, or undefined for a decoder without a buffer. */
  check(input: T): number | undefined;
  /** Bytes the decoder's buffer must stay under (documented maximum), for the report. */
  readonly bufferLimit?: number;
}

/** A property that did not hold for an input. */
export class PropertyFailure extends Error {
  override name = 'PropertyFailure';
}

/** Throws PropertyFailure with the message when the condition is false. */
export function holds(condition: boolean, message: string | (() => string)): asserts condition {
  if (!condition) throw new PropertyFailure(typeof message === 'string' ? message : message());
}

export type Outcome<V, E> = { readonly value: V; readonly error?: undefined } | { readonly error: E };

// biome-ignore lint/suspicious/noExplicitAny: any constructor of an error class
type ErrorClass<E> = abstract new (...args: any[]) => E;

/** Runs a decoder call: its value, or the error it threw when that is of the module's own class; anything else
 * (TypeError, RangeError, a stack overflow …) is a PropertyFailure naming what was thrown. */
export function typedOutcome<V, E extends Error>(
  decode: () => V,
  errorClass: ErrorClass<E>,
  what: string,
): Outcome<V, E> {
  try {
    return { value: decode() };
  } catch (error) {
    if (error instanceof errorClass) return { error };
    const thrown = error instanceof Error ? `${error.name}: ${error.message}` : `a non-error ${String(error)}`;
    throw new PropertyFailure(`${what} threw ${thrown} (expected a value or ${errorClass.name})`);
  }
}

/** Runs a call that must not throw at all; anything thrown is a PropertyFailure naming it. */
export function neverThrows<V>(call: () => V, what: string): V {
  try {
    return call();
  } catch (error) {
    const thrown = error instanceof Error ? `${error.name}: ${error.message}` : `a non-error ${String(error)}`;
    throw new PropertyFailure(`${what} threw ${thrown}`);
  }
}
