import { describe, expect, it } from 'vitest';
import { applyTranscript, type TranscriptLine } from './state.js';

const seg = (segmentId: string, text: string, final = false): TranscriptLine => ({ segmentId, participant: 'bob', text, final });

describe('applyTranscript', () => {
  it('replaces a partial segment by its later versions in place, and appends new ones', () => {
    let lines = applyTranscript([], seg('s1', 'hel'));
    lines = applyTranscript(lines, seg('s2', 'other'));
    lines = applyTranscript(lines, seg('s1', 'hello world', true));
    expect(lines).toEqual([seg('s1', 'hello world', true), seg('s2', 'other')]);
  });

  it('keeps only the last maxLines', () => {
    let lines: readonly TranscriptLine[] = [];
    for (let i = 0; i < 10; i++) lines = applyTranscript(lines, seg(`s${i}`, `line ${i}`, true), 3);
    expect(lines.map((l) => l.text)).toEqual(['line 7', 'line 8', 'line 9']);
  });
});
