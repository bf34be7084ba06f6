// The ECR test link between harness and terminal: frames, messages and the stop-and-wait link. Spec: docs/protocol.md.
export * from './frame.ts';
export * from './link.ts';
export * from './messageLink.ts';
export * from './messages.ts';
