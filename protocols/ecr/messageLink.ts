// What carries ECR messages between harness and terminal, whatever is under it: the framed serial link (EcrLink) or
// MQTT (protocols/mqtt/mqttEcrLink.ts). The terminal driver and the simulated terminal speak to this only, so no
// feature can tell which link it runs on.

import type { EcrMessage } from './messages.ts';

export interface MessageLink {
  /** Resolves once the peer's side has the message (an ACK; a PUBACK); rejects when it cannot be delivered. */
  send(message: EcrMessage): Promise<void>;
  on(event: 'message', listener: (message: EcrMessage) => void): this;
  /** A message that arrived but is no valid message (EcrMessageError), or a link-level problem. */
  on(event: 'fault', listener: (fault: Error) => void): this;
  /** Lets go of what is under it; pending sends reject. */
  close(): void;
}
