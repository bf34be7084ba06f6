// The report thread's entry point: TypeScript through tsx (a worker thread does not inherit the loader of the
// thread that started it), then the formatters (reportWriters.ts).
import { register } from 'tsx/esm/api';

register();
await import('./reportWriters.ts');
