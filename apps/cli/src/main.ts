/**
 * Entry point of `alto` (bin/alto.js imports the built copy). Everything testable lives in
 * cli.ts; this file only binds it to the real process.
 */
import { main } from './cli.js';

process.exitCode = await main(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  stdoutIsTTY: process.stdout.isTTY === true,
  stdout: process.stdout,
  stderr: process.stderr,
});
