import { describe, expect, it } from 'vitest';
import { TextStreamGuard, type TextChunkReader } from './text-streams.js';

interface FakeReader extends TextChunkReader {
  readonly closed: boolean;
  readonly chunksRead: number;
}

/** A reader yielding `count` chunks of `chunk`, recording whether it was cancelled. */
function fakeReader(chunk: string, count: number, size?: number): FakeReader {
  let closed = false;
  let chunksRead = 0;
  return {
    info: { topic: 'lk.transcription', ...(size !== undefined ? { size } : {}) },
    get closed() {
      return closed;
    },
    get chunksRead() {
      return chunksRead;
    },
    close: () => {
      closed = true;
      return Promise.resolve();
    },
    async *[Symbol.asyncIterator]() {
      for (let i = 0; i < count && !closed; i++) {
        chunksRead++;
        yield chunk;
        await Promise.resolve();
      }
    },
  };
}

function logger() {
  const warnings: Record<string, unknown>[] = [];
  const none = (): void => {};
  return { warnings, debug: none, info: none, error: none, warn: (_m: string, f?: Record<string, unknown>) => warnings.push(f ?? {}) };
}

describe('TextStreamGuard', () => {
  it('returns a stream within the limits whole', async () => {
    const guard = new TextStreamGuard({}, logger());
    expect(await guard.read(fakeReader('hello ', 3), 'ana')).toBe('hello hello hello ');
    expect(guard.dropped).toBe(0);
  });

  it('stops reading a stream the moment it passes the size cap, cancels it and logs why', async () => {
    const log = logger();
    const guard = new TextStreamGuard({ maxStreamBytes: 1024, bytesPerSecond: 1 << 30 }, log);
    const reader = fakeReader('x'.repeat(100), 16 * 1024);
    expect(await guard.read(reader, 'mallory')).toBeUndefined();
    expect(reader.closed).toBe(true);
    expect(reader.chunksRead).toBe(11);
    expect(log.warnings[0]).toMatchObject({ participant: 'mallory', reason: 'too_large' });
  });

  it('drops a stream whose declared size is over the cap without reading it', async () => {
    const guard = new TextStreamGuard({ maxStreamBytes: 1024 }, logger());
    const reader = fakeReader('x', 1, 16 << 20);
    expect(await guard.read(reader, 'mallory')).toBeUndefined();
    expect(reader.chunksRead).toBe(0);
    expect(reader.closed).toBe(true);
  });

  it('limits the bytes per second of one participant, refilling with time, without touching others', async () => {
    let now = 0;
    const guard = new TextStreamGuard({ maxStreamBytes: 4096, bytesPerSecond: 1000, streamsPerSecond: 1000 }, logger(), () => now);
    // The burst allowance is 4 s worth: 4000 bytes.
    expect(await guard.read(fakeReader('x'.repeat(1000), 3), 'mallory')).toHaveLength(3000);
    expect(await guard.read(fakeReader('x'.repeat(1000), 2), 'mallory')).toBeUndefined();
    expect(await guard.read(fakeReader('x'.repeat(1000), 2), 'ana')).toHaveLength(2000);
    now += 3000;
    expect(await guard.read(fakeReader('x'.repeat(1000), 2), 'mallory')).toHaveLength(2000);
  });

  it('limits how many streams a participant opens per second and logs once per reason', async () => {
    const log = logger();
    const guard = new TextStreamGuard({ streamsPerSecond: 2 }, log, () => 0);
    const results = [];
    for (let i = 0; i < 20; i++) results.push(await guard.read(fakeReader('hi', 1), 'mallory'));
    expect(results.filter((r) => r === 'hi')).toHaveLength(8);
    expect(guard.dropped).toBe(12);
    expect(log.warnings).toHaveLength(1);
    expect(log.warnings[0]).toMatchObject({ reason: 'stream_rate' });
  });

  it('counts a stream the native layer ended for its size as dropped, and passes other errors on', async () => {
    const log = logger();
    const guard = new TextStreamGuard({}, log);
    const failing = (message: string): TextChunkReader => ({
      info: { topic: 'lk.transcription' },
      close: () => Promise.resolve(),
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error(message)) }),
    });
    expect(await guard.read(failing('stream payload exceeds maximum size'), 'mallory')).toBeUndefined();
    expect(log.warnings[0]).toMatchObject({ reason: 'too_large' });
    await expect(guard.read(failing('disconnected'), 'mallory')).rejects.toThrow(/disconnected/);
  });

  it('logs hostile identities without their control characters', async () => {
    const log = logger();
    const guard = new TextStreamGuard({ maxStreamBytes: 10 }, log);
    await guard.read(fakeReader('x'.repeat(100), 1), '\x1b]0;pwned\x07evil');
    // eslint-disable-next-line no-control-regex
    expect(String(log.warnings[0]?.participant)).not.toMatch(/[\u0000-\u001f]/);
  });
});
