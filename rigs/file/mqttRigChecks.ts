// Rig file checks of an MQTT link (terminal.link.kind: mqtt) and a Tasmota relay: which terminal, which broker, who
// starts what. They see the file as parsed, before validation, like rigChecks.ts.
//   mqttLinkProblems({ terminal: { link: { kind: 'mqtt', agent: 'pty:a' } } })
//     → [{ path: ['terminal', 'link', 'agent'], message: 'starts a simulated terminal behind posrig agent: …' }]

import { ptyNameProblem } from '../serial/ptyPair.ts';
import { at, has, isObject } from './parsedYaml.ts';
import type { KeyProblem } from './yamlFile.ts';

/** Every problem of an MQTT link that is about more than one key. */
export function mqttLinkProblems(content: unknown): KeyProblem[] {
  const terminal = at(content, 'terminal');
  const link = at(terminal, 'link');
  if (!isObject(terminal) || !isObject(link) || link.kind !== 'mqtt') return tasmotaProblems(content, false);
  const where = (key: string) => ['terminal', 'link', key];
  const problems: KeyProblem[] = [];
  const simulated = has(terminal, 'simulate');
  const pool = has(link, 'terminals');
  const embedded = link.broker === undefined || link.broker === 'embedded';
  if (!has(terminal, 'id') && !has(link, 'terminal') && !pool)
    problems.push({
      path: ['terminal', 'id'],
      message: 'name the terminal: terminal.id, terminal.link.terminal, or a pool in terminal.link.terminals',
    });
  if (has(terminal, 'id') && has(link, 'terminal') && terminal.id !== link.terminal)
    problems.push({
      path: where('terminal'),
      message: `${JSON.stringify(link.terminal)} is not terminal.id ${JSON.stringify(terminal.id)}: give one of them`,
    });
  if (pool) {
    if (has(terminal, 'id') || has(link, 'terminal'))
      problems.push({
        path: where('terminals'),
        message: 'a pool names its terminals here only: remove terminal.id and terminal.link.terminal',
      });
    if (simulated)
      problems.push({
        path: where('terminals'),
        message:
          'a pool is of lab terminals behind posrig agent; a simulated terminal is started by its own rig: remove terminal.simulate or the pool',
      });
    if (link.lease === false)
      problems.push({
        path: where('lease'),
        message: 'a pool is shared by leases: a worker without one could take a terminal another holds',
      });
  }
  if (has(link, 'agent')) {
    if (!simulated)
      problems.push({
        path: where('agent'),
        message:
          'starts a simulated terminal behind posrig agent: for a real terminal, run `posrig agent --port …` on the machine it is plugged into and name its TID here',
      });
    const agent = link.agent;
    const problem =
      typeof agent !== 'string' || !agent.startsWith('pty:')
        ? `expected "pty:NAME" (the simulated terminal's PTY pair), got ${JSON.stringify(agent)}`
        : ptyNameProblem(agent.slice('pty:'.length));
    if (problem) problems.push({ path: where('agent'), message: problem });
    if (link.lease === false)
      problems.push({
        path: where('lease'),
        message: 'posrig agent serves one controller at a time, by lease: remove lease: false',
      });
  }
  if (embedded && !simulated)
    problems.push({
      path: where('broker'),
      message:
        'the embedded broker lives inside this posrig process, on a free port no lab terminal or agent knows: give the lab broker\'s URL ("mqtt://host:1883")',
    });
  if (has(link, 'tls') && !(typeof link.broker === 'string' && link.broker.startsWith('mqtts://')))
    problems.push({ path: where('tls'), message: 'TLS options need an mqtts:// broker' });
  return [...problems, ...tasmotaProblems(content, true)];
}

/** A Tasmota relay is on a broker: the one it names, or the terminal's MQTT broker. */
function tasmotaProblems(content: unknown, mqttLink: boolean): KeyProblem[] {
  const power = at(content, 'power');
  if (!isObject(power) || power.kind !== 'tasmota') return [];
  if (!mqttLink && !has(power, 'broker'))
    return [
      {
        path: ['power', 'broker'],
        message: 'a Tasmota relay needs a broker: give power.broker, or put the terminal on an MQTT link',
      },
    ];
  if (has(at(content, 'terminal'), 'simulate') && has(power, 'broker'))
    return [
      {
        path: ['power', 'broker'],
        message: "a simulated terminal's Tasmota relay is simulated on the terminal's own broker: remove power.broker",
      },
    ];
  return [];
}
