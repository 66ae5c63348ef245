/**
 * `altod` entry point: `bin/altod.js` imports this module, which runs the daemon.
 * Everything testable lives in the other modules; this file only wires the process.
 * @packageDocumentation
 */
import { AltoClient, createDefaultComponents, listDevices, shutdownNetworkRuntime } from '@alto/orchestrator';
import type { DaemonDeps } from './daemon.js';
import { runAltod } from './run.js';

// The orchestrator client factory: the only place the daemon meets the real client. Tests pass
// a fake factory to `runAltod`/`startDaemon` instead.
const deps: DaemonDeps = {
  createClient: (options, playback) =>
    new AltoClient(
      options,
      createDefaultComponents({
        ...(playback.jitterBufferMs !== undefined ? { targetLatencyMs: playback.jitterBufferMs } : {}),
        ...(playback.deviceFallback === false ? { deviceFallback: false } : {}),
      }),
    ),
  listDevices: () => listDevices(),
  // Releases the LiveKit native runtime, which otherwise keeps the process alive.
  dispose: () => shutdownNetworkRuntime(1000),
};

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
