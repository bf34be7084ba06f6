// What posrig's commands do alike on the command line: collect a repeatable option's values, and keep a simulator
// running until SIGTERM or SIGINT stops it cleanly.
//   command.option('--defect <name>', 'repeatable', collect);              // --defect a --defect b → ['a', 'b']
//   await stopOnSignal('posrig sim host', () => bank.stop());              // 'posrig sim host: SIGTERM, stopping'

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
