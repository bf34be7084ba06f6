// The armed rules of one proxy: arming order, matching, counting `times`, and `forMs` expiry.
//   const rules = new FaultRules({ onExpired: (id, rule) => log(id, 'expired') });
//   const id = rules.arm({ action: { kind: 'swallow' }, mti: '0210' });
//   rules.takeForMessage('response', '0210') → { id, rule } (and the rule is used up after `times` matches)

import { clock, type Timer } from '../../protocols/domain/clock.ts';
import { type Direction, type FaultRule, isConnectionAction, validateRule } from './faultRule.ts';

export interface ArmedRule {
  id: number;
  rule: FaultRule & { times: number };
}

interface Slot extends ArmedRule {
  remaining: number;
  timer: Timer | undefined;
}

export class FaultRules {
  private readonly armed: Slot[] = [];
  private nextId = 1;
  private readonly onExpired: (armed: ArmedRule) => void;

  constructor(hooks: { onExpired?: (armed: ArmedRule) => void } = {}) {
    this.onExpired = hooks.onExpired ?? (() => {});
  }

  /** Validates and arms a rule (after those already armed); returns its id. */
  arm(input: FaultRule): ArmedRule {
    const rule = validateRule(input);
    const slot: Slot = { id: this.nextId++, rule, remaining: rule.times, timer: undefined };
    if (rule.forMs !== undefined) {
      slot.timer = clock.setTimeout(() => {
        slot.timer = undefined;
        if (this.remove(slot)) this.onExpired(slot);
      }, rule.forMs);
    }
    this.armed.push(slot);
    return { id: slot.id, rule };
  }

  /** The rules still armed, in arming order. */
  list(): ArmedRule[] {
    return this.armed.map(({ id, rule }) => ({ id, rule }));
  }

  /** The first armed connection rule (refuse/blackhole), counted as used once; undefined when none. */
  takeForConnection(): ArmedRule | undefined {
    return this.take((slot) => isConnectionAction(slot.rule.action));
  }

  /** The first armed message rule matching this direction and MTI, counted as used once; undefined when none. */
  takeForMessage(direction: Direction, mti: string): ArmedRule | undefined {
    return this.take(
      ({ rule }) =>
        !isConnectionAction(rule.action) &&
        (rule.direction === undefined || rule.direction === direction) &&
        (rule.mti === undefined || rule.mti === mti),
    );
  }

  /** Disarms every rule and clears their timers; returns those that were armed. */
  clear(): ArmedRule[] {
    const disarmed = this.armed.splice(0);
    for (const slot of disarmed) clock.clearTimeout(slot.timer);
    return disarmed.map(({ id, rule }) => ({ id, rule }));
  }

  private take(matches: (slot: Slot) => boolean): ArmedRule | undefined {
    const slot = this.armed.find(matches);
    if (!slot) return undefined;
    slot.remaining -= 1;
    if (slot.remaining <= 0) {
      clock.clearTimeout(slot.timer);
      this.remove(slot);
    }
    return { id: slot.id, rule: slot.rule };
  }

  private remove(slot: Slot): boolean {
    const index = this.armed.indexOf(slot);
    if (index < 0) return false;
    this.armed.splice(index, 1);
    return true;
  }
}
