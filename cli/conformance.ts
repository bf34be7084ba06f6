// `posrig conformance --rig R`: the link conformance kit. Every MUST of docs/protocol.md sections 2–7 and 11 that the
// harness side can test, as one check against the terminal on the rig's serial line (docs/conformance.md).
// Exit 0 when every check passes, 1 when one fails, 2 for a usage or rig error (bad option, rig file, port).
//   npx posrig conformance --rig rigs/lab-07.yaml
//   npx posrig conformance --rig rigs/sim-pty.yaml --format json --check nak-bad-crc --check truncated

import type { Command } from 'commander';
import { CHECK_IDS, type CheckId, type CheckResult } from '../rigs/conformance/checks.ts';
import { formatResult, formatSummary, reportJson } from '../rigs/conformance/report.ts';
import { runConformance } from '../rigs/conformance/runConformance.ts';
import { openConformanceLine } from '../rigs/conformance/terminalPort.ts';
import { loadRigFile } from '../rigs/file/rigFile.ts';
import { ConfigFileError } from '../rigs/file/yamlFile.ts';
import { collect } from './commandLine.ts';

interface ConformanceCommandOptions {
  rig: string;
  format: string;
  check: string[];
}

/** A problem before any check ran: the CLI prints it and exits 2. */
class ConformanceUsageError extends Error {
  override name = 'ConformanceUsageError';
}

/** Adds `conformance` to the posrig program. */
export function registerConformance(program: Command): void {
  program
    .command('conformance')
    .description('check the terminal against every MUST of the ECR link spec (docs/protocol.md sections 2–7, 11)')
    .requiredOption('--rig <file>', 'rig file naming the terminal (terminal.link)')
    .option('--format <format>', 'text or json', 'text')
    .option('--check <id>', `only this check (repeatable): ${CHECK_IDS.join(', ')}`, collect, [])
    .action(async (options: ConformanceCommandOptions) => {
      process.exitCode = await conformance(options);
    });
}

async function conformance(options: ConformanceCommandOptions): Promise<number> {
  let line: Awaited<ReturnType<typeof openConformanceLine>>;
  let rig: ReturnType<typeof loadRigFile>;
  try {
    if (options.format !== 'text' && options.format !== 'json') {
      throw new ConformanceUsageError(`--format must be text or json, got "${options.format}"`);
    }
    const unknown = options.check.filter((id) => !(CHECK_IDS as readonly string[]).includes(id));
    if (unknown.length > 0) {
      throw new ConformanceUsageError(`unknown check ${unknown.join(', ')} (known: ${CHECK_IDS.join(', ')})`);
    }
    rig = loadRigFile(options.rig);
    line = await openConformanceLine(rig);
  } catch (error) {
    const lines =
      error instanceof ConfigFileError ? error.problems : [error instanceof Error ? error.message : String(error)];
    for (const text of lines) console.error(`posrig conformance: ${text}`);
    return 2;
  }
  const text = options.format === 'text';
  if (text) console.log(`posrig conformance: rig ${rig.name}, ${line.terminal} — docs/protocol.md sections 2–7, 11`);
  let results: CheckResult[];
  try {
    results = await runConformance(line.port, {
      currency: rig.currency,
      ...(options.check.length ? { only: options.check as CheckId[] } : {}),
      ...(text ? { onResult: (result: CheckResult) => console.log(formatResult(result)) } : {}),
    });
  } finally {
    await line.stop();
  }
  if (text) console.log(formatSummary(results));
  else console.log(JSON.stringify(reportJson(rig.name, line.terminal, results), null, 2));
  return results.every((r) => r.pass) ? 0 : 1;
}
