import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startLivekitServer, type LivekitServer } from '@alto/harness';
import { shutdownNetworkRuntime, type AltoClient } from '@alto/orchestrator';
import { Tally } from '../src/tally.js';
import { startToneClient, streamCount, waitFor, type Ear } from '../src/index.js';

const tally = new Tally('server-faults', inject('tallyDir'));
const RECOVERY_MS = 10_000;

/**
 * Two real clients (tone → room → null sink) on a server this file owns, so it can be killed and
 * frozen. After each fault both must hear each other's tone again within 10 s, with exactly one
 * mixer stream each (a reconnect must not leave a duplicate behind).
 */
describe('server faults mid-call', () => {
  let server: LivekitServer;
  let alice: { client: AltoClient; ear: Ear };
  let bob: { client: AltoClient; ear: Ear };
  const errors: string[] = [];

  beforeAll(async () => {
    server = await startLivekitServer();
    const room = `faults-${Date.now()}`;
    alice = await startToneClient(server, room, 'alice', 440);
    bob = await startToneClient(server, room, 'bob', 660);
    for (const c of [alice.client, bob.client]) {
      c.on('event', (e) => {
        if (e.type === 'error') errors.push(`${e.code}: ${e.message}`);
      });
    }
  });

  afterAll(async () => {
    await alice?.client.disconnect();
    await bob?.client.disconnect();
    await server?.stop();
    await shutdownNetworkRuntime();
    tally.flush((l) => process.stdout.write(l));
  });

  const bothHear = (): boolean => alice.ear.hears('bob', 660) && bob.ear.hears('alice', 440);

  async function expectRecovery(fault: string): Promise<void> {
    alice.ear.clear();
    bob.ear.clear();
    const recovered = await waitFor(bothHear, RECOVERY_MS, 100);
    if (recovered) tally.add('faultsRecovered');
    else tally.add('lost');
    expect(recovered, `audio both ways within ${RECOVERY_MS} ms after ${fault}`).toBe(true);
    // The mixer metrics arrive from the audio host about ten times a second.
    expect(await waitFor(() => streamCount(alice.client) === 1 && streamCount(bob.client) === 1, 2000)).toBe(true);
    expect(alice.client.state).toBe('connected');
    expect(bob.client.state).toBe('connected');
  }

  it('carries audio both ways before any fault', async () => {
    expect(await waitFor(bothHear, 15_000)).toBe(true);
    expect(streamCount(alice.client)).toBe(1);
    expect(streamCount(bob.client)).toBe(1);
  });

  it('recovers both clients after the server is SIGKILLed and restarted', async () => {
    tally.add('faultsInjected');
    server.signal('SIGKILL');
    await new Promise((r) => setTimeout(r, 1000));
    await server.restart();
    const restartedAt = performance.now();
    await expectRecovery('SIGKILL + restart');
    process.stdout.write(`server-faults: SIGKILL recovery ${Math.round(performance.now() - restartedAt)} ms after restart\n`);
  });

  it('recovers both clients after the server is frozen for 5 s (SIGSTOP, SIGCONT)', async () => {
    tally.add('faultsInjected');
    server.signal('SIGSTOP');
    await new Promise((r) => setTimeout(r, 5000));
    server.signal('SIGCONT');
    const resumedAt = performance.now();
    await expectRecovery('SIGSTOP 5 s');
    process.stdout.write(`server-faults: SIGSTOP recovery ${Math.round(performance.now() - resumedAt)} ms after SIGCONT\n`);
  });

  it('survives a second kill in a row without duplicating streams', async () => {
    tally.add('faultsInjected');
    server.signal('SIGKILL');
    await server.restart();
    await expectRecovery('second SIGKILL');
    expect(alice.client.getMetrics().reconnects).toBeGreaterThanOrEqual(2);
    // Device errors would mean the fault leaked into the audio path.
    expect(errors).toEqual([]);
  });
});
