import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startLivekitServer, type LivekitServer } from '@alto/harness';
import { shutdownNetworkRuntime, type AltoClient } from '@alto/orchestrator';
import { Tally } from '../src/tally.js';
import {
  startRedis,
  startTcpFailoverProxy,
  startToneClient,
  streamCount,
  waitFor,
  type Ear,
  type RedisServer,
  type TcpFailoverProxy,
} from '../src/index.js';

const tally = new Tally('cluster', inject('tallyDir'));

/**
 * Two livekit-server nodes sharing one Redis on loopback. Alice joins node A directly; Bob joins
 * through a front door that prefers node B and falls back to node A (a load balancer: Bob keeps
 * one URL and rejoins it); Carol joins node B and knows node A as her fallback URL (client-side
 * failover). Killing node B must bring Bob and Carol back through node A, hearing Alice again.
 */
describe('two-node cluster with Redis', () => {
  let redis: RedisServer;
  let nodeA: LivekitServer;
  let nodeB: LivekitServer;
  let front: TcpFailoverProxy;
  let alice: { client: AltoClient; ear: Ear };
  let bob: { client: AltoClient; ear: Ear };
  let carol: { client: AltoClient; ear: Ear };
  const room = `cluster-${Date.now()}`;

  beforeAll(async () => {
    redis = await startRedis();
    const apiSecret = 'cluster-secret-0123456789abcdef0123456789';
    nodeA = await startLivekitServer({ redisAddress: redis.address, apiSecret });
    nodeB = await startLivekitServer({ redisAddress: redis.address, apiSecret });
    front = await startTcpFailoverProxy([nodeB.port, nodeA.port]);
    alice = await startToneClient(nodeA, room, 'alice', 440);
    bob = await startToneClient({ ...nodeB, url: front.url }, room, 'bob', 660);
    carol = await startToneClient(nodeB, room, 'carol', 880, { fallbackUrls: [nodeA.url] });
  });

  afterAll(async () => {
    await alice?.client.disconnect();
    await bob?.client.disconnect();
    await carol?.client.disconnect();
    await front?.close();
    await nodeB?.stop();
    await nodeA?.stop();
    await redis?.stop();
    await shutdownNetworkRuntime();
    tally.flush((l) => process.stdout.write(l));
  });

  const bothHear = (): boolean => alice.ear.hears('bob', 660) && bob.ear.hears('alice', 440);
  const carolAndAliceHear = (): boolean => alice.ear.hears('carol', 880) && carol.ear.hears('alice', 440);

  it('lets clients on different nodes hear each other', async () => {
    // Bob's signalling went to node B (the front door's first choice); Alice is on node A.
    expect(front.forwarded.get(nodeB.port) ?? 0).toBeGreaterThan(0);
    expect(front.forwarded.get(nodeA.port) ?? 0).toBe(0);
    expect(await waitFor(bothHear, 15_000)).toBe(true);
    expect(await waitFor(carolAndAliceHear, 15_000)).toBe(true);
  });

  it("brings the killed node's client back through the other node", async () => {
    tally.add('faultsInjected');
    nodeB.signal('SIGKILL');
    const killedAt = performance.now();
    // Audio already queued in the SDK's streams keeps arriving for a moment after the kill: only
    // audio heard after Bob and Carol noticed the loss (and rejoined) counts.
    const noticed = await Promise.all([bob, carol].map((c) => waitFor(() => c.client.state !== 'connected', 30_000, 50)));
    expect(noticed).toEqual([true, true]);
    alice.ear.clear();
    bob.ear.clear();
    carol.ear.clear();
    // Node B is gone for good; the SDK's resume fails and livekit-net's loop rejoins. Bob's one
    // URL is the front door, which now sends him to node A; Carol's own fallback URL is node A.
    // Either takes the SDK's give-up time plus backoff.
    const recovery = async (done: () => boolean): Promise<number | undefined> =>
      (await waitFor(done, 60_000, 200)) ? Math.round(performance.now() - killedAt) : undefined;
    const [bobMs, carolMs] = await Promise.all([
      recovery(() => bob.client.state === 'connected' && bothHear()),
      recovery(() => carol.client.state === 'connected' && carolAndAliceHear()),
    ]);
    process.stdout.write(`cluster: node-kill recovery ${bobMs ?? 'never'} ms through the front door, ${carolMs ?? 'never'} ms by client-side failover\n`);
    tally.add('faultsInjected'); // Carol's loss of node B; Bob's was counted above
    for (const ms of [bobMs, carolMs]) tally.add(ms === undefined ? 'lost' : 'faultsRecovered');
    expect(bobMs).toBeDefined();
    expect(carolMs).toBeDefined();
    expect(front.forwarded.get(nodeA.port) ?? 0).toBeGreaterThan(0);
    expect(await waitFor(() => streamCount(alice.client) === 2 && streamCount(bob.client) === 2 && streamCount(carol.client) === 2, 3000)).toBe(true);
    expect(bob.client.state).toBe('connected');
  });
});
