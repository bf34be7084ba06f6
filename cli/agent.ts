// `posrig agent`: bridges one terminal's serial ECR link to an MQTT broker, leased to one controller at a time
// (docs/protocol.md section 12; rigs/agent/agent.ts).
//   POSRIG_MQTT_PASSWORD=… npx posrig agent --port /dev/ttyUSB0 --terminal LAB00007 --broker mqtts://lab-broker:8883
// The login: POSRIG_MQTT_USERNAME (default terminal-{TID}) and POSRIG_MQTT_PASSWORD; for mqtts:// the files named by
// POSRIG_MQTT_CA, POSRIG_MQTT_CERT and POSRIG_MQTT_KEY. Prints one line 'posrig agent: TID bridged to URL' to stderr
// once `online` is published, then each lease change and dropped command; SIGTERM/SIGINT stop it cleanly (`offline`,
// lease ended, port closed); a SIGKILL leaves it to the broker to publish `offline` (the last will).

import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { topicLevelProblem } from '../protocols/mqtt/topics.ts';
import { startAgent } from '../rigs/agent/agent.ts';
import type { BrokerAccess } from '../rigs/mqtt/brokerClient.ts';
import { closeSerialPort, openSerialPort } from '../rigs/serial/serialPort.ts';
import { OptionError, positiveInteger, stopOnSignal } from './commandLine.ts';

/** The options of `agent` as commander hands them over (all strings). */
export interface AgentFlags {
  port: string;
  baudRate: string;
  terminal: string;
  broker: string;
  leaseTimeoutMaxMs?: string;
}

export interface AgentSettings {
  readonly port: string;
  readonly baudRate: number;
  readonly terminalId: string;
  readonly broker: BrokerAccess;
  readonly maxLeaseTimeoutMs?: number;
}

/** Turns flags and environment into the agent's settings; errors name the option or variable. */
export function agentSettings(flags: AgentFlags, env: NodeJS.ProcessEnv = process.env): AgentSettings {
  const problem = topicLevelProblem(flags.terminal);
  if (problem) throw new OptionError('--terminal', `the TID is one level of a topic: ${problem}`);
  let url: URL;
  try {
    url = new URL(flags.broker);
  } catch {
    throw new OptionError('--broker', `expected mqtt://host:port or mqtts://host:port, got "${flags.broker}"`);
  }
  if (url.protocol !== 'mqtt:' && url.protocol !== 'mqtts:')
    throw new OptionError('--broker', `expected mqtt:// or mqtts://, got "${url.protocol}//"`);
  const tlsFile = (variable: string): string | undefined => {
    const file = env[variable];
    if (file === undefined || file === '') return undefined;
    if (!existsSync(file)) throw new OptionError(variable, `no such file: ${file}`);
    return file;
  };
  const tls = url.protocol === 'mqtts:' ? tlsFiles(tlsFile) : undefined;
  const password = env.POSRIG_MQTT_PASSWORD;
  const broker: BrokerAccess = {
    url: flags.broker,
    username: env.POSRIG_MQTT_USERNAME || `terminal-${flags.terminal}`,
    ...(password !== undefined ? { password } : {}),
    ...(tls ? { tls } : {}),
  };
  const settings = {
    port: flags.port,
    baudRate: positiveInteger(flags.baudRate, '--baud-rate'),
    terminalId: flags.terminal,
    broker,
  };
  if (flags.leaseTimeoutMaxMs === undefined) return settings;
  const max = positiveInteger(flags.leaseTimeoutMaxMs, '--lease-timeout-max-ms');
  if (max < 100) throw new OptionError('--lease-timeout-max-ms', `a lease timeout is at least 100 ms, got ${max}`);
  return { ...settings, maxLeaseTimeoutMs: max };
}

function tlsFiles(file: (variable: string) => string | undefined): BrokerAccess['tls'] {
  const ca = file('POSRIG_MQTT_CA');
  const cert = file('POSRIG_MQTT_CERT');
  const key = file('POSRIG_MQTT_KEY');
  return { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
}

/** The broker's URL as it may be printed: no user name or password in it. */
function shownUrl(text: string): string {
  const url = new URL(text);
  url.username = '';
  url.password = '';
  return url.toString().replace(/\/$/, '');
}

/** Adds `agent` to the posrig program. */
export function registerAgent(program: Command): void {
  program
    .command('agent')
    .description("bridge a terminal's serial ECR link to an MQTT broker, leased to one controller at a time")
    .requiredOption('--port <path>', 'serial device of the terminal (/dev/ttyUSB0, a PTY end)')
    .option('--baud-rate <baud>', 'serial line speed', '115200')
    .requiredOption('--terminal <tid>', "the terminal's TID: its topics are posrig/v1/{TID}/…")
    .requiredOption('--broker <url>', 'mqtt://host:port or mqtts://host:port')
    .option('--lease-timeout-max-ms <ms>', 'the longest heartbeat timeout a controller may ask for (default 3600000)')
    .action(async (flags: AgentFlags) => {
      await runAgent(agentSettings(flags));
    });
}

async function runAgent(settings: AgentSettings): Promise<void> {
  const port = await openSerialPort({ path: settings.port, baudRate: settings.baudRate });
  const say = (line: string) => process.stderr.write(`posrig agent: ${line}\n`);
  port.on('link-error', (error: Error) => say(error.message));
  let agent: Awaited<ReturnType<typeof startAgent>>;
  try {
    agent = await startAgent({
      port,
      terminalId: settings.terminalId,
      broker: settings.broker,
      log: say,
      ...(settings.maxLeaseTimeoutMs !== undefined ? { maxLeaseTimeoutMs: settings.maxLeaseTimeoutMs } : {}),
    });
  } catch (error) {
    await closeSerialPort(port);
    throw error;
  }
  const stopped = stopOnSignal('posrig agent', async () => {
    await agent.stop();
    await closeSerialPort(port);
  });
  say(`${settings.terminalId} bridged to ${shownUrl(settings.broker.url)}`);
  await stopped;
}
