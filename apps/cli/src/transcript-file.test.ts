import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TranscriptFile } from './transcript-file.js';

describe('TranscriptFile', () => {
  it('writes one JSON line per final segment, placed in the recording, then the summary', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'alto-transcript-')), 'call.jsonl');
    const file = new TranscriptFile(path);
    expect(readFileSync(path, 'utf8')).toBe('');
    const segment = { type: 'transcription', identity: 'ana', segmentId: 'S1', speaker: 'user', source: 'speech', startMs: 2500, endMs: 4000 } as const;
    file.onEvent({ ...segment, text: 'interim', final: false }, 500);
    file.onEvent({ ...segment, text: 'hello agent', final: true }, 500);
    file.onEvent({ type: 'participantLeft', identity: 'bob' }, 500);
    file.close({ turns: 1, p50Ms: 900, p95Ms: 900 }, { recordingStartMs: 500, microphoneStartMs: 620 });
    const lines = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(lines).toEqual([
      { type: 'segment', participant: 'ana', speaker: 'user', source: 'speech', text: 'hello agent', startMs: 2500, endMs: 4000, recordStartMs: 2000, recordEndMs: 3500 },
      { type: 'summary', turns: 1, latencyP50Ms: 900, latencyP95Ms: 900, recordingStartMs: 500, microphoneStartMs: 620 },
    ]);
  });
});
