#!/usr/bin/env node
// Entry point: loads tsx so the TypeScript sources run without a build step, then the CLI.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
