import { sgr } from './ansi.js';

/** Bottom of the meter scale in dBFS; anything quieter shows as empty. */
export const METER_FLOOR_DB = -60;

/** Position of a dBFS level on the -60..0 scale as a fraction 0..1 (clamped; NaN → 0). */
export function meterFraction(dbfs: number): number {
  if (!(dbfs > METER_FLOOR_DB)) return 0;
  if (dbfs >= 0) return 1;
  return (dbfs - METER_FLOOR_DB) / -METER_FLOOR_DB;
}

/**
 * Draws a VU meter `width` cells wide: filled cells green below -18 dBFS, yellow to -6, red
 * above (so you can see clipping coming), the rest dim dots, and the recent peak as a bar.
 * @param color false for plain text (tests, dumb terminals)
 */
export function renderMeter(levelDbfs: number, peakDbfs: number, width: number, color = true): string {
  const filled = Math.round(meterFraction(levelDbfs) * width);
  const peakAt = peakDbfs > METER_FLOOR_DB ? Math.min(width - 1, Math.round(meterFraction(peakDbfs) * width) - 1) : -1;
  let out = '';
  for (let i = 0; i < width; i++) {
    const cellDb = METER_FLOOR_DB + ((i + 1) / width) * -METER_FLOOR_DB;
    if (i < filled) {
      const code = cellDb > -6 ? '31' : cellDb > -18 ? '33' : '32';
      out += color ? sgr(code, '█') : '█';
    } else if (i === peakAt) {
      out += color ? sgr('1', '|') : '|';
    } else {
      out += color ? sgr('2', '·') : '·';
    }
  }
  return out;
}

/** Formats a level for the meter's label: `-23.5 dB`, or `  -inf dB` for silence. */
export function formatDb(dbfs: number): string {
  if (!(dbfs > -100)) return '  -inf dB';
  return `${dbfs.toFixed(1).padStart(6)} dB`;
}
