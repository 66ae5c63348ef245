import type { AltoClient, AltoEvent } from '@alto/orchestrator';
import type { Readable } from 'node:stream';
import type { AgentCliOptions } from './agent-args.js';
import { TranscriptFile } from './transcript-file.js';
import { conversationLine, latencySummaryLine } from './tui/conversation.js';

/** The agent features of one `alto` session, wired around the client. */
export interface AgentSession {
  /** Feed every client event. */
  onEvent(event: AltoEvent): void;
  /** Once joined: sends `--say`, starts reading push-to-talk toggles from stdin in plain mode. */
  afterConnect(): Promise<void>;
  /** Toggles the push-to-talk turn (the TUI's key, a line on stdin). */
  toggleTurn(): void;
  /**
   * At the end of the call: the latency summary line (through `writeSummary` when given, e.g.
   * to stdout once the TUI has let go of the terminal) and the transcript's last line.
   */
  finish(writeSummary?: (line: string) => void): void;
}

/**
 * Builds the agent features from the `--agent/--say/--transcript/--push-to-talk` options.
 * @param writeLine writes one plain line (the events stream in plain mode; nothing in the TUI)
 * @param stdin where plain mode reads push-to-talk toggles (each line toggles), if anywhere
 */
export function createAgentSession(
  client: AltoClient,
  options: AgentCliOptions,
  writeLine: ((line: string) => void) | undefined,
  stdin: Readable | undefined,
): AgentSession {
  const transcript = options.transcript === undefined ? undefined : new TranscriptFile(options.transcript);
  let recordingOffset: number | undefined;
  let stdinListener: ((chunk: Buffer | string) => void) | undefined;
  const report = (error: unknown): void => writeLine?.(`error ${error instanceof Error ? error.message : String(error)}`);
  const toggleTurn = (): void => {
    void (client.getMetrics().conversation?.talking ? client.endTurn() : client.startTurn()).catch(report);
  };
  return {
    onEvent(event) {
      const line = conversationLine(event);
      if (line !== undefined) writeLine?.(line);
      recordingOffset = client.recordingOffsetMs ?? recordingOffset;
      transcript?.onEvent(event, recordingOffset);
    },
    async afterConnect() {
      if (options.pushToTalk && stdin && writeLine) {
        writeLine('push-to-talk: each line on stdin starts or ends your turn');
        stdinListener = (chunk) => {
          for (const ch of String(chunk)) if (ch === '\n') toggleTurn();
        };
        stdin.on('data', stdinListener);
      }
      if (options.say !== undefined) {
        // The agent takes text only once its session runs (it then publishes its state).
        await untilAgentReady(client, options.agentWaitSec * 1000);
        await client.sendChat(options.say).catch(report);
      }
    },
    toggleTurn,
    finish(writeSummary = writeLine) {
      if (stdinListener) {
        stdin?.off('data', stdinListener);
        stdin?.pause();
      }
      const summary = client.latencySummary();
      if (options.agent !== undefined || summary.turns > 0) writeSummary?.(latencySummaryLine(summary));
      transcript?.close(summary, { recordingStartMs: recordingOffset, microphoneStartMs: client.microphoneStartMs });
    },
  };
}

/** Resolves once an agent in the room publishes a state, or after `timeoutMs`. */
function untilAgentReady(client: AltoClient, timeoutMs: number): Promise<void> {
  const ready = (): boolean => (client.getMetrics().conversation?.agents ?? []).some((a) => a.state !== undefined);
  if (ready()) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      client.off('event', onEvent);
      resolve();
    };
    const onEvent = (event: AltoEvent): void => {
      if (event.type === 'agentState' && event.state !== 'left') done();
    };
    const timer = setTimeout(done, timeoutMs);
    client.on('event', onEvent);
  });
}
