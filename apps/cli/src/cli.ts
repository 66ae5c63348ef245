import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { parseCommand, type ParseContext } from './args.js';
import { toExit, reportExit } from './exit.js';
import { argvWantsVerbose, secretFlagWarnings } from './flags.js';
import { NoServerError } from './errors.js';
import { gettingStartedHelp, sessionHelp, tokenHelp } from './help.js';
import { createLogger } from './logging.js';
import { printDevices, runSession } from './session.js';
import { mintToken, type MintTokenOptions } from '@alto/orchestrator';
import type { Credentials, TokenRequest } from './args.js';

/** Where the CLI reads and writes: the real process by default, fakes in tests. */
export interface CliIo extends ParseContext {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** Plain mode reads push-to-talk toggles here. */
  readonly stdin?: Readable;
}

/** The version from the app's package.json (works from src/ and dist/ alike). */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

/**
 * Runs the CLI for `argv` and returns the exit status: 0 ok, 1 runtime failure, 2 usage error.
 * Errors print one line on stderr (plus the stack with `-v`); stdout carries only real output.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const verbose = argvWantsVerbose(argv);
  try {
    const command = parseCommand(argv, io, { session: sessionHelp, token: tokenHelp });
    if (command.kind === 'session' || command.kind === 'token') {
      for (const warning of secretFlagWarnings(argv)) io.stderr.write(`${warning}\n`);
    }
    switch (command.kind) {
      case 'help':
        io.stdout.write(command.text);
        return 0;
      case 'version':
        io.stdout.write(`alto ${version()}\n`);
        return 0;
      case 'token':
        io.stdout.write(`${await mintToken(mintOptions(command.request))}\n`);
        return 0;
      case 'printSettings':
        io.stdout.write(`${JSON.stringify(command.settings, (_key, value: unknown) => value ?? null, 2)}\n`);
        return 0;
      case 'listDevices':
        await printDevices(createLogger({ verbose: command.verbose }), io.stdout);
        return 0;
      case 'session':
        await runSession(
          command.config,
          // While the TUI owns the terminal, log lines would tear its frames: errors still end the run.
          createLogger({
            verbose: command.config.verbose,
            secrets: knownSecrets(command.config.credentials),
            ...(command.config.tui && !command.config.verbose ? { level: 'silent' as const } : {}),
          }),
          io,
        );
        return 0;
    }
  } catch (err) {
    if (argv.length === 0 && err instanceof NoServerError) {
      io.stderr.write(gettingStartedHelp());
      return 2;
    }
    return reportExit(toExit(err, verbose), io.stderr);
  }
}

/** `alto token` mints with livekit-net's minter: join one room, publish the microphone only, unless a grant flag narrows it. */
function mintOptions(request: TokenRequest): MintTokenOptions {
  const { ttlSec, name, canPublish, canSubscribe, canPublishData, ...rest } = request;
  return {
    ...rest,
    ttlSeconds: ttlSec,
    ...(name === undefined ? {} : { name }),
    ...(canPublish === undefined ? {} : { canPublish }),
    ...(canSubscribe === undefined ? {} : { canSubscribe }),
    ...(canPublishData === undefined ? {} : { canPublishData }),
  };
}

/** The credential values a session holds, scrubbed from its log by value wherever they appear. */
function knownSecrets(credentials: Credentials): string[] {
  return credentials.kind === 'token' ? [credentials.token] : [credentials.apiSecret];
}
