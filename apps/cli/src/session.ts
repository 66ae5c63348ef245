import {
  AltoClient,
  createDefaultComponents,
  listDevices as listAudioDevices,
  shutdownNetworkRuntime,
  type AudioTapSource,
} from '@alto/orchestrator';
import type { Logger } from '@alto/mixer-core';
import type { Readable } from 'node:stream';
import { createAgentSession } from './agent-session.js';
import type { CliConfig } from './args.js';
import { loadE2eeKey } from './e2ee-key.js';
import { SessionView, toClientOptions } from './session-view.js';
import { installShutdownHandlers, shutdownSignal } from './shutdown-signal.js';
import { AgentInput } from './tui/agent-input.js';
import { withConversation } from './tui/conversation.js';
import { TuiController } from './tui/controller.js';
import type { TuiAction } from './tui/keys.js';
import { PlainEventLog } from './tui/plain-events.js';
import { SpectrumAnalyzer } from './tui/spectrum.js';

/** Where the session writes: the real process by default. */
export interface SessionIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** Where plain mode reads push-to-talk toggles. */
  readonly stdin?: Readable;
}

/** How long leaving may take before the process is ended anyway (Ctrl+C must exit within 2 s). */
const LEAVE_DEADLINE_MS = 1500;

function withDeadline(work: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    work.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      () => {
        clearTimeout(timer);
        resolve();
      },
    );
  });
}

/** How often plain mode asks the mixer who is speaking (its flag already has hysteresis). */
const SPEAKING_POLL_MS = 100;

/**
 * Joins the room and runs until the user quits, `--duration` elapses, SIGINT/SIGTERM arrives,
 * or the connection is lost for good. Resolves once the room is left; rejects if joining fails.
 */
export async function runSession(config: CliConfig, logger: Logger, io: SessionIo): Promise<void> {
  const e2eeKey = loadE2eeKey(config.e2eeKeyFile);
  const client = new AltoClient(
    { ...toClientOptions(config, logger), ...(e2eeKey === undefined ? {} : { e2eeKey }) },
    createDefaultComponents({
      ...(config.jitterBufferMs === undefined ? {} : { targetLatencyMs: config.jitterBufferMs }),
      ...(config.deviceFallback ? {} : { deviceFallback: false }),
    }),
  );
  const view = new SessionView(config.roomName ?? '', config.identity ?? '', { masterVolume: config.volume });
  const plain = config.tui ? undefined : new PlainEventLog(config.eventsTo === 'stdout' ? io.stdout : io.stderr, config.json ? 'json' : 'text');
  const agent = createAgentSession(
    client,
    config.agents,
    plain ? (text) => plain.write({ type: 'conversation', text }) : undefined,
    config.tui || !config.agents.pushToTalk ? undefined : io.stdin,
  );

  let finish: (reason: string) => void = () => {};
  const finished = new Promise<string>((resolve) => {
    finish = resolve;
  });
  let lostReason: string | undefined;
  let established = false;
  let quitting = false;
  // The UI is up from the first moment, saying where it connects, not blank until joined.
  const tui = config.tui ? startTui(client, view, () => finish('quit'), config.agents.pushToTalk) : undefined;
  client.on('event', (event) => {
    for (const line of view.apply(event)) plain?.write(line);
    agent.onEvent(event);
    // A failed connect also ends 'disconnected'; only an established session can be lost.
    if (established && event.type === 'state' && event.state === 'disconnected' && !quitting) {
      lostReason = event.reason ?? 'connection lost';
      // The terminal UI stays, showing why, until the user quits; plain mode ends at once.
      if (!tui) finish('lost');
    }
  });
  installShutdownHandlers();
  void shutdownSignal.then(() => {
    quitting = true;
    finish('signal');
  });
  const connecting = client.connect();
  let first: string;
  try {
    first = await Promise.race([connecting.then(() => 'connected'), finished]);
  } catch (error) {
    tui?.stop();
    throw error;
  }
  established = first === 'connected';
  if (!established) {
    // A signal or `q` during connect: give connect a moment to settle, then leave whatever was built.
    tui?.stop();
    await withDeadline(client.disconnect(), LEAVE_DEADLINE_MS);
    await withDeadline(shutdownNetworkRuntime(300), 400);
    return;
  }

  await agent.afterConnect();
  const durationTimer = config.durationSec === undefined ? undefined : setTimeout(() => finish('duration'), config.durationSec * 1000);
  const speakingPoll = plain
    ? setInterval(() => {
        for (const line of view.pollSpeaking(client.participants())) plain.write(line);
      }, SPEAKING_POLL_MS)
    : undefined;
  await finished;
  quitting = true;
  if (durationTimer) clearTimeout(durationTimer);
  if (speakingPoll) clearInterval(speakingPoll);
  tui?.stop();
  agent.finish(tui ? (line) => io.stdout.write(`${line}\n`) : undefined);
  await withDeadline(client.disconnect(), LEAVE_DEADLINE_MS);
  await withDeadline(shutdownNetworkRuntime(300), 400);
  if (lostReason !== undefined) throw new SessionLostError(lostReason);
}

/** The connection went away for good while the user had not asked to leave. */
export class SessionLostError extends Error {
  override readonly name = 'SessionLostError';
  readonly code = 'SESSION_LOST';
  constructor(reason: string) {
    super(`left the room: ${reason}`);
  }
}

function startTui(client: AltoClient, view: SessionView, quit: () => void, pushToTalk: boolean): { stop(): void } {
  const report = (error: unknown): void => {
    view.note(error instanceof Error ? error.message : String(error), true);
  };
  const agentInput = new AgentInput(
    {
      sendChat: (text) => void client.sendChat(text).catch(report),
      startTurn: () => void client.startTurn().catch(report),
      endTurn: () => void client.endTurn().catch(report),
      talking: () => client.getMetrics().conversation?.talking ?? false,
    },
    { pushToTalk, write: (text) => process.stdout.write(text) },
  );
  const analyzer = new SpectrumAnalyzer({ sampleRate: 48_000, bands: 16 });
  const bands = new Float32Array(analyzer.bandCount);
  let spectrumOf = 'microphone';
  const tap = (source: AudioTapSource, frame: Int16Array): void => {
    const name = source.kind === 'microphone' ? 'microphone' : source.identity;
    if (name === spectrumOf) analyzer.push(frame);
  };
  client.on('audio', tap);
  const onAction = (action: TuiAction): void => {
    try {
      switch (action.type) {
        case 'toggleMute':
          view.note(client.microphoneMuted ? 'your microphone is live' : 'your microphone is muted');
          void client.setMicrophoneMuted(!client.microphoneMuted);
          return;
        case 'setVolume':
          client.setParticipantVolume(action.id, action.volume);
          return;
        case 'setParticipantMuted':
          client.setParticipantMuted(action.id, action.muted);
          view.note(action.muted ? `stopped playing ${action.id}` : `playing ${action.id} again`);
          return;
        case 'setMasterVolume':
          view.masterVolume = action.volume;
          client.setMasterVolume(action.volume);
          return;
        case 'select':
          spectrumOf = action.id;
          return;
        case 'quit':
          quit();
          return;
      }
    } catch (error) {
      view.note(error instanceof Error ? error.message : String(error), true);
    }
  };
  const controller: TuiController = new TuiController({
    getState: () => {
      spectrumOf = controller.selected ?? 'microphone';
      analyzer.compute(bands);
      const metrics = client.getMetrics();
      const frame = view.snapshot(client.participants(), metrics, { source: spectrumOf, bandsDb: bands });
      return withConversation(frame, metrics.conversation, agentInput.hint());
    },
    onAction,
    interceptInput: (chunk) => agentInput.handle(chunk),
  });
  controller.start();
  agentInput.start();
  return {
    stop: () => {
      client.off('audio', tap);
      agentInput.stop();
      controller.stop();
    },
  };
}

/** Prints the audio devices PortAudio sees, one per line, on stdout. */
export async function printDevices(logger: Logger, out: SessionIo['stdout']): Promise<void> {
  logger.debug('listing devices');
  const devices = await listAudioDevices();
  if (devices.length === 0) {
    out.write('no audio devices found (use a backend: -i tone:440 | wav:<file> | silence, -o null | wav:<file>)\n');
    return;
  }
  out.write('index  in  out  rate   default  host api  name\n');
  for (const d of devices) {
    const mark = `${d.isDefaultInput ? 'in' : ''}${d.isDefaultInput && d.isDefaultOutput ? ',' : ''}${d.isDefaultOutput ? 'out' : ''}`;
    out.write(
      `${String(d.index).padStart(5)}  ${String(d.maxInputChannels).padStart(2)}  ${String(d.maxOutputChannels).padStart(3)}  ${String(d.defaultSampleRate).padStart(5)}  ${mark.padEnd(7)}  ${d.hostApi.padEnd(8)}  ${d.name}\n`,
    );
  }
}
