import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { sanitizeLabelValue, type ConnectionState } from '@alto/orchestrator';
import type { ClientSupervisor } from './supervisor.js';

const STATES: readonly (ConnectionState | 'idle')[] = ['idle', 'connecting', 'connected', 'reconnecting', 'disconnected'];

/** The daemon's Prometheus registry and the HTTP counter the server increments. */
export interface DaemonMetrics {
  readonly registry: Registry;
  /** Counts answered requests by route template and status (bounded label values). */
  readonly httpRequests: Counter<'route' | 'status'>;
  /** Tracks how many SSE clients are attached. */
  readonly sseClients: Gauge;
}

/** A counter whose value is copied from a snapshot at scrape time (reset + inc keeps it a counter). */
function snapshotCounter(
  registry: Registry,
  name: string,
  help: string,
  read: () => number | undefined,
): void {
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(read() ?? 0);
    },
  });
}

/**
 * Builds the registry behind `GET /metrics`: Node default metrics (including event-loop lag from
 * `monitorEventLoopDelay`), connection state, reconnects, per-participant levels and buffers,
 * per-stream underruns and frames, device and network frame counters. Values are read from the
 * supervisor at scrape time, so nothing runs between scrapes. Client counters restart at 0 when
 * the daemon replaces its client (Prometheus treats that as a counter reset).
 */
export function createMetrics(supervisor: ClientSupervisor): DaemonMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  const m = (): ReturnType<ClientSupervisor['metrics']> => supervisor.metrics();
  const responseLatency = new Histogram({
    name: 'altod_agent_response_latency_seconds',
    help: 'Voice-agent response latency per turn: end of our speech (microphone speaking flag) to the first audible sample of the reply leaving our mixer.',
    buckets: [0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 8],
    registers: [registry],
  });
  supervisor.on('event', (event) => {
    if (event.type === 'turnLatency') responseLatency.observe(event.latencyMs / 1000);
  });

  new Gauge({
    name: 'altod_connection_state',
    help: 'Connection state of the daemon: 1 for the current state, 0 for the others.',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const current = supervisor.state;
      for (const state of STATES) this.set({ state }, state === current ? 1 : 0);
    },
  });
  new Gauge({
    name: 'altod_joined',
    help: '1 while the daemon wants to be in its room, 0 after a leave.',
    registers: [registry],
    collect() {
      this.set(supervisor.status().joined ? 1 : 0);
    },
  });
  snapshotCounter(registry, 'altod_reconnects_total', 'Reconnects: daemon retries plus SDK-level reconnects.', () => supervisor.reconnects);
  new Gauge({
    name: 'altod_microphone_muted',
    help: '1 while the microphone is muted.',
    registers: [registry],
    collect() {
      this.set(supervisor.status().microphoneMuted ? 1 : 0);
    },
  });
  new Gauge({
    name: 'altod_master_volume',
    help: 'Master playback volume (0..2).',
    registers: [registry],
    collect() {
      this.set(supervisor.status().masterVolume);
    },
  });
  new Gauge({
    name: 'altod_participants',
    help: 'Remote participants in the room.',
    registers: [registry],
    collect() {
      this.set(supervisor.participants().length);
    },
  });

  const perParticipant = (name: string, help: string, read: (p: ReturnType<ClientSupervisor['participants']>[number]) => number): void => {
    new Gauge({
      name,
      help,
      labelNames: ['identity'],
      registers: [registry],
      collect() {
        this.reset();
        for (const p of supervisor.participants()) this.set({ identity: sanitizeLabelValue(p.identity) }, read(p));
      },
    });
  };
  perParticipant('altod_participant_level_dbfs', 'RMS level of a participant, dBFS (floor -120).', (p) => p.levelDbfs);
  perParticipant('altod_participant_peak_dbfs', 'Peak level of a participant, dBFS.', (p) => p.peakDbfs);
  perParticipant('altod_participant_buffered_ms', 'Audio buffered for a participant, ms.', (p) => p.bufferedMs);
  perParticipant('altod_participant_speaking', '1 while a participant is speaking.', (p) => (p.speaking ? 1 : 0));
  perParticipant('altod_participant_volume', 'Playback volume set for a participant (0..2).', (p) => p.volume);

  const perStream = (name: string, help: string, key: 'underruns' | 'framesIn' | 'framesOut' | 'droppedFrames'): void => {
    new Counter({
      name,
      help,
      labelNames: ['stream'],
      registers: [registry],
      collect() {
        this.reset();
        for (const s of m()?.mixer?.streams ?? []) this.inc({ stream: sanitizeLabelValue(s.label ?? s.id) }, s[key]);
      },
    });
  };
  perStream('altod_stream_underruns_total', 'Times a participant stream ran dry while playing.', 'underruns');
  perStream('altod_stream_frames_in_total', 'Frames received into a participant stream.', 'framesIn');
  perStream('altod_stream_frames_out_total', 'Frames of a participant stream mixed into the output.', 'framesOut');
  perStream('altod_stream_dropped_frames_total', 'Frames dropped to keep a stream latency bounded.', 'droppedFrames');

  snapshotCounter(registry, 'altod_mixer_frames_out_total', 'Frames produced by the mixer.', () => m()?.mixer?.framesOut);
  snapshotCounter(registry, 'altod_mixer_underruns_total', 'Mixer reads with no audio from any stream.', () => m()?.mixer?.underruns);
  snapshotCounter(registry, 'altod_output_frames_played_total', 'Frames played by the output device.', () => m()?.output?.framesPlayed);
  snapshotCounter(registry, 'altod_output_underruns_total', 'Output device underruns.', () => m()?.output?.underruns);
  snapshotCounter(registry, 'altod_input_frames_captured_total', 'Frames captured from the input device.', () => m()?.input?.framesCaptured);
  snapshotCounter(registry, 'altod_input_overflows_total', 'Input device overflows.', () => m()?.input?.overflows);
  snapshotCounter(registry, 'altod_network_frames_sent_total', 'Frames published to the room.', () => m()?.network.framesSent);
  snapshotCounter(registry, 'altod_network_frames_received_total', 'Frames received from the room.', () => m()?.network.framesReceived);
  snapshotCounter(registry, 'altod_network_bytes_received_total', 'Audio bytes received from the room.', () => m()?.network.bytesReceived);
  snapshotCounter(
    registry,
    'altod_text_streams_dropped_total',
    "Participants' text streams dropped for being over the size, rate or concurrency limits.",
    () => m()?.network.textStreamsDropped,
  );
  new Gauge({
    name: 'altod_input_level_dbfs',
    help: 'Microphone level, dBFS (-120 when there is no input).',
    registers: [registry],
    collect() {
      this.set(m()?.input?.levelDbfs ?? -120);
    },
  });

  const httpRequests = new Counter({
    name: 'altod_http_requests_total',
    help: 'Control API requests by route and status.',
    labelNames: ['route', 'status'] as const,
    registers: [registry],
  });
  const sseClients = new Gauge({ name: 'altod_sse_clients', help: 'Attached event-stream clients.', registers: [registry] });
  return { registry, httpRequests, sseClients };
}
