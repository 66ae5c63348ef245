/**
 * An impaired network path in user space (no netem): a UDP relay that livekit-server's ICE
 * candidate points at. The server advertises `listenIp:serverPort` (its `rtc.node_ip`) while its
 * UDP socket is bound on the machine's interface address; clients that can only reach the relay
 * (see netns.ts) send media to it, and it forwards both ways, dropping and delaying packets on a
 * seeded random schedule.
 * Every packet is counted, so a run can prove that the loss and jitter really happened.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { freeUdpPort } from '@alto/harness';

/** Where the relay listens and forwards, and the impairment of both directions. */
export interface RelayOptions {
  /** Address clients reach (the server's advertised `rtc.node_ip`). */
  readonly listenIp: string;
  /** The server's media socket address (its interface address). */
  readonly targetIp: string;
  /** Probability that a packet is dropped, 0..1. */
  readonly lossRate: number;
  /** Each packet is delayed by a uniform random 0..2×jitterMs (mean jitterMs), so packets reorder as on a real path. */
  readonly jitterMs: number;
  /** Seed of the drop/delay schedule. */
  readonly seed: number;
}

/** Per-direction packet counts and the delays applied. */
export interface DirectionCounts {
  received: number;
  dropped: number;
  forwarded: number;
  delaySumMs: number;
  delayMaxMs: number;
}

/** A running relay. */
export interface UdpRelay {
  /** The address the server must advertise (its `rtc.node_ip`). */
  readonly advertisedIp: string;
  /** The UDP port the server must bind (`rtc.udp_port`); the relay listens on the same port. */
  readonly serverPort: number;
  counts(): { toServer: DirectionCounts; toClient: DirectionCounts; lossObserved: number; meanDelayMs: number };
  close(): void;
}

/** mulberry32: a small seeded PRNG, so every run impairs the same packets the same way. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const counts = (): DirectionCounts => ({ received: 0, dropped: 0, forwarded: 0, delaySumMs: 0, delayMaxMs: 0 });

/** Starts the relay on `listenIp` at a free port (the server must bind the same port on `targetIp`). */
export async function startUdpRelay(options: RelayOptions): Promise<UdpRelay> {
  const advertisedIp = options.listenIp;
  const serverPort = await freeUdpPort();
  const random = prng(options.seed);
  const toServer = counts();
  const toClient = counts();
  const upstreams = new Map<string, Socket>();
  let closed = false;
  const target = options.targetIp;
  const front = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.bind(serverPort, advertisedIp, () => resolve());
  });

  const impair = (c: DirectionCounts, send: () => void): void => {
    c.received++;
    if (random() < options.lossRate) {
      c.dropped++;
      return;
    }
    const delay = random() * 2 * options.jitterMs;
    c.delaySumMs += delay;
    if (delay > c.delayMaxMs) c.delayMaxMs = delay;
    setTimeout(() => {
      if (closed) return;
      c.forwarded++;
      send();
    }, delay);
  };

  front.on('message', (msg: Buffer, from: RemoteInfo) => {
    const key = `${from.address}:${from.port}`;
    let up = upstreams.get(key);
    if (!up) {
      const socket = createSocket('udp4');
      socket.on('message', (reply: Buffer) => impair(toClient, () => front.send(reply, from.port, from.address)));
      socket.on('error', () => {});
      socket.bind(0, target);
      upstreams.set(key, socket);
      up = socket;
    }
    const upstream = up;
    impair(toServer, () => upstream.send(msg, serverPort, target));
  });
  front.on('error', () => {});

  return {
    advertisedIp,
    serverPort,
    counts: () => {
      const received = toServer.received + toClient.received;
      const dropped = toServer.dropped + toClient.dropped;
      const forwarded = toServer.forwarded + toClient.forwarded;
      return {
        toServer: { ...toServer },
        toClient: { ...toClient },
        lossObserved: received === 0 ? 0 : dropped / received,
        meanDelayMs: forwarded === 0 ? 0 : (toServer.delaySumMs + toClient.delaySumMs) / forwarded,
      };
    },
    close: () => {
      closed = true;
      front.close();
      for (const s of upstreams.values()) s.close();
    },
  };
}
