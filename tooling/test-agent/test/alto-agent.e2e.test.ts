import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { LLM_FIRST_TOKEN_DELAY_MS, REPLY_TONE_HZ, TTS_FIRST_FRAME_DELAY_MS } from '../src/index.js';
import { FIXTURE_LENGTH_MS, FIXTURE_SPEECH_ONSET_MS, SPEECH_FIXTURE, readWavSamples, startAlto, toneOnsetsMs, useTestAgent } from './processes.js';

const livekit = inject('livekit');
const dir = mkdtempSync(join(tmpdir(), 'alto-agent-e2e-'));
const agentName = `test-agent-${process.pid}`;
const agent = useTestAgent(livekit, agentName, dir);
let rooms = 0;
const room = (prefix = 'agent'): string => `${prefix}-${process.pid}-${Date.now()}-${++rooms}`;

function altoArgs(roomName: string, ...extra: string[]): string[] {
  return [
    '--url', livekit.url, '--api-key', livekit.apiKey, '--api-secret', livekit.apiSecret,
    '--room-name', roomName, '--identity', 'ana', '--agent', agentName, '--agent-wait', '60',
    '-o', 'null', '--no-tui', ...extra,
  ];
}

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
});

interface Segment {
  type: string;
  participant: string;
  speaker: string;
  text: string;
  startMs: number;
  recordStartMs: number;
}

describe('alto talking to a real LiveKit Agents worker', () => {
  it('dispatches the agent, follows its state, shows both sides of the conversation, measures latency and lines the transcript up with the recording', async () => {
    const record = join(dir, 'heard.wav');
    const transcript = join(dir, 'conversation.jsonl');
    const alto = startAlto(altoArgs(room(), '-i', `wav:${SPEECH_FIXTURE}?loop`, '--record', record, '--transcript', transcript));
    try {
      // Two spoken turns, each answered.
      const first = await alto.waitForLine(/^latency \d+ ms$/, 150_000);
      const second = await alto.waitForLine(/^latency \d+ ms$/, 60_000, first + 1);
      // The reply's transcript is final once its stream ends, after its audio.
      await alto.waitForLine(/^transcript agent-\S+(?: \([^)]*\))?: You spoke for/, 30_000, second + 1);
    } finally {
      expect(await alto.stop()).toBe(0);
    }
    const lines = alto.lines();
    const name = agentName;
    // State: listening -> thinking -> speaking -> listening, in that order.
    const states = lines.filter((l) => l.startsWith(`agent ${name} `)).map((l) => l.slice(`agent ${name} `.length));
    const cycle = states.join(' ');
    expect(cycle).toMatch(/listening.*thinking.*speaking.*listening/);
    // The user's speech, transcribed by the agent, is attributed to the user (identity ana) and
    // comes before the agent's reply, which repeats the measured duration.
    const userLine = lines.findIndex((l) => /^transcript ana: user spoke for [\d.]+ seconds$/.test(l));
    expect(userLine).toBeGreaterThanOrEqual(0);
    const seconds = /for ([\d.]+) seconds/.exec(lines[userLine] ?? '')?.[1];
    const replyLine = lines.findIndex((l, i) => i > userLine && l.startsWith('transcript agent-') && l.includes(`You spoke for ${seconds} seconds.`));
    expect(replyLine).toBeGreaterThan(userLine);
    // Latency: at least what the stand-ins wait (LLM + TTS), below a sane bound.
    const latencies = lines.filter((l) => /^latency \d+ ms$/.test(l)).map((l) => Number(/\d+/.exec(l)?.[0]));
    expect(latencies.length).toBeGreaterThanOrEqual(2);
    for (const ms of latencies) {
      expect(ms).toBeGreaterThan(LLM_FIRST_TOKEN_DELAY_MS + TTS_FIRST_FRAME_DELAY_MS);
      expect(ms).toBeLessThan(10_000);
    }
    expect(lines.at(-2) === undefined ? '' : lines.join('\n')).toMatch(/^latency p50 \d+ ms p95 \d+ ms over \d+ turns$/m);

    // The reply is heard: the stand-in TTS's tone is in the recording...
    const heard = readWavSamples(record);
    const onsets = toneOnsetsMs(heard, REPLY_TONE_HZ);
    expect(onsets.length).toBeGreaterThanOrEqual(2);
    // ...and the transcript places each agent segment where its audio is in the recording.
    const jsonl = readFileSync(transcript, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Segment & Record<string, unknown>);
    const segments = jsonl.filter((o) => o.type === 'segment');
    const summary: Record<string, unknown> = jsonl.at(-1) ?? {};
    expect(summary).toMatchObject({ type: 'summary' });
    expect(summary['turns']).toBeGreaterThanOrEqual(2);
    const agentSegments = segments.filter((s) => s.speaker === 'agent');
    expect(agentSegments.length).toBeGreaterThanOrEqual(2);
    for (const s of agentSegments) {
      const nearest = Math.min(...onsets.map((o) => Math.abs(o - s.recordStartMs)));
      expect(nearest, `agent segment at ${s.recordStartMs} ms vs tone onsets ${onsets.join(', ')}`).toBeLessThanOrEqual(100);
    }
    // The user's segments start where the fixture's speech starts in each loop of the input file.
    const micStart = summary['microphoneStartMs'] as number;
    const userSegments = segments.filter((s) => s.speaker === 'user');
    expect(userSegments.length).toBeGreaterThanOrEqual(2);
    for (const s of userSegments) {
      const intoLoop = (((s.startMs - micStart) % FIXTURE_LENGTH_MS) + FIXTURE_LENGTH_MS) % FIXTURE_LENGTH_MS;
      expect(Math.abs(intoLoop - FIXTURE_SPEECH_ONSET_MS), `user segment ${JSON.stringify(s)} mic start ${micStart}`).toBeLessThanOrEqual(100);
    }
  });

  it('sends --say on lk.chat and shows the text reply', async () => {
    const alto = startAlto(altoArgs(room(), '-i', 'silence', '--say', 'how are you today'));
    try {
      await alto.waitForLine(/^transcript agent-\S+(?: \([^)]*\))?: You wrote 4 words\.\s*$/, 150_000);
    } finally {
      expect(await alto.stop()).toBe(0);
    }
    const lines = alto.lines();
    const own = lines.findIndex((l) => l === 'transcript ana: how are you today');
    const reply = lines.findIndex((l) => /^transcript agent-\S+(?: \([^)]*\))?: You wrote 4 words\./.test(l));
    expect(own).toBeGreaterThanOrEqual(0);
    expect(reply).toBeGreaterThan(own);
  });

  it('drives the manual-turn RPCs with push-to-talk in toggle mode', async () => {
    const pttRoom = room('ptt');
    const alto = startAlto(altoArgs(pttRoom, '-i', `wav:${SPEECH_FIXTURE}?loop`, '--push-to-talk'));
    try {
      await alto.waitForLine(new RegExp(`^agent ${agentName} listening$`), 150_000);
      // Muted until the turn starts: the agent hears nothing.
      alto.child.stdin?.write('\n');
      await alto.waitForLine(/^talking$/, 30_000);
      // Hold the turn over one whole utterance of the looping fixture.
      const from = alto.lines().length;
      await alto.waitForLine(/^speaking ana$/, 30_000, from);
      await alto.waitForLine(/^stopped-speaking ana$/, 30_000, from);
      alto.child.stdin?.write('\n');
      await alto.waitForLine(/^turn-ended$/, 30_000, from);
      await alto.waitForLine(/^transcript agent-\S+(?: \([^)]*\))?: You spoke for [\d.]+ seconds\./, 60_000, from);
    } finally {
      expect(await alto.stop()).toBe(0);
    }
    const rpcs = agent().records().filter((r) => r.event === 'rpc');
    expect(rpcs.map((r) => [r.method, r.caller])).toEqual([
      ['start_turn', 'ana'],
      ['end_turn', 'ana'],
    ]);
  });
});
