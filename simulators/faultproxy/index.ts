// The network fault proxy between terminal and acquirer: ISO 8583 length framing aware, rules armed in-process.

export { alterBody, otherValue } from './alterMessage.ts';
export { ConnectionPipe, type Verdict } from './connectionPipe.ts';
export { type FaultLogEntry, faultLogLine, faultLogWhat, type ProxyMessage } from './faultLog.ts';
export { FaultProxy, type FaultProxyOptions } from './faultProxy.ts';
export {
  ALTERABLE_FIELDS,
  type AlterableField,
  type Direction,
  describeRule,
  directionArrow,
  type FaultAction,
  FaultProxyError,
  type FaultRule,
  isConnectionAction,
  validateRule,
} from './faultRule.ts';
export { type ArmedRule, FaultRules } from './faultRules.ts';
export { corruptBody, describeMessage, type MessageSummary, readMessage } from './messageInfo.ts';
