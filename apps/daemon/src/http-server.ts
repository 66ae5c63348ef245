import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { chmod, lstat, unlink } from 'node:fs/promises';
import { getRequestListener } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import type { ApiEnv, ApiRoute, RouteResult } from './api-route.js';
import { stringifyJsonSafe } from '@alto/orchestrator';
import { bearerToken, tokensMatch } from './api-token.js';
import type { ListenEndpoint } from './config.js';
import { ApiError, ListenError } from './errors.js';
import { errorResponse, jsonResponse } from './http-io.js';
import type { DaemonLogger } from './logging.js';
import { ALL_ROUTES, type RouteContext } from './routes.js';

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

/** The request target as sent, without the query; not URL-normalised. */
function rawPath(req: IncomingMessage): string {
  return (req.url ?? '/').split('?', 1)[0] ?? '/';
}

/** Targets a URL parser would reinterpret (`//x`, `/a/../b`, `\`, absolute form): they name no route. */
function isPlainPath(path: string): boolean {
  return path.startsWith('/') && !path.includes('//') && !path.includes('\\') && !/\/\.\.?(\/|$)/.test(path);
}

/** The 401 for a missing or wrong bearer token, or undefined when the token is right. */
function authFailure(header: string | undefined, apiToken: string): ApiError | undefined {
  const presented = bearerToken(header);
  if (presented !== undefined && tokensMatch(apiToken, presented)) return undefined;
  return new ApiError(
    401,
    'unauthorized',
    presented === undefined
      ? 'missing "Authorization: Bearer <token>"; the token is in the daemon token file (default ~/.config/altod/token)'
      : 'wrong API token; use the content of the daemon token file or ALTOD_API_TOKEN',
  );
}

const UNAUTHORIZED_HEADERS = { 'www-authenticate': 'Bearer realm="altod"' };

function notFound(path: string): ApiError {
  return new ApiError(404, 'not_found', `no route ${path.slice(0, 100)}; see the daemon's openapi.json for the API`);
}

/** 405 with `Allow` for a known path and another method, 404 for an unknown path. */
function wrongMethod(routes: readonly ApiRoute[], method: string, path: string): Response {
  const allowed = routes.filter((route) => route.pattern.test(path)).map((route) => route.method);
  if (allowed.length === 0) return errorResponse(notFound(path));
  const allow = allowed.join(', ');
  const err = new ApiError(405, 'method_not_allowed', `${method.slice(0, 16)} is not allowed on ${path.slice(0, 100)}; use ${allow}`);
  return errorResponse(err, { allow });
}

function toResponse(result: RouteResult): Response {
  return result instanceof Response ? result : jsonResponse(result.status, result.body);
}

/**
 * The API as a Hono app: counts every answer by route template; /healthz without auth, everything
 * else needs the bearer token (checked before routing, so unauthenticated callers learn nothing
 * about which routes exist); then the route (body and parameters validated by its schemas), 404
 * for unknown paths and 405 with `Allow` for known paths with another method.
 */
function createApiApp(options: ApiServerOptions, routes: readonly ApiRoute[]): Hono<ApiEnv> {
  const { context: ctx, logger } = options;
  const app = new Hono<ApiEnv>();
  const label = (c: Context<ApiEnv>): string => c.get('route') ?? routes.find((r) => r.pattern.test(rawPath(c.env.incoming)))?.path ?? 'unknown';
  app.use(async (c, next) => {
    await next();
    ctx.metrics.httpRequests.inc({ route: label(c), status: String(c.res.status) });
  });
  app.use(async (c, next) => {
    const path = rawPath(c.env.incoming);
    const open = routes.some((route) => route.public && route.pattern.test(path));
    if (!open) {
      const failure = authFailure(c.req.header('authorization'), options.apiToken);
      if (failure !== undefined) return errorResponse(failure, UNAUTHORIZED_HEADERS);
    }
    // Hono answers HEAD with the GET route; only /healthz offers HEAD (an event stream must not start).
    if (c.req.method === 'HEAD' && !open) return wrongMethod(routes, c.req.method, path);
    await next();
  });
  for (const route of routes) {
    app.on(route.method, route.path.replace(/\{([^}]+)\}/g, ':$1'), async (c) => {
      const path = rawPath(c.env.incoming);
      // Hono matched the percent-decoded path; the route answers only its raw template.
      if (!route.pattern.test(path)) return errorResponse(notFound(path));
      c.set('route', route.path);
      return toResponse(await route.run(c, ctx, path));
    });
  }
  app.notFound((c) => wrongMethod(routes, c.req.method, rawPath(c.env.incoming)));
  app.onError((error, c) => {
    if (error instanceof ApiError) {
      // An unread body (413) would otherwise be drained from a possibly hostile client.
      return errorResponse(error, error.status === 413 ? { connection: 'close' } : {});
    }
    logger.error('request failed', { method: c.req.method, err: error instanceof Error ? error.message : String(error) });
    return errorResponse(new ApiError(500, 'internal', 'the daemon failed to handle this request; see its log'));
  });
  return app;
}

/** Writes an error straight to Node's response (for requests that never reach the app). */
function sendNodeError(res: ServerResponse, error: ApiError, headers: Record<string, string> = {}): void {
  const text = stringifyJsonSafe({ error: { code: error.code, message: error.message } });
  res.writeHead(error.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', ...headers });
  res.end(text);
}

/** Creates the HTTP control API: a Hono app on Node's own HTTP server. */
export function createApiServer(options: ApiServerOptions): ApiServer {
  const { logger } = options;
  let hosts: Set<string> | undefined;
  const app = createApiApp(options, ALL_ROUTES);
  // The adapter's own Request and Response stand in for the global ones (its fast path: JSON
  // answers are written without a stream); they are drop-in subclasses.
  const listener = getRequestListener((request, env) => app.fetch(request, env), {
    errorHandler: (error) => {
      logger.warn('unreadable request', { err: error instanceof Error ? error.message : String(error) });
      return errorResponse(new ApiError(400, 'bad_request', 'the request could not be read; check the URL and headers'));
    },
  });
  const server = createServer({ requestTimeout: 15_000, headersTimeout: 10_000 }, (req, res) => {
    // A web page whose DNS name was rebound to 127.0.0.1 sends its own name as Host: refuse it.
    if (hosts !== undefined && !hosts.has((req.headers.host ?? '').toLowerCase())) {
      sendNodeError(res, new ApiError(421, 'wrong_host', 'the Host header must name the address altod listens on (or localhost); start altod with --allow-remote to accept other names'));
      options.context.metrics.httpRequests.inc({ route: 'unknown', status: '421' });
      return;
    }
    const path = rawPath(req);
    if (!isPlainPath(path)) {
      // A URL parser would turn these into another path or a host: they are no route of ours.
      const failure = authFailure(req.headers.authorization, options.apiToken);
      sendNodeError(res, failure ?? notFound(path), failure ? UNAUTHORIZED_HEADERS : {});
      options.context.metrics.httpRequests.inc({ route: 'unknown', status: failure ? '401' : '404' });
      return;
    }
    void listener(req, res);
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
