import { appendFileSync, writeFileSync } from 'node:fs';
import type { AltoEvent, LatencySummary } from '@alto/orchestrator';

/** One final segment of the conversation as a line of the `--transcript` file. */
export interface TranscriptLine {
  readonly type: 'segment';
  readonly participant: string;
  readonly speaker: string;
  readonly source: string;
  readonly text: string;
  /** Ms since the call started. */
  readonly startMs: number;
  readonly endMs: number;
  /** Ms since the `--record` file's first sample, when recording. */
  readonly recordStartMs?: number;
  readonly recordEndMs?: number;
}

/**
 * Writes the conversation as JSON Lines: one `segment` object per final segment, as it becomes
 * final, and a `summary` object (response latency) when the call ends. Each line goes out in
 * one write, so a crash never leaves half a line.
 */
export class TranscriptFile {
  constructor(private readonly path: string) {
    // Created empty at once: a bad path fails now, not after the call.
    writeFileSync(path, '');
  }

  /** Appends the event's line if it is a final segment. */
  onEvent(event: AltoEvent, recordingOffsetMs: number | undefined): void {
    if (event.type !== 'transcription' || !event.final || event.startMs === undefined || event.endMs === undefined) return;
    const line: TranscriptLine = {
      type: 'segment',
      participant: event.identity,
      speaker: event.speaker ?? 'participant',
      source: event.source ?? 'speech',
      text: event.text,
      startMs: event.startMs,
      endMs: event.endMs,
      ...(recordingOffsetMs === undefined ? {} : { recordStartMs: event.startMs - recordingOffsetMs, recordEndMs: event.endMs - recordingOffsetMs }),
    };
    appendFileSync(this.path, `${JSON.stringify(line)}\n`);
  }

  /**
   * Appends the call's summary: response latency, and when the recording and the microphone
   * started on the segments' clock (a microphone file's own timeline is `startMs - microphoneStartMs`).
   */
  close(latency: LatencySummary, clock: { recordingStartMs: number | undefined; microphoneStartMs: number | undefined }): void {
    const summary = {
      type: 'summary',
      turns: latency.turns,
      latencyP50Ms: latency.p50Ms ?? null,
      latencyP95Ms: latency.p95Ms ?? null,
      recordingStartMs: clock.recordingStartMs ?? null,
      microphoneStartMs: clock.microphoneStartMs ?? null,
    };
    appendFileSync(this.path, `${JSON.stringify(summary)}\n`);
  }
}
