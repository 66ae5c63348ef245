import { describe, expect, it } from 'vitest';
import { CLEAR_EOL, CLEAR_EOS, HOME, stripAnsi } from './ansi.js';
import { formatDb, meterFraction, renderMeter } from './meter.js';
import { layout, render } from './render.js';
import { columnsOf } from './text-width.js';
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
      expect(columnsOf(line)).toBeLessThanOrEqual(99);
    }
  });

  it('shows the header, your mic, a row per participant, the spectrum, the transcript and the status', () => {
    const text = layout(state, 100, 30, false);
    expect(text[0]).toMatch(/^alto ● connected {2}master 1\.0 {2}quality good {2}room demo {2}as alice$/);
    expect(text.find((l) => l.includes('you (mic)'))).toMatch(/MUTED/);
    const bob = text.find((l) => l.includes('bob') && l.includes('['));
    expect(bob).toMatch(/^ {2}● bob/);
    expect(bob).toMatch(/-12\.0 dB vol 1\.5/);
    const carol = text.find((l) => l.includes('Carol C'));
    expect(carol).toMatch(/^> ○ Carol C/);
    expect(carol).toMatch(/vol 0\.5 +muted/);
    expect(text[1]).toMatch(/── participants \(2\) ─/);
    expect(text.some((l) => l.includes('spectrum: Carol C'))).toBe(true);
    expect(text.filter((l) => /[▁▂▃▄▅▆▇█]{2} /.test(l)).length).toBeGreaterThan(0);
    expect(text).toContain('bob: hello there');
    expect(text).toContain('bob: how ar …');
    expect(text.at(-2)).toBe('no sound device: playing to null');
    expect(text.at(-1)).toMatch(/\? help · m mute/);
  });

  it('says when someone is not heard from, with an empty meter', () => {
    const gone = layout({ ...state, participants: [participant({ id: 'dan', levelDbfs: -6, notHeard: true })] }, 100, 30, false);
    const row = gone.find((l) => l.includes('dan') && l.includes('[')) ?? '';
    expect(row).toMatch(/not heard from/);
    expect(row).not.toContain('█');
  });

  it('shows a lock in the header with E2EE on, and who cannot be decrypted', () => {
    const plain = layout(state, 120, 30, false);
    expect(plain[0]).not.toContain('e2ee');
    const ok = layout({ ...state, e2ee: { enabled: true, undecryptable: 0 } }, 120, 30, false);
    expect(ok[0]).toMatch(/● connected {2}🔒 e2ee {2}master/);
    const keyless = layout({ ...state, e2ee: { enabled: false, undecryptable: 2 } }, 120, 30, false);
    expect(keyless[0]).toContain("🔓 no e2ee key: 2 can't decrypt");
    const failing = layout({ ...state, e2ee: { enabled: true, undecryptable: 1 }, participants: [participant({ id: 'dan', levelDbfs: -6, cannotDecrypt: true })] }, 120, 30, false);
    expect(failing[0]).toContain("🔒 e2ee: 1 can't decrypt");
    const row = failing.find((l) => l.includes('dan') && l.includes('[')) ?? '';
    expect(row).toMatch(/can't decrypt$/);
    expect(row).not.toContain('█');
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

  it.each([
    [80, 24],
    [40, 12],
    [200, 60],
    [30, 8],
    [100, 3],
  ])('keeps every line within %i columns, the header first and the selection visible, with CJK, emoji and combining names (%i rows)', (columns, rows) => {
    const names = ['例えば田中太郎', '😀 Zoë 🎧', 'Jose\u0301 Mari\u0301a', 'a'.repeat(60), '김민준', 'plain'];
    const many = names.map((name, i) => participant({ id: `p${i}`, name, speaking: i % 2 === 0 }));
    const wide = {
      ...state,
      room: '会議室',
      participants: many,
      selected: 4,
      transcript: [{ segmentId: 't', participant: '例えば田中太郎', text: 'こんにちは世界'.repeat(30), final: true }],
      status: '10:00:00 例えば田中太郎 joined',
    };
    const frame = render(wide, columns, rows);
    const lines = frame.slice(HOME.length, -CLEAR_EOS.length).split('\r\n');
    expect(lines).toHaveLength(rows);
    for (const line of lines) expect(columnsOf(line), stripAnsi(line)).toBeLessThan(columns);
    expect(stripAnsi(lines[0] as string)).toMatch(/^alto ● connected/);
    if (rows >= 3) expect(lines.map(stripAnsi).some((l) => /^> [●○] 김민준/.test(l))).toBe(true);
  });

  it('lines the columns up whatever the script: every row puts its meter at the same column', () => {
    const rows = layout({ ...state, participants: [participant({ id: 'a', name: '例えば' }), participant({ id: 'b', name: 'Zoe\u0301😀' }), participant({ id: 'c', name: 'abc' })] }, 100, 30, false);
    const meterAt = rows.filter((l) => / \[/.test(l) && !l.includes('you (mic)')).map((l) => columnsOf(l.slice(0, l.indexOf(' ['))));
    expect(meterAt).toHaveLength(3);
    expect(new Set(meterAt).size).toBe(1);
  });

  it('while reconnecting: attempt, time and reason in the header, the URL below, the old list greyed', () => {
    const lost: TuiState = {
      ...state,
      connection: { state: 'reconnecting', quality: 'excellent', url: 'ws://127.0.0.1:7880', elapsedMs: 12_400, attempt: 3, reason: 'unreachable' },
      participantsStale: true,
    };
    const text = layout(lost, 100, 30, false);
    expect(text[0]).toMatch(/^alto ● reconnecting, attempt 3, 12 s: unreachable {2}master 1\.0 {2}room demo/);
    expect(text[0]).not.toContain('quality');
    expect(text[1]).toContain('ws://127.0.0.1:7880');
    expect(text.some((l) => l.includes('from before the room was lost'))).toBe(true);
    const coloured = render(lost, 100, 30);
    const bobRow = coloured.split('\r\n').find((l) => l.includes('bob')) ?? '';
    expect(bobRow).toContain('\x1b[2m○ bob');
    expect(bobRow).not.toContain('\x1b[1;32m');
    const failed = layout({ ...lost, connection: { state: 'failed', quality: 'unknown', url: 'ws://x', reason: 'wrong key' } }, 100, 30, false);
    expect(failed[0]).toMatch(/● failed: wrong key/);
    expect(failed[1]).toMatch(/gave up on ws:\/\/x: wrong key; press q to quit/);
  });

  it('shows connecting with the server from the first frame', () => {
    const text = layout({ ...emptyTuiState('r', 'me'), connection: { state: 'connecting', quality: 'unknown', url: 'ws://srv:7880', elapsedMs: 2500 } }, 80, 24, false);
    expect(text[0]).toMatch(/^alto ● connecting 2 s/);
    expect(text[1]).toContain('joining ws://srv:7880');
  });

  it('says how many rows are hidden above and below', () => {
    const many = Array.from({ length: 20 }, (_, i) => participant({ id: `p${String(i).padStart(2, '0')}` }));
    const text = layout({ ...state, participants: many, selected: 10, spectrum: undefined, status: '' }, 80, 12, false);
    expect(text.find((l) => l.includes('participants (20)'))).toMatch(/\+\d+ more above, \+\d+ more below/);
  });

  it('lists every key on the help screen', () => {
    const text = layout({ ...state, showHelp: true }, 80, 24, false);
    expect(text[0]).toMatch(/^alto/);
    for (const key of ['m ', 'x ', '? ', 'Ctrl+Z', '] [', 'q  Ctrl+C']) expect(text.some((l) => l.trimStart().startsWith(key)), key).toBe(true);
  });

  it('says when nobody else is in the room', () => {
    expect(layout(emptyTuiState('r', 'me'), 80, 20, false).some((l) => l.includes('nobody else in the room yet'))).toBe(true);
  });
});
