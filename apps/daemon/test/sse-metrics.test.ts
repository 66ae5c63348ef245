import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatSse } from '../src/sse.js';
import { participant } from './fake-client.js';
import { call, startTestDaemon, TEST_TOKEN, until } from './helpers.js';

type Started = Awaited<ReturnType<typeof startTestDaemon>>;
let t: Started;

interface SseMessage {
  id?: string;
  event: string;
  data: unknown;
}

/** Opens /v1/events and parses the stream per the SSE spec (fields, blank-line terminated). */
function openEvents(base: string): { messages: SseMessage[]; raw: () => string; close: () => void; ready: Promise<number> } {
  const url = new URL('/v1/events', base);
  const messages: SseMessage[] = [];
  let raw = '';
  let buffer = '';
  let resolveReady: (status: number) => void = () => {};
  const ready = new Promise<number>((r) => (resolveReady = r));
  const req = request({ host: url.hostname, port: url.port, path: url.pathname, headers: { authorization: `Bearer ${TEST_TOKEN}` } }, (res) => {
    resolveReady(res.statusCode ?? 0);
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      raw += chunk;
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields: Record<string, string> = {};
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          fields[line.slice(0, colon)] = line.slice(colon + 1).replace(/^ /, '');
        }
        if (fields.event !== undefined) {
          messages.push({ event: fields.event, data: JSON.parse(fields.data ?? 'null'), ...(fields.id !== undefined ? { id: fields.id } : {}) });
        }
      }
    });
  });
  req.on('error', () => {});
  req.end();
  return { messages, raw: () => raw, close: () => req.destroy(), ready };
}

/** A minimal Prometheus text-format parser: samples by name and label set, plus TYPE lines. */
function parsePrometheus(text: string): { types: Map<string, string>; samples: { name: string; labels: Record<string, string>; value: number }[] } {
  const types = new Map<string, string>();
  const samples: { name: string; labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      types.set(type[1]!, type[2]!);
      continue;
    }
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not Prometheus text: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = pair[2]!;
    // Prometheus parses values with Go's ParseFloat: NaN is case-insensitive (prom-client writes "Nan").
    const text = m[3]!;
    const value = /^nan$/i.test(text) ? NaN : text === '+Inf' ? Infinity : text === '-Inf' ? -Infinity : Number(text);
    if (Number.isNaN(value) && !/^nan$/i.test(text)) throw new Error(`bad value in ${line}`);
    samples.push({ name: m[1]!, labels, value });
  }
  return { types, samples };
}

describe('server-sent events', () => {
  beforeEach(async () => {
    t = await startTestDaemon();
    await until(() => t.factory.clients[0]?.state === 'connected');
  });
  afterEach(async () => {
    await t.daemon.stop();
  });

  it('frames events as id, event and one JSON data line', () => {
    expect(formatSse('participantJoined', { identity: 'a\nb' }, 7)).toBe('id: 7\nevent: participantJoined\ndata: {"identity":"a\\nb"}\n\n');
  });

  it('streams status, joins, leaves, speakers, transcripts, state changes and 10 Hz levels', async () => {
    const stream = openEvents(t.base);
    expect(await stream.ready).toBe(200);
    await until(() => stream.messages.length > 0, 3000, 'initial status');
    expect(stream.messages[0]).toMatchObject({ event: 'status', data: { state: 'connected', room: 'lobby' } });
    const client = t.factory.latest();
    client.people = [participant('alice', { speaking: true, levelDbfs: -12 })];
    client.emit({ type: 'participantJoined', identity: 'alice', name: 'Alice' });
    client.emit({ type: 'activeSpeakers', identities: ['alice'] });
    client.emit({ type: 'transcription', identity: 'alice', segmentId: 's1', text: 'hello', final: true });
    client.emit({ type: 'data', identity: 'alice', topic: 't', payload: new Uint8Array([1, 2, 3]) });
    client.emit({ type: 'participantLeft', identity: 'alice' });
    await call(t.base, 'POST', '/v1/leave');
    await until(() => stream.messages.filter((m) => m.event === 'levels').length >= 3, 5000, 'levels events');
    const byType = (name: string) => stream.messages.filter((m) => m.event === name).map((m) => m.data);
    expect(byType('participantJoined')).toEqual([{ identity: 'alice', name: 'Alice' }]);
    expect(byType('activeSpeakers')).toEqual([{ identities: ['alice'] }]);
    expect(byType('transcription')).toEqual([{ identity: 'alice', segmentId: 's1', text: 'hello', final: true }]);
    expect(byType('data')).toEqual([{ identity: 'alice', topic: 't', payloadBase64: 'AQID' }]);
    expect(byType('participantLeft')).toEqual([{ identity: 'alice' }]);
    expect(byType('state')).toContainEqual({ state: 'idle', reason: 'left' });
    const ids = stream.messages.map((m) => Number(m.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(stream.raw()).toMatch(/^retry: 2000\n\n/);
    stream.close();
  });

  it('samples participant levels into levels events while a stream is attached', async () => {
    t.factory.latest().people = [participant('bob', { levelDbfs: -18, speaking: true })];
    const stream = openEvents(t.base);
    await until(() => stream.messages.some((m) => m.event === 'levels'), 3000, 'a levels event');
    const levels = stream.messages.find((m) => m.event === 'levels')?.data;
    expect(levels).toEqual({ participants: [{ identity: 'bob', levelDbfs: -18, peakDbfs: -30, speaking: true }], inputLevelDbfs: -30 });
    stream.close();
  });
});

describe('/metrics', () => {
  beforeEach(async () => {
    t = await startTestDaemon();
    await until(() => t.factory.clients[0]?.state === 'connected');
  });
  afterEach(async () => {
    await t.daemon.stop();
  });

  it('parses as Prometheus text and carries state, levels, buffers, underruns, frames, reconnects and event-loop lag', async () => {
    const client = t.factory.latest();
    client.people = [participant('alice', { levelDbfs: -20, bufferedMs: 60 })];
    client.metricsOverride = {
      reconnects: 2,
      mixer: {
        sampleRate: 48000, channels: 1, masterVolume: 1, framesOut: 48000, underruns: 4, limitedSamples: 0, streamCount: 1,
        level: { peakDbfs: -10, rmsDbfs: -20, speaking: true },
        streams: [{ id: 'TR_1', label: 'alice', volume: 1, muted: false, state: 'playing', framesIn: 1000, framesOut: 990, underruns: 7, overruns: 0, droppedFrames: 0, bufferedMs: 60, targetMs: 20, level: { peakDbfs: -10, rmsDbfs: -20, speaking: true } }],
      },
    };
    await call(t.base, 'GET', '/healthz', { token: null });
    const res = await call(t.base, 'GET', '/metrics');
    const { types, samples } = parsePrometheus(res.text);
    const value = (name: string, labels: Record<string, string> = {}) =>
      samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
    expect(value('altod_connection_state', { state: 'connected' })).toBe(1);
    expect(value('altod_connection_state', { state: 'reconnecting' })).toBe(0);
    expect(value('altod_participant_level_dbfs', { identity: 'alice' })).toBe(-20);
    expect(value('altod_participant_buffered_ms', { identity: 'alice' })).toBe(60);
    expect(value('altod_stream_underruns_total', { stream: 'alice' })).toBe(7);
    expect(value('altod_stream_frames_in_total', { stream: 'alice' })).toBe(1000);
    expect(value('altod_output_underruns_total')).toBe(3);
    expect(value('altod_network_frames_received_total')).toBe(200);
    expect(value('altod_text_streams_dropped_total')).toBe(2);
    expect(value('altod_network_frames_sent_total')).toBe(100);
    expect(value('altod_input_frames_captured_total')).toBe(4800);
    expect(value('altod_reconnects_total')).toBe(2);
    expect(value('altod_mixer_underruns_total')).toBe(4);
    expect(value('altod_http_requests_total', { route: '/healthz', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(types.get('altod_reconnects_total')).toBe('counter');
    expect(types.get('altod_participant_level_dbfs')).toBe('gauge');
    expect(value('nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(samples.some((s) => s.name === 'nodejs_eventloop_lag_p99_seconds')).toBe(true);
    client.people = [];
    const after = parsePrometheus((await call(t.base, 'GET', '/metrics')).text);
    expect(after.samples.some((s) => s.name === 'altod_participant_level_dbfs')).toBe(false);
  });
});
