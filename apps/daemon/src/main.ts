/**
 * `altod` entry point: `bin/altod.js` imports this module, which runs the daemon.
 * Everything testable lives in the other modules; this file only wires the process.
 * @packageDocumentation
 */
import type { AltoClientApi, AltoClientOptions } from '@alto/orchestrator';
import type { DaemonDeps } from './daemon.js';
import { DaemonError } from './errors.js';
import { runAltod } from './run.js';

// ─── ORCHESTRATOR WIRING (lead: replace this block) ─────────────────────────────────────────
// When `@alto/orchestrator` exports `AltoClient` and `listDevices`, replace the two
// placeholders with:
//   import { AltoClient, listDevices } from '@alto/orchestrator';
//   const deps: DaemonDeps = { createClient: (options) => new AltoClient(options), listDevices };
const deps: DaemonDeps = {
  createClient: (_options: AltoClientOptions): AltoClientApi => {
    throw new DaemonError('not_wired', 'this build of altod has no orchestrator client wired in; rebuild with @alto/orchestrator');
  },
  listDevices: () => Promise.reject(new DaemonError('not_wired', 'device listing is not wired in this build')),
};
// ─────────────────────────────────────────────────────────────────────────────────────────────

process.on('unhandledRejection', (reason) => {
  process.stderr.write(`${JSON.stringify({ level: 50, app: 'altod', msg: 'unhandled rejection', err: String(reason) })}\n`);
});

await runAltod(deps, {
  argv: process.argv.slice(2),
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  exit: (code) => process.exit(code),
});
