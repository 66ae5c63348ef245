import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * Servers get ports below the OS's ephemeral range: a port handed out by bind(0) can be taken
 * by any outgoing connection on the machine while its server is down (a crash-and-restart
 * test), and then the restart fails with "address already in use".
 */
function candidatePorts(): { low: number; high: number } {
  let ephemeralLow = 32_768;
  try {
    ephemeralLow = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || ephemeralLow;
  } catch {
    // Not Linux: keep the IANA default.
  }
  return { low: 20_000, high: Math.max(20_100, ephemeralLow - 1) };
}

function randomPort(): number {
  const { low, high } = candidatePorts();
  return low + Math.floor(Math.random() * (high - low + 1));
}

function tcpPortIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function udpPortIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind(port, '0.0.0.0', () => socket.close(() => resolve(true)));
  });
}

async function findPort(isFree: (port: number) => Promise<boolean>): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = randomPort();
    if (await isFree(port)) return port;
  }
  throw new Error('no free port found below the ephemeral range');
}

/** A free TCP port on loopback, outside the ephemeral range. */
export function freeTcpPort(): Promise<number> {
  return findPort(tcpPortIsFree);
}

/** A free UDP port (checked on all interfaces, as livekit-server binds it), outside the ephemeral range. */
export function freeUdpPort(): Promise<number> {
  return findPort(udpPortIsFree);
}
