import { describe, expect, it } from 'vitest';
import { CLEAR_EOL, CLEAR_EOS, HOME, stripAnsi } from './ansi.js';
import { formatDb, meterFraction, renderMeter } from './meter.js';
import { layout, render } from './render.js';
import { applyTranscript, emptyTuiState, type ParticipantView, type TuiState } from './state.js';

function participant(over: Partial<ParticipantView> & { id: string }): ParticipantView {
  return { identity: over.id, name: '', levelDbfs: -30, peakDbfs: -20, speaking: false, muted: false, volume: 1, ...over };
}

const state: TuiState = {
  ...emptyTuiState('demo', 'alice'),
  participants: [
    participant({ id: 'bob', speaking: true, levelDbfs: -12, volume: 1.5 }),
    participant({ id: 'carol', name: 'Carol C', muted: true, volume: 0.5 }),
  ],
  selected: 1,
  mic: { levelDbfs: -24, peakDbfs: -18, muted: true },
  connection: { state: 'connected', quality: 'good' },
  transcript: applyTranscript([{ segmentId: 'a', participant: 'bob', text: 'hello there', final: true }], {
    segmentId: 'b', participant: 'bob', text: 'how ar', final: false,
  }),
  spectrum: { source: 'Carol C', bandsDb: new Float32Array(16).fill(-40) },
  status: 'no sound device: playing to null',
};

describe('meter', () => {
  it('maps -60..0 dBFS onto the bar', () => {
    expect(meterFraction(-Infinity)).toBe(0);
    expect(meterFraction(-60)).toBe(0);
    expect(meterFraction(-30)).toBe(0.5);
    expect(meterFraction(0)).toBe(1);
    expect(meterFraction(6)).toBe(1);
    expect(meterFraction(Number.NaN)).toBe(0);
    expect(renderMeter(-30, -Infinity, 10, false)).toBe('█████·····');
    expect(renderMeter(-Infinity, -Infinity, 4, false)).toBe('····');
    expect(renderMeter(0, 0, 4, false)).toBe('████');
    expect(renderMeter(-48, -12, 10, false)).toBe('██·····|··');
    expect(formatDb(-23.46)).toBe(' -23.5 dB');
    expect(formatDb(-Infinity)).toBe('  -inf dB');
  });
});

describe('render', () => {
  it('draws a frame without a full clear: home, each line cleared to its end, rest of screen cleared', () => {
    const frame = render(state, 100, 30);
    expect(frame.startsWith(HOME)).toBe(true);
    expect(frame.endsWith(CLEAR_EOS)).toBe(true);
    expect(frame).not.toContain('\x1b[2J');
    const lines = frame.slice(HOME.length, -CLEAR_EOS.length).split('\r\n');
    expect(lines).toHaveLength(30);
    for (const line of lines) {
      expect(line.endsWith(CLEAR_EOL)).toBe(true);
      expect([...stripAnsi(line)].length).toBeLessThanOrEqual(99);
    }
  });

  it('shows the header, your mic, a row per participant, the spectrum, the transcript and the status', () => {
    const text = layout(state, 100, 30, false);
    expect(text[0]).toMatch(/alto {2}room demo {2}as alice {2}● connected {2}quality good/);
    expect(text.find((l) => l.includes('you (mic)'))).toMatch(/MUTED/);
    const bob = text.find((l) => l.includes('bob') && l.includes('['));
    expect(bob).toMatch(/^ {2}● bob/);
    expect(bob).toMatch(/-12\.0 dB vol 1\.5/);
    const carol = text.find((l) => l.includes('Carol C'));
    expect(carol).toMatch(/^> ○ Carol C/);
    expect(carol).toMatch(/vol 0\.5 +muted/);
    expect(text.some((l) => l.includes('spectrum: Carol C'))).toBe(true);
    expect(text.filter((l) => /[▁▂▃▄▅▆▇█]{2} /.test(l)).length).toBeGreaterThan(0);
    expect(text).toContain('bob: hello there');
    expect(text).toContain('bob: how ar …');
    expect(text.at(-2)).toBe('no sound device: playing to null');
    expect(text.at(-1)).toMatch(/m mute/);
  });

  it('shows louder participants with longer bars', () => {
    const loud = layout({ ...state, participants: [participant({ id: 'a', levelDbfs: -6 }), participant({ id: 'b', levelDbfs: -50 })] }, 100, 30, false);
    const bar = (id: string): number => (loud.find((l) => l.includes(` ${id} `) && l.includes('[')) ?? '').split('█').length - 1;
    expect(bar('a')).toBeGreaterThan(bar('b') + 10);
  });

  it('fits a small terminal, keeping the selected participant visible', () => {
    const many = Array.from({ length: 20 }, (_, i) => participant({ id: `p${i}` }));
    const text = layout({ ...state, participants: many, selected: 17 }, 60, 10, false);
    expect(text).toHaveLength(10);
    expect(text.some((l) => l.startsWith('> ○ p17'))).toBe(true);
    expect(text.some((l) => l.includes('spectrum'))).toBe(false);
  });

  it('never lets a remote name or transcript write escape sequences', () => {
    const evil = { ...state, participants: [participant({ id: 'x', name: 'eve\x1b[2J' })], transcript: [{ segmentId: 's', participant: 'eve', text: '\x1b]0;pwned\x07', final: true }] };
    const frame = render(evil, 100, 30, false);
    expect(frame).not.toContain('\x1b[2J');
    expect(frame).not.toContain('\x1b]0;');
  });

  it('says when nobody else is in the room', () => {
    expect(layout(emptyTuiState('r', 'me'), 80, 20, false).some((l) => l.includes('nobody else in the room yet'))).toBe(true);
  });
});
