import type { BackoffOptions } from '@alto/orchestrator';
import type { DaemonConfig } from './config.js';
import { createApiServer, type ApiServer } from './http-server.js';
import type { DaemonLogger } from './logging.js';
import { createMetrics, type DaemonMetrics } from './metrics.js';
import type { ListDevices } from './routes.js';
import { EventStreamHub } from './sse.js';
import { ClientSupervisor, type ClientFactory, type ConnectionSettings } from './supervisor.js';

/** What the daemon gets from the orchestrator, injected so tests can pass a fake. */
export interface DaemonDeps {
  /** `(options) => new AltoClient(options)` in production. */
  readonly createClient: ClientFactory;
  /** The orchestrator's `listDevices`. */
  readonly listDevices: ListDevices;
  /** Releases process-wide resources (the LiveKit runtime) after the last client left. */
  readonly dispose?: () => Promise<void>;
}

/** Options of {@link startDaemon}. */
export interface StartDaemonOptions {
  readonly config: DaemonConfig;
  readonly deps: DaemonDeps;
  /** The control API bearer token. */
  readonly apiToken: string;
  readonly logger: DaemonLogger;
  readonly version?: string;
  readonly backoff?: BackoffOptions;
  /** Interval of the SSE `levels` event. Default 100 ms. */
  readonly levelIntervalMs?: number;
}

/** A running daemon. */
export interface Daemon {
  /** Where the API listens: `host:port` or the socket path. */
  readonly address: string;
  readonly supervisor: ClientSupervisor;
  readonly server: ApiServer;
  readonly metrics: DaemonMetrics;
  /** Applies a reloaded configuration; returns the names of the settings that changed. */
  reload(next: DaemonConfig): Promise<string[]>;
  /** Closes the API and leaves the room (flushing recordings). */
  stop(): Promise<void>;
}

/** The part of the config that shapes the client. */
export function connectionSettings(config: DaemonConfig): ConnectionSettings {
  const { listen: _listen, allowRemote: _allowRemote, tokenFile: _tokenFile, join: _join, logLevel: _logLevel, configPath: _configPath, filePolicy: _filePolicy, ...settings } = config;
  return settings;
}

/**
 * Starts the daemon: binds the control API, then (unless `join` is false) starts joining the
 * room in the background — the API is up even while the LiveKit server is unreachable.
 */
export async function startDaemon(options: StartDaemonOptions): Promise<Daemon> {
  const { logger } = options;
  let config = options.config;
  const supervisor = new ClientSupervisor({
    createClient: options.deps.createClient,
    settings: connectionSettings(config),
    logger,
    ...(options.backoff !== undefined ? { backoff: options.backoff } : {}),
  });
  const metrics = createMetrics(supervisor);
  const events = new EventStreamHub({
    supervisor,
    onClientCount: (count) => metrics.sseClients.set(count),
    ...(options.levelIntervalMs !== undefined ? { levelIntervalMs: options.levelIntervalMs } : {}),
  });
  supervisor.on('event', (event) => {
    if (event.type === 'state') logger.info('connection state', { state: event.state, reason: event.reason });
    else if (event.type === 'participantJoined' || event.type === 'participantLeft') {
      logger.info(event.type === 'participantJoined' ? 'participant joined' : 'participant left', { identity: event.identity });
    } else if (event.type === 'error') logger.warn('client error', { code: event.code, err: event.message });
  });
  // Listing spawns an audio host process: share one listing among concurrent requests.
  let listing: Promise<readonly object[]> | undefined;
  const listDevices: ListDevices = () => {
    listing ??= options.deps.listDevices().finally(() => {
      listing = undefined;
    });
    return listing;
  };
  // Reloads replace the policy the routes read.
  let filePolicy = config.filePolicy;
  const server = createApiServer({
    apiToken: options.apiToken,
    logger,
    allowRemote: config.allowRemote,
    context: {
      filePolicy: () => filePolicy,
      supervisor,
      listDevices,
      metrics,
      events,
      startedAt: Date.now(),
      version: options.version ?? '0.0.0',
    },
  });
  const address = await server.listen(config.listen);
  logger.info('control API listening', { address });
  if (config.join) {
    void supervisor.join();
  } else {
    logger.info('not joining until POST /v1/join');
  }

  return {
    address,
    supervisor,
    server,
    metrics,
    async reload(next) {
      const changed = await supervisor.applySettings(connectionSettings(next));
      if (JSON.stringify(next.listen) !== JSON.stringify(config.listen) || next.allowRemote !== config.allowRemote) {
        logger.warn('listen address changes apply after a restart', {});
      }
      if (next.tokenFile !== config.tokenFile) logger.warn('token file changes apply after a restart', {});
      if (next.logLevel !== config.logLevel) changed.push('logLevel');
      if (JSON.stringify(next.filePolicy) !== JSON.stringify(config.filePolicy)) changed.push('filePolicy');
      filePolicy = next.filePolicy;
      config = next;
      return changed;
    },
    async stop() {
      await server.close();
      await supervisor.leave();
      await options.deps.dispose?.();
    },
  };
}
