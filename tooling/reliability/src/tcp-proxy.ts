import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** A loopback TCP front door over several backends, like a load balancer in front of a cluster. */
export interface TcpFailoverProxy {
  readonly port: number;
  /** `ws://127.0.0.1:<port>`. */
  readonly url: string;
  /** Connections forwarded to each backend port so far. */
  readonly forwarded: ReadonlyMap<number, number>;
  close(): Promise<void>;
}

/**
 * Forwards each new connection to the first backend (in order) that accepts it. This is what a
 * LiveKit cluster looks like to a client in production: one URL, a balancer, several nodes. The
 * media (UDP/TCP ICE) still goes straight to the node that answered the signalling.
 */
export async function startTcpFailoverProxy(backendPorts: readonly number[]): Promise<TcpFailoverProxy> {
  const forwarded = new Map<number, number>();
  const sockets = new Set<Socket>();
  const connectFirst = (index: number, client: Socket): void => {
    const port = backendPorts[index];
    if (port === undefined) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: '127.0.0.1', port });
    // Refused: this node is down, try the next one.
    upstream.once('error', () => {
      upstream.destroy();
      if (!client.destroyed) connectFirst(index + 1, client);
    });
    upstream.once('connect', () => {
      forwarded.set(port, (forwarded.get(port) ?? 0) + 1);
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      upstream.removeAllListeners('error');
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
  };
  const server: Server = createServer({ pauseOnConnect: true }, (client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    connectFirst(0, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    url: `ws://127.0.0.1:${port}`,
    forwarded,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
