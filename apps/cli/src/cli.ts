import { readFileSync } from 'node:fs';
import type { Logger } from '@alto/mixer-core';
import { parseCommand, type CliConfig, type ParseContext } from './args.js';
import { toExit, reportExit } from './exit.js';
import { argvWantsVerbose } from './flags.js';
import { sessionHelp, tokenHelp } from './help.js';
import { createLogger } from './logging.js';
import { mintToken } from './token.js';

/** Where the CLI reads and writes: the real process by default, fakes in tests. */
export interface CliIo extends ParseContext {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/** The version from the app's package.json (works from src/ and dist/ alike). */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

/**
 * Joins the room and runs until the user quits, `--duration` elapses or a signal arrives.
 * Placeholder until the orchestrator exists: the lead replaces this body.
 */
export function runSession(config: CliConfig, logger: Logger): Promise<void> {
  logger.debug('session config', { url: config.url, room: config.roomName, identity: config.identity });
  return Promise.reject(new Error('not wired yet'));
}

/** Prints the audio devices on stdout. Placeholder until device-io exists: the lead replaces it. */
export function listDevices(logger: Logger, _out: CliIo['stdout']): Promise<void> {
  logger.debug('listing devices');
  return Promise.reject(new Error('not wired yet'));
}

/**
 * Runs the CLI for `argv` and returns the exit status: 0 ok, 1 runtime failure, 2 usage error.
 * Errors print one line on stderr (plus the stack with `-v`); stdout carries only real output.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const verbose = argvWantsVerbose(argv);
  try {
    const command = parseCommand(argv, io, { session: sessionHelp, token: tokenHelp });
    switch (command.kind) {
      case 'help':
        io.stdout.write(command.text);
        return 0;
      case 'version':
        io.stdout.write(`alto ${version()}\n`);
        return 0;
      case 'token':
        io.stdout.write(`${await mintToken(command.request)}\n`);
        return 0;
      case 'listDevices':
        await listDevices(createLogger({ verbose: command.verbose }), io.stdout);
        return 0;
      case 'session':
        await runSession(command.config, createLogger({ verbose: command.config.verbose }));
        return 0;
    }
  } catch (err) {
    return reportExit(toExit(err, verbose), io.stderr);
  }
}
