import { readFileSync } from 'node:fs';
import type { DestinationStream } from 'pino';
import { resolveApiToken } from './api-token.js';
import { parseCommandLine, USAGE } from './cli-args.js';
import { loadConfig, printableSettings, type DaemonConfig } from './config.js';
import { startDaemon, type Daemon, type DaemonDeps } from './daemon.js';
import { ConfigError, DaemonError, TokenFileError } from './errors.js';
import { createLogging } from './logging.js';

/** Hard deadline for a signal-triggered shutdown; the issue asks for an exit within 2 s. */
export const SHUTDOWN_DEADLINE_MS = 1800;

/** Process surface {@link runAltod} uses; injectable for tests. */
export interface RunEnvironment {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Writes human output (help, version, fatal one-liners). */
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Where JSON logs go; default stderr. */
  readonly logDestination?: DestinationStream;
  /** Registers a signal handler; default `process.on`. */
  readonly onSignal?: (signal: NodeJS.Signals, handler: () => void) => void;
  readonly exit: (code: number) => void;
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/**
 * Runs `altod`: parses flags/env/config, sets up logging and the API token, starts the daemon
 * and wires signals (SIGTERM/SIGINT leave and exit 0 within 2 s, SIGHUP reloads the config file).
 * Configuration problems print one line and exit 2. Resolves with the running daemon, or
 * undefined when it exited early (help, version, bad config).
 */
export async function runAltod(deps: DaemonDeps, run: RunEnvironment): Promise<Daemon | undefined> {
  let config: DaemonConfig;
  let commandLine;
  try {
    commandLine = parseCommandLine(run.argv);
    if (commandLine.help) {
      run.stdout(USAGE);
      run.exit(0);
      return undefined;
    }
    if (commandLine.version) {
      run.stdout(`altod ${packageVersion()}\n`);
      run.exit(0);
      return undefined;
    }
    config = loadConfig({ flags: commandLine.flags, configPath: commandLine.configPath, env: run.env });
    if (commandLine.printSettings) {
      run.stdout(`${JSON.stringify(printableSettings({ flags: commandLine.flags, configPath: commandLine.configPath, env: run.env }), null, 2)}\n`);
      run.exit(0);
      return undefined;
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      run.stderr(`altod: ${error.message}\n`);
      run.exit(2);
      return undefined;
    }
    throw error;
  }
  const sources = { flags: commandLine.flags, configPath: commandLine.configPath, env: run.env };
  const logging = createLogging({
    level: config.logLevel,
    ...(run.logDestination !== undefined ? { destination: run.logDestination } : {}),
  });
  const { logger } = logging;
  for (const secret of [config.apiKey, config.apiSecret, config.token]) logging.addSecret(secret);

  let daemon: Daemon;
  try {
    const apiToken = resolveApiToken({ envToken: run.env.ALTOD_API_TOKEN, tokenFile: config.tokenFile });
    logging.addSecret(apiToken.token);
    logger.info('API token ready', { source: apiToken.source, path: apiToken.path });
    daemon = await startDaemon({ config, deps, apiToken: apiToken.token, logger, version: packageVersion() });
  } catch (error) {
    if (error instanceof DaemonError) {
      run.stderr(`altod: ${error.message}\n`);
      run.exit(error instanceof TokenFileError ? 2 : 1);
      return undefined;
    }
    throw error;
  }

  const onSignal = run.onSignal ?? ((signal, handler) => process.on(signal, handler));
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    // The native layer can wedge on dispose; never let that keep a supervised daemon alive.
    const deadline = setTimeout(() => {
      logger.warn('shutdown deadline reached; exiting without a clean leave', { deadlineMs: SHUTDOWN_DEADLINE_MS });
      run.exit(0);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    daemon.stop().then(
      () => {
        clearTimeout(deadline);
        logger.info('stopped', {});
        run.exit(0);
      },
      (error: unknown) => {
        clearTimeout(deadline);
        logger.error('shutdown failed', { err: error instanceof Error ? error.message : String(error) });
        run.exit(0);
      },
    );
  };
  onSignal('SIGTERM', () => shutdown('SIGTERM'));
  onSignal('SIGINT', () => shutdown('SIGINT'));
  onSignal('SIGHUP', () => {
    let next: DaemonConfig;
    try {
      next = loadConfig(sources);
    } catch (error) {
      logger.error('config reload failed; keeping the running configuration', {
        err: error instanceof Error ? error.message : String(error),
      });
      return;
    }
    for (const secret of [next.apiKey, next.apiSecret, next.token]) logging.addSecret(secret);
    logging.setLevel(next.logLevel);
    daemon.reload(next).then(
      (changed) => logger.info('config reloaded', { changed }),
      (error: unknown) => logger.error('config reload failed', { err: error instanceof Error ? error.message : String(error) }),
    );
  });
  return daemon;
}
