/**
 * Entry point of `alto` (bin/alto.js imports the built copy). Everything testable lives in
 * cli.ts; this file only binds it to the real process.
 */
import { installShutdownHandlers, shutdownRequested } from './shutdown-signal.js';

// Ctrl+C while the modules are still loading must also exit 0, not die with 130 or be lost.
installShutdownHandlers();
const { main } = await import('./cli.js');
if (shutdownRequested()) process.exit(0);

// The LiveKit native runtime keeps the event loop alive after leaving: exit explicitly.
process.exit(
  await main(process.argv.slice(2), {
    env: process.env,
    cwd: process.cwd(),
    stdoutIsTTY: process.stdout.isTTY === true,
    stdinIsTTY: process.stdin.isTTY === true,
    stdout: process.stdout,
    stderr: process.stderr,
    // Only touched (and so opened) when push-to-talk reads toggles from it.
    get stdin() {
      return process.stdin;
    },
  }),
);
