// What posrig's commands do alike on the command line: collect a repeatable option's values, refuse a value naming
// its option, and keep a simulator or agent running until SIGTERM or SIGINT stops it cleanly.
//   command.option('--defect <name>', 'repeatable', collect);              // --defect a --defect b → ['a', 'b']
//   await stopOnSignal('posrig sim host', () => bank.stop());              // 'posrig sim host: SIGTERM, stopping'

/** An option (or environment variable) with a value the command cannot use; the message names it. */
export class OptionError extends Error {
  override name = 'OptionError';
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`${option}: ${message}`);
  }
}

/** An option's value as a whole number of at least 1; OptionError naming the option otherwise. */
export function positiveInteger(text: string, option: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw new OptionError(option, `expected a positive whole number, got "${text}"`);
  return Number(text);
}

/** Collects a repeatable option's values. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Resolves once SIGTERM or SIGINT came and `stop` ended; each is said on stderr under `name`, a failed stop too. */
export function stopOnSignal(name: string, stop: () => Promise<void>): Promise<void> {
  return new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      process.stderr.write(`${name}: ${signal}, stopping\n`);
      stop().then(resolve, (error: Error) => {
        process.stderr.write(`${name}: stop failed: ${error.message}\n`);
        resolve();
      });
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
