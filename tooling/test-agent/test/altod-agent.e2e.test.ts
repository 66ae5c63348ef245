import { freeTcpPort } from '@alto/harness';
import { mkdtempSync, rmSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { LLM_FIRST_TOKEN_DELAY_MS, TTS_FIRST_FRAME_DELAY_MS } from '../src/index.js';
import { SPEECH_FIXTURE, startAltod, type AppProcess, useTestAgent } from './processes.js';

const livekit = inject('livekit');
const dir = mkdtempSync(join(tmpdir(), 'altod-agent-e2e-'));
const agentName = `test-agent-d${process.pid}`;
const agent = useTestAgent(livekit, agentName, dir);
const API_TOKEN = 'agent-e2e-token-0123456789abcdefghijklmnop';
let altod: AppProcess | undefined;

interface SseEvent {
  readonly name: string;
  readonly data: Record<string, unknown>;
}

/** Calls the daemon's API. */
function call(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> | undefined; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${API_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    });
    req.on('response', (res: IncomingMessage) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => {
        let json: Record<string, unknown> | undefined;
        try {
          json = JSON.parse(text) as Record<string, unknown>;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, json, text });
      });
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** Follows `GET /v1/events`, collecting every event. */
function followEvents(base: string): { events: SseEvent[]; close: () => void } {
  const events: SseEvent[] = [];
  const req = request(`${base}/v1/events`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
  req.on('response', (res: IncomingMessage) => {
    let buffer = '';
    res.setEncoding('utf8').on('data', (d: string) => {
      buffer += d;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const chunk = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const name = /^event: (.*)$/m.exec(chunk)?.[1];
        const data = /^data: (.*)$/m.exec(chunk)?.[1];
        if (name && data) events.push({ name, data: JSON.parse(data) as Record<string, unknown> });
      }
    });
  });
  req.on('error', () => {});
  req.end();
  return { events, close: () => req.destroy() };
}

async function until<T>(probe: () => T | undefined, timeoutMs: number, what: string, context: () => string): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; ${context()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

afterAll(async () => {
  if (altod) await altod.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('altod talking to a real LiveKit Agents worker', () => {
  it('drives push-to-talk turns and chat over the API, streams agent state and transcripts, and exports the latency histogram', async () => {
    const port = await freeTcpPort();
    const base = `http://127.0.0.1:${port}`;
    const room = `ptt-daemon-${process.pid}-${Date.now()}`;
    altod = startAltod(
      ['--room-name', room, '--identity', 'kiosk', '--agent', agentName, '--push-to-talk', '--listen', `127.0.0.1:${port}`,
        '--input-device', `wav:${SPEECH_FIXTURE}?loop`, '--output-device', 'null', '--log-level', 'warn'],
      { LIVEKIT_URL: livekit.url, LIVEKIT_API_KEY: livekit.apiKey, LIVEKIT_API_SECRET: livekit.apiSecret, ALTOD_API_TOKEN: API_TOKEN },
    );
    const daemon = altod;
    const logs = (): string => `stdout: ${daemon.stdout.slice(-2000)} stderr: ${daemon.stderr.slice(-2000)}`;
    const end = Date.now() + 60_000;
    while ((await call(base, 'GET', '/healthz').catch(() => ({ status: 0 }))).status !== 200) {
      if (Date.now() > end || daemon.child.exitCode !== null) throw new Error(`altod's API never came up; ${logs()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const sse = followEvents(base);
    const seen = (): string => `${sse.events.map((e) => `${e.name} ${JSON.stringify(e.data)}`).join('\n').slice(-4000)} ${logs()}`;
    try {
      // The dispatched agent joins and reports its state over SSE and in /v1/status.
      await until(() => sse.events.find((e) => e.name === 'agent-state' && e.data['state'] === 'listening'), 150_000, 'agent-state listening', seen);
      // The agent can be there before the daemon's own devices are up: wait for 'connected'.
      let status: Record<string, unknown> = {};
      const connectedBy = Date.now() + 60_000;
      while ((status = (await call(base, 'GET', '/v1/status')).json ?? {})['state'] !== 'connected') {
        if (Date.now() > connectedBy) throw new Error(`altod never connected: ${JSON.stringify(status)}; ${seen()}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(status['agents']).toEqual([expect.objectContaining({ name: agentName, state: 'listening' })]);

      // A push-to-talk turn over one utterance of the looping fixture.
      expect((await call(base, 'POST', '/v1/turn/start')).json).toEqual({ talking: true, microphoneMuted: false });
      const from = sse.events.length;
      const speaking = (on: boolean) => () =>
        sse.events.slice(from).find((e) => e.name === 'activeSpeakers' && (e.data['identities'] as string[]).includes('kiosk') === on && (on || sse.events.slice(from).some((x) => x.name === 'activeSpeakers' && (x.data['identities'] as string[]).includes('kiosk'))));
      await until(speaking(true), 30_000, 'our speech', seen);
      await until(speaking(false), 30_000, 'the end of our speech', seen);
      expect((await call(base, 'POST', '/v1/turn/end')).json).toEqual({ talking: false, microphoneMuted: true });
      const reply = await until(() => sse.events.find((e) => e.name === 'transcript' && /^You spoke for [\d.]+ seconds\./.test(String(e.data['text']))), 60_000, 'the spoken reply', seen);
      expect(reply.data['speaker']).toBe('agent');
      const userLine = sse.events.find((e) => e.name === 'transcript' && e.data['speaker'] === 'user');
      expect(userLine?.data).toMatchObject({ identity: 'kiosk', source: 'speech' });
      expect(String(userLine?.data['text'])).toMatch(/^user spoke for [\d.]+ seconds$/);
      const latency = await until(() => sse.events.find((e) => e.name === 'turn-latency'), 30_000, 'turn-latency', seen);
      expect(latency.data['latencyMs']).toBeGreaterThan(LLM_FIRST_TOKEN_DELAY_MS + TTS_FIRST_FRAME_DELAY_MS);
      const states = sse.events.filter((e) => e.name === 'agent-state').map((e) => e.data['state']).join(' ');
      expect(states).toMatch(/listening.*thinking.*speaking.*listening/);

      // Chat: sent on lk.chat, answered by the agent, both shown as transcript lines.
      expect(await call(base, 'POST', '/v1/chat', { text: 'are you there' })).toMatchObject({ status: 200, json: { sent: 'are you there' } });
      await until(() => sse.events.find((e) => e.name === 'transcript' && String(e.data['text']).startsWith('You wrote 3 words.')), 60_000, 'the text reply', seen);
      expect(sse.events.some((e) => e.name === 'transcript' && e.data['source'] === 'chat' && e.data['text'] === 'are you there')).toBe(true);

      // A cancelled turn: start then cancel.
      expect((await call(base, 'POST', '/v1/turn/start')).status).toBe(200);
      expect((await call(base, 'POST', '/v1/turn/cancel')).json).toEqual({ talking: false, microphoneMuted: true });
      await until(() => (agent().records().filter((r) => r.method === 'cancel_turn').length > 0 ? true : undefined), 30_000, 'cancel_turn', seen);
      expect(agent().records().filter((r) => r.event === 'rpc').map((r) => [r.method, r.caller])).toEqual([
        ['start_turn', 'kiosk'],
        ['end_turn', 'kiosk'],
        ['start_turn', 'kiosk'],
        ['cancel_turn', 'kiosk'],
      ]);

      // The latency histogram in /metrics, and the status summary.
      const metrics = (await call(base, 'GET', '/metrics')).text;
      expect(metrics).toMatch(/^altod_agent_response_latency_seconds_count 1$/m);
      expect((await call(base, 'GET', '/v1/status')).json?.['responseLatency']).toMatchObject({ turns: 1 });

      // Bad requests get a 4xx with one clear message.
      const empty = await call(base, 'POST', '/v1/chat', { text: '' });
      expect(empty.status).toBe(400);
      expect((empty.json?.['error'] as { code?: string } | undefined)?.code).toBe('invalid_text');
    } finally {
      sse.close();
    }
  });
});
