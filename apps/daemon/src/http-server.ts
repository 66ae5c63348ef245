import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { chmod, lstat, unlink } from 'node:fs/promises';
import { bearerToken, tokensMatch } from './api-token.js';
import type { ListenEndpoint } from './config.js';
import { ApiError, ListenError } from './errors.js';
import { sendError, sendJson } from './http-io.js';
import type { DaemonLogger } from './logging.js';
import { ROUTES, sendResult, type RouteContext } from './routes.js';

/** Options of {@link createApiServer}. */
export interface ApiServerOptions {
  readonly context: RouteContext;
  /** The bearer token every route but /healthz requires. */
  readonly apiToken: string;
  readonly logger: DaemonLogger;
  /** Accept any Host header (`--allow-remote`); otherwise only the bound address or localhost. */
  readonly allowRemote?: boolean;
}

/** The control API server. */
export interface ApiServer {
  readonly server: Server;
  /** Binds the endpoint; resolves with the bound address (`host:port` or the socket path). */
  listen(endpoint: ListenEndpoint): Promise<string>;
  /** Stops accepting, ends event streams and closes idle connections. */
  close(): Promise<void>;
}

function routeLabel(path: string): string {
  if (path === '/healthz') return path;
  return ROUTES.find((r) => r.pattern.test(path))?.path ?? 'unknown';
}

/**
 * Handles one request: /healthz without auth; everything else needs the bearer token (checked
 * before routing, so unauthenticated callers learn nothing about which routes exist), then 404
 * for unknown paths, 405 with `Allow` for known paths with the wrong method, and the handler.
 */
async function handle(req: IncomingMessage, res: ServerResponse, options: ApiServerOptions, hosts: ReadonlySet<string> | undefined): Promise<string> {
  const method = req.method ?? 'GET';
  // A web page whose DNS name was rebound to 127.0.0.1 sends its own name as Host: refuse it.
  if (hosts !== undefined && !hosts.has((req.headers.host ?? '').toLowerCase())) {
    throw new ApiError(421, 'wrong_host', 'the Host header must name the address altod listens on (or localhost); start altod with --allow-remote to accept other names');
  }
  // The request target as sent, without the query; not URL-normalised, so `//x` or `/a/../b`
  // are simply unknown routes rather than being reinterpreted as hosts or other paths.
  const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
  if (path === '/healthz') {
    if (method !== 'GET' && method !== 'HEAD') {
      throw new ApiError(405, 'method_not_allowed', `${method.slice(0, 16)} is not allowed on /healthz; use GET`);
    }
    sendJson(res, 200, { ok: true });
    return path;
  }
  const presented = bearerToken(req.headers.authorization);
  if (presented === undefined || !tokensMatch(options.apiToken, presented)) {
    const err = new ApiError(
      401,
      'unauthorized',
      presented === undefined
        ? 'missing "Authorization: Bearer <token>"; the token is in the daemon token file (default ~/.config/altod/token)'
        : 'wrong API token; use the content of the daemon token file or ALTOD_API_TOKEN',
    );
    sendError(res, err, { 'www-authenticate': 'Bearer realm="altod"' });
    return routeLabel(path);
  }
  const candidates = ROUTES.filter((route) => route.pattern.test(path));
  if (candidates.length === 0) {
    throw new ApiError(404, 'not_found', `no route ${path.slice(0, 100)}; see apps/daemon/openapi.json for the API`);
  }
  const route = candidates.find((r) => r.method === method);
  if (route === undefined) {
    const allow = candidates.map((r) => r.method).join(', ');
    const err = new ApiError(405, 'method_not_allowed', `${method.slice(0, 16)} is not allowed on ${path.slice(0, 100)}; use ${allow}`);
    sendError(res, err, { allow });
    return routeLabel(path);
  }
  const params = route.pattern.exec(path)?.slice(1) ?? [];
  sendResult(res, await route.handle({ req, res, params, ctx: options.context }));
  return route.path;
}

/** Creates the HTTP control API (node:http, no framework). */
export function createApiServer(options: ApiServerOptions): ApiServer {
  const { logger } = options;
  let hosts: Set<string> | undefined;
  const server = createServer({ requestTimeout: 15_000, headersTimeout: 10_000 }, (req, res) => {
    handle(req, res, options, hosts).then(
      (route) => options.context.metrics.httpRequests.inc({ route, status: String(res.statusCode) }),
      (error: unknown) => {
        const apiError =
          error instanceof ApiError
            ? error
            : new ApiError(500, 'internal', 'the daemon failed to handle this request; see its log');
        if (!(error instanceof ApiError)) {
          logger.error('request failed', { method: req.method, err: error instanceof Error ? error.message : String(error) });
        }
        if (res.headersSent) {
          res.destroy();
        } else {
          // An unread body (413, 415) would otherwise be drained from a possibly hostile client.
          const headers: Record<string, string> = apiError.status === 413 ? { connection: 'close' } : {};
          sendError(res, apiError, headers);
        }
        options.context.metrics.httpRequests.inc({ route: 'error', status: String(apiError.status) });
      },
    );
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (socket.writable && error.code !== 'ECONNRESET') {
      const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
      socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    } else {
      socket.destroy();
    }
  });

  let socketPath: string | undefined;
  const bind = (endpoint: ListenEndpoint): Promise<void> =>
    new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      server.once('error', onError);
      const done = (): void => {
        server.off('error', onError);
        resolve();
      };
      if (endpoint.kind === 'socket') server.listen(endpoint.path, done);
      else server.listen(endpoint.port, endpoint.host, done);
    });

  return {
    server,
    async listen(endpoint) {
      try {
        await bind(endpoint);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (endpoint.kind === 'socket' && code === 'EADDRINUSE' && (await isSocket(endpoint.path)) && !(await socketAlive(endpoint.path))) {
          // A stale socket file from a daemon that died without cleaning up.
          await unlink(endpoint.path);
          await bind(endpoint);
        } else {
          const where = endpoint.kind === 'socket' ? endpoint.path : `${endpoint.host}:${endpoint.port}`;
          const hint =
            endpoint.kind === 'socket' && code === 'EADDRINUSE' && !(await isSocket(endpoint.path))
              ? 'something that is not a socket is at that path and altod never replaces it;'
              : 'is another altod running?';
          throw new ListenError(`cannot listen on ${where} (${code ?? 'error'}); ${hint} choose another --listen/--socket`, {
            cause: error,
          });
        }
      }
      if (endpoint.kind === 'socket') {
        socketPath = endpoint.path;
        await chmod(endpoint.path, 0o600);
        return endpoint.path;
      }
      const address = server.address();
      if (address === null || typeof address === 'string') return String(address);
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      if (!options.allowRemote) hosts = allowedHosts(endpoint.kind === 'tcp' ? endpoint.host : host, address.port);
      return `${host}:${address.port}`;
    },
    async close() {
      options.context.events.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      if (socketPath !== undefined) await unlink(socketPath).catch(() => undefined);
    },
  };
}

/** Host header values a local client sends for this address: the bound host and the loopback names, with or without the port. */
function allowedHosts(bound: string, port: number): Set<string> {
  const names = new Set(['localhost', '127.0.0.1', '[::1]', bound.includes(':') && !bound.startsWith('[') ? `[${bound}]` : bound]);
  const hosts = new Set<string>();
  for (const name of names) {
    hosts.add(name.toLowerCase());
    hosts.add(`${name.toLowerCase()}:${port}`);
  }
  return hosts;
}

async function isSocket(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isSocket();
  } catch {
    return false;
  }
}

function socketAlive(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}
