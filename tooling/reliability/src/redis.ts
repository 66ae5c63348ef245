import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { freeTcpPort } from '@alto/harness';
import { waitFor } from './processes.js';

/** A throwaway redis-server on loopback (no persistence). */
export interface RedisServer {
  /** `127.0.0.1:<port>`, what livekit-server's `redis.address` wants. */
  readonly address: string;
  stop(): Promise<void>;
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write('PING\r\n'));
    socket.setTimeout(500, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('data', (d) => {
      socket.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
  });
}

/** Starts `redis-server` (Debian package `redis-server`) on a free loopback port. */
export async function startRedis(): Promise<RedisServer> {
  const port = await freeTcpPort();
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  const ready = await Promise.race([waitFor(() => answersPing(port), 10_000, 100), spawnError]);
  if (ready !== true) {
    child.kill('SIGKILL');
    const why = ready instanceof Error ? ready.message : 'no PONG within 10 s';
    throw new Error(`redis-server did not start (${why}); install it with apt-get install redis-server`);
  }
  return {
    address: `127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      child.kill('SIGKILL');
    },
  };
}
