/**
 * Audio host process entry. The parent forks this module with stdio
 * [ignore, pipe, pipe, ipc, pipe (audio host→parent, fd 4), pipe (audio parent→host, fd 5),
 * raw fd 6 (only for raw:- specs)]. It writes nothing to stdout itself; naudiodon's chatter on
 * stdout/stderr goes to the parent's logger.
 */
import { AudioMixer, RadioFilter, type MixerMetrics } from '@alto/mixer-core';
import { Socket } from 'node:net';
import { WavFormatError } from '../errors.js';
import { FrameDecoder, encodeAudioFrame } from '../framing.js';
import type { AudioDevice, DeviceCounters, HostReply, HostRequest, MixerCommand } from '../protocol.js';
import { Rechunker } from '../rechunker.js';
import { HostDeviceNotFound, openInputBackend, type InputBackend } from './input-backends.js';
import { ArrivalGaps, BurstTrace, monotonicMs, traceLine } from './latency-trace.js';
import { listPortAudioDevices } from './naudiodon.js';
import { OUTPUT_PERIOD_VARIABLE, chooseOutputPeriod, type OutputPeriodMs } from './output-period.js';
import { OUTPUT_LEAD_VARIABLE, chooseOutputLead } from './output-lead.js';
import { ADAPTIVE_JITTER_FLOOR_MS } from '../jitter-floor.js';
import { raiseNice, raiseRealtime, realtimePermitted } from './priority.js';
import { openOutputBackend, type BlockSource, type OutputBackend } from './output-backends.js';

let priority = raiseNice();

const AUDIO_OUT_FD = 4;
const AUDIO_IN_FD = 5;
const RAW_FD = 6;
const METRICS_INTERVAL_MS = 100;

let input: InputBackend | undefined;
let output: OutputBackend | undefined;
let mixer: AudioMixer | undefined;
let inputFrames = 0;
let metricsTimer: NodeJS.Timeout | undefined;
let stopping = false;
let metricsTicks = 0;

/** Longest waits between frames of a stream, while tracing. */
let arrivalGaps: ArrivalGaps | undefined;

/**
 * Once a second while tracing: stream underruns, mean jitter target, output budget and the
 * longest wait between two frames of a stream in that second.
 */
function traceStats(m: MixerMetrics): void {
  let underruns = 0;
  let target = 0;
  for (const s of m.streams) {
    underruns += s.underruns;
    target += s.targetMs ?? 0;
  }
  const jitter = m.streams.length > 0 ? (target / m.streams.length).toFixed(0) : '-';
  const gap = arrivalGaps ? arrivalGaps.takeMaxMs().toFixed(1) : '-';
  traceLine(`stats ${underruns} ${jitter} ${output?.latencyMs ?? '-'} ${gap}`);
}

function send(message: HostReply, then?: () => void): void {
  if (!process.connected) {
    then?.();
    return;
  }
  process.send?.(message, undefined, {}, () => then?.());
}

function reportOpenFailure(err: unknown, direction: 'input' | 'output', requested: string | number): void {
  if (err instanceof HostDeviceNotFound) {
    let devices: AudioDevice[];
    try {
      devices = listPortAudioDevices();
    } catch {
      devices = [];
    }
    send({ t: 'error', code: 'DEVICE_NOT_FOUND', message: err.message, requested, direction, devices });
  } else if (err instanceof WavFormatError) {
    send({ t: 'error', code: 'WAV_FORMAT', message: err.message });
  } else {
    send({ t: 'error', code: 'DEVICE_OPEN_FAILED', message: err instanceof Error ? err.message : String(err) });
  }
}

function runtimeError(message: string): void {
  send({ t: 'error', code: 'RUNTIME', message });
}

function counters(): DeviceCounters | undefined {
  if (input) {
    return {
      backend: input.backend,
      deviceName: input.deviceName,
      deviceSampleRate: input.deviceSampleRate,
      frames: inputFrames,
      overflows: input.overflows,
      underruns: 0,
      errors: input.errors,
      latencyMs: input.latencyMs,
    };
  }
  if (output) {
    return {
      backend: output.backend,
      deviceName: output.deviceName,
      deviceSampleRate: output.deviceSampleRate,
      frames: output.frames,
      overflows: 0,
      underruns: output.underruns,
      errors: output.errors,
      latencyMs: output.latencyMs,
    };
  }
  return undefined;
}

function startMetrics(): void {
  metricsTimer = setInterval(() => {
    const device = counters();
    if (!device) return;
    const mixerMetrics = mixer?.getMetrics();
    send(mixerMetrics ? { t: 'metrics', device, mixer: mixerMetrics } : { t: 'metrics', device });
    if (mixerMetrics && ++metricsTicks % 10 === 0) traceStats(mixerMetrics);
  }, METRICS_INTERVAL_MS);
}

function openInput(request: Extract<HostRequest, { t: 'open-input' }>): void {
  const audioOut = new Socket({ fd: AUDIO_OUT_FD, readable: false, writable: true });
  audioOut.on('error', () => shutdown());
  const trace = BurstTrace.open('capture');
  const rechunker = new Rechunker((request.sampleRate / 100) * request.channels, (frame) => {
    inputFrames++;
    trace?.check(frame);
    audioOut.write(encodeAudioFrame(0, frame));
  });
  try {
    input = openInputBackend(
      request.source,
      request,
      (samples) => rechunker.push(samples),
      runtimeError,
      RAW_FD,
    );
    input.start();
  } catch (err) {
    reportOpenFailure(err, 'input', request.source.kind === 'device' ? request.source.device : request.source.kind);
    return;
  }
  if (input.backend === 'portaudio') priority = raiseRealtime(priority);
  send({ t: 'opened', deviceName: input.deviceName, deviceSampleRate: input.deviceSampleRate, priority });
  startMetrics();
}

function applyCommand(m: AudioMixer, ids: Map<number, string>, cmd: MixerCommand): void {
  switch (cmd.op) {
    case 'add':
      ids.set(cmd.index, cmd.id);
      if (!m.hasStream(cmd.id)) output?.onStreamAdded?.();
      m.addStream(cmd.id, cmd.options ?? {});
      return;
    case 'remove':
      for (const [index, id] of ids) if (id === cmd.id) ids.delete(index);
      m.removeStream(cmd.id);
      return;
    case 'volume':
      m.setStreamVolume(cmd.id, cmd.volume);
      return;
    case 'mute':
      m.setStreamMuted(cmd.id, cmd.muted);
      return;
    case 'master':
      m.setMasterVolume(cmd.volume);
      return;
  }
}

/** Runs the requested master insert on each mixed block, in place, before the device gets it. */
function withOutputFilter(source: BlockSource, request: Extract<HostRequest, { t: 'open-output' }>): BlockSource {
  if (request.outputFilter !== 'radio') return source;
  const filter = new RadioFilter({ sampleRate: request.sampleRate });
  const channels = request.channels;
  return {
    readInto(out: Int16Array): void {
      source.readInto(out);
      filter.process(out, channels);
    },
  };
}

function openOutput(request: Extract<HostRequest, { t: 'open-output' }>): void {
  const m = new AudioMixer({
    sampleRate: request.sampleRate,
    channels: request.channels,
    targetLatencyMs: request.targetLatencyMs,
    maxLatencyMs: request.maxLatencyMs,
    ...(request.adaptive ? { adaptiveLatency: { minMs: ADAPTIVE_JITTER_FLOOR_MS } } : {}),
  });
  mixer = m;
  const ids = new Map<number, string>();
  const trace = BurstTrace.open('arrive');
  arrivalGaps = ArrivalGaps.open();
  const decoder = new FrameDecoder({
    audio: (index, samples) => {
      trace?.check(samples);
      arrivalGaps?.frame(index, monotonicMs());
      const id = ids.get(index);
      if (id !== undefined && samples.length % request.channels === 0) m.addAudioData(id, samples);
    },
    command: (value) => {
      try {
        applyCommand(m, ids, value as MixerCommand);
      } catch (err) {
        send({ t: 'error', code: 'MIXER_COMMAND', message: err instanceof Error ? err.message : String(err) });
      }
    },
  });
  const audioIn = new Socket({ fd: AUDIO_IN_FD, readable: true, writable: false });
  audioIn.on('data', (chunk: Buffer) => decoder.push(chunk));
  audioIn.on('error', () => shutdown());
  let periodMs: OutputPeriodMs = 10;
  let minLeadMs: number | undefined;
  try {
    if (request.sink.kind === 'device') {
      periodMs = chooseOutputPeriod(request.adaptive === true, realtimePermitted, process.env[OUTPUT_PERIOD_VARIABLE]);
      if (request.adaptive === true) minLeadMs = chooseOutputLead(realtimePermitted, process.env[OUTPUT_LEAD_VARIABLE]);
    }
    const format = { ...request, periodMs, ...(minLeadMs === undefined ? {} : { minLeadMs }) };
    output = openOutputBackend(request.sink, format, withOutputFilter(m, request), runtimeError, RAW_FD);
    output.start();
  } catch (err) {
    reportOpenFailure(err, 'output', request.sink.kind === 'device' ? request.sink.device : request.sink.kind);
    return;
  }
  if (output.backend === 'portaudio') priority = raiseRealtime(priority);
  send({
    t: 'opened',
    deviceName: output.deviceName,
    deviceSampleRate: output.deviceSampleRate,
    priority,
    ...(output.backend === 'portaudio' ? { periodMs } : {}),
    ...(output.backend === 'portaudio' && minLeadMs !== undefined ? { minLeadMs } : {}),
  });
  startMetrics();
}

function shutdown(): void {
  if (stopping) return;
  stopping = true;
  if (metricsTimer) clearInterval(metricsTimer);
  try {
    input?.close();
    output?.close();
  } catch (err) {
    runtimeError(`closing failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  // process.exit, not quit(): naudiodon's quit can hang forever; the parent SIGKILLs us if even
  // this hangs.
  send({ t: 'stopped' }, () => process.exit(0));
}

process.on('message', (message: HostRequest) => {
  switch (message.t) {
    case 'list':
      try {
        send({ t: 'devices', devices: listPortAudioDevices() });
      } catch (err) {
        send({ t: 'error', code: 'DEVICE_OPEN_FAILED', message: err instanceof Error ? err.message : String(err) });
      }
      return;
    case 'open-input':
      openInput(message);
      return;
    case 'open-output':
      openOutput(message);
      return;
    case 'stop':
      shutdown();
      return;
  }
});
// Parent gone: nobody can stop us any more, so stop now.
process.on('disconnect', () => shutdown());
// Ctrl+C in a terminal signals the whole foreground process group, this host included, and a
// service manager's stop signals every process of the service. The parent owns the order of a
// shutdown (leave the room, stop the devices, let the host finalise its recording), so the host
// leaves these signals to it; if the parent dies instead, 'disconnect' above stops the host.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
