import type { Logger } from '@alto/mixer-core';
import type { AltoEvent } from './client-types.js';
import type { NetworkComponent, NetworkEvent } from './components.js';
import { Conversation } from './conversation.js';
import type { ConversationMetrics, ConversationSegment, LatencySummary } from './conversation-types.js';
import { OrchestratorError } from './errors.js';

/** How long `endTurn` waits for the agent's transcript of the turn before committing it anyway. */
export const END_TURN_TRANSCRIPT_WAIT_MS = 3000;
/** Default wait for a dispatched agent to join. */
export const DEFAULT_AGENT_JOIN_TIMEOUT_MS = 15_000;

type TurnRpc = 'start_turn' | 'end_turn' | 'cancel_turn';

const CONVERSATION_EVENTS: ReadonlySet<string> = new Set(['agentJoined', 'agentLeft', 'agentStateChanged', 'chatReceived', 'transcriptionUpdate']);

/** The network events the conversation consumes. */
export type ConversationNetworkEvent = Extract<
  NetworkEvent,
  { readonly type: 'agentJoined' | 'agentLeft' | 'agentStateChanged' | 'chatReceived' | 'transcriptionUpdate' }
>;

/** What the controller needs from the client that owns it. */
export interface ConversationHost {
  readonly emit: (event: AltoEvent) => void;
  readonly setMicrophoneMuted: (muted: boolean) => Promise<void>;
  readonly logger: Logger;
  readonly sampleRate: number;
  readonly mixerDelayMs: () => number;
}

/**
 * Everything agent-shaped in one client: the {@link Conversation} (agents, transcript, latency),
 * text chat, the push-to-talk turn with the agent's manual-turn RPCs, and the wait for a
 * dispatched agent. The client feeds it network events and audio; both apps read it back.
 */
export class ConversationController {
  readonly conversation: Conversation;
  #network: NetworkComponent | undefined;
  #talking = false;
  #utterancesAtTurnStart = 0;
  #utterances = 0;
  #userFinalWaiters = new Set<() => void>();
  #agentTimer: NodeJS.Timeout | undefined;
  #turnQueue: Promise<unknown> = Promise.resolve();
  #dispatchedSeen = false;
  #dispatched: readonly string[] = [];

  constructor(private readonly host: ConversationHost) {
    this.conversation = new Conversation({
      emit: (event) => this.#onConversationEvent(event),
      sampleRate: host.sampleRate,
      mixerDelayMs: host.mixerDelayMs,
    });
  }

  /** The room is joined: learn who we are and start waiting for the dispatched agents. */
  attach(network: NetworkComponent, dispatched: readonly string[], joinTimeoutMs = DEFAULT_AGENT_JOIN_TIMEOUT_MS): void {
    this.#network = network;
    const local = network.local?.();
    this.conversation.setLocal(local?.identity, local?.microphoneTrackSid);
    this.#dispatched = dispatched;
    if (dispatched.length === 0 || this.#dispatchedAgentPresent(dispatched)) return;
    this.#agentTimer = setTimeout(() => {
      if (this.#dispatchedAgentPresent(dispatched)) return;
      const names = dispatched.map((n) => `'${n}'`).join(', ');
      const message = `no agent ${names} joined within ${Math.round(joinTimeoutMs / 1000)} s: is a worker registered under that name? The call goes on.`;
      this.host.logger.warn('dispatched agent did not join', { agents: dispatched, timeoutMs: joinTimeoutMs });
      this.host.emit({ type: 'error', code: 'AGENT_NOT_JOINED', message });
    }, joinTimeoutMs);
    this.#agentTimer.unref();
  }

  /** The room is left. */
  detach(): void {
    clearTimeout(this.#agentTimer);
    this.#network = undefined;
    for (const wake of this.#userFinalWaiters) wake();
    this.#userFinalWaiters.clear();
  }

  /** True once a dispatched agent was seen in the room (it may have left since: that is not "never joined"). */
  #dispatchedAgentPresent(names: readonly string[]): boolean {
    this.#dispatchedSeen ||= this.conversation.agents().some((a) => names.includes(a.name));
    return this.#dispatchedSeen;
  }

  /** Handles the network events that belong to the conversation; false for the others. */
  handleNetworkEvent(event: NetworkEvent): event is ConversationNetworkEvent {
    if (!CONVERSATION_EVENTS.has(event.type)) return false;
    const c = this.conversation;
    const e = event as ConversationNetworkEvent;
    switch (e.type) {
      case 'agentJoined':
        // Its state arrives as its own agentStateChanged event.
        c.agentJoined(e.identity, e.agentName, e.state);
        this.#dispatchedAgentPresent(this.#dispatched);
        break;
      case 'agentLeft':
        c.agentLeft(e.identity);
        break;
      case 'agentStateChanged':
        c.agentState(e.identity, e.state, e.previous);
        break;
      case 'chatReceived':
        c.chat(e.identity, e.id, e.text);
        break;
      case 'transcriptionUpdate':
        c.transcription(e);
        break;
    }
    return true;
  }

  /** Each microphone frame after the inserts; a muted microphone counts as silence. */
  microphoneFrame(frame: Int16Array, channels: number, muted: boolean): void {
    const was = this.conversation.userSpeaking;
    this.conversation.microphoneFrame(muted ? silenceLike(frame) : frame, channels);
    if (!was && this.conversation.userSpeaking) this.#utterances++;
  }

  /** Sends a chat message on `lk.chat` and shows it as the user's line. */
  async sendChat(text: string): Promise<void> {
    const network = this.#requireNetwork('send a chat message');
    if (!text.trim()) throw new OrchestratorError('INVALID_OPTIONS', 'a chat message cannot be empty');
    if (!network.sendChat) throw new OrchestratorError('NOT_CONNECTED', 'this network component cannot send chat messages');
    const id = await network.sendChat(text);
    const local = network.local?.().identity ?? 'me';
    this.conversation.chat(local, id, text);
  }

  /** Whether the user holds the push-to-talk turn. */
  get talking(): boolean {
    return this.#talking;
  }

  /**
   * Takes the turn: `start_turn` first (it interrupts the agent and restarts its STT, which would
   * drop speech that was already flowing), then opens the microphone.
   */
  startTurn(): Promise<void> {
    return this.#serialise(async () => {
      if (this.#talking) return;
      this.#requireNetwork('start a turn');
      this.#talking = true;
      this.#utterancesAtTurnStart = this.#utterances;
      const rpc = await this.#callTurnRpc('start_turn');
      await this.host.setMicrophoneMuted(false);
      this.host.emit({ type: 'turn', talking: true, action: 'start', rpc });
    });
  }

  /**
   * Gives the turn back: closes the microphone at once, then waits for the agent's transcript of
   * what was said (its VAD needs ~0.55 s of silence, then its STT runs) before `end_turn`, so the
   * turn is not committed empty. A turn with no speech from our microphone is cancelled instead.
   */
  endTurn(): Promise<void> {
    return this.#serialise(async () => {
      if (!this.#talking) return;
      this.#talking = false;
      await this.host.setMicrophoneMuted(true);
      const spoke = this.#utterances > this.#utterancesAtTurnStart || this.conversation.userSpeaking;
      if (!spoke) {
        const rpc = await this.#callTurnRpc('cancel_turn');
        this.host.emit({ type: 'turn', talking: false, action: 'cancel', rpc });
        return;
      }
      if (this.#turnAgent()) await this.#nextUserFinal(END_TURN_TRANSCRIPT_WAIT_MS);
      const rpc = await this.#callTurnRpc('end_turn');
      this.host.emit({ type: 'turn', talking: false, action: 'end', rpc });
    });
  }

  /** Drops the turn: closes the microphone and sends `cancel_turn`. */
  cancelTurn(): Promise<void> {
    return this.#serialise(async () => {
      const was = this.#talking;
      this.#talking = false;
      await this.host.setMicrophoneMuted(true);
      if (!was) return;
      const rpc = await this.#callTurnRpc('cancel_turn');
      this.host.emit({ type: 'turn', talking: false, action: 'cancel', rpc });
    });
  }

  segments(): readonly ConversationSegment[] {
    return this.conversation.finalSegments();
  }

  latency(): LatencySummary {
    return this.conversation.latency();
  }

  metrics(): ConversationMetrics {
    return { agents: this.conversation.agents(), latency: this.conversation.latency(), turns: [...this.conversation.turns()], talking: this.#talking };
  }

  #serialise(step: () => Promise<void>): Promise<void> {
    const run = this.#turnQueue.then(step, step);
    this.#turnQueue = run.catch(() => {});
    return run;
  }

  /** The agent the turn RPCs go to: the first one in the room. */
  #turnAgent(): string | undefined {
    return this.conversation.agents()[0]?.identity;
  }

  async #callTurnRpc(method: TurnRpc): Promise<'ok' | 'unsupported' | 'none' | 'failed'> {
    const agent = this.#turnAgent();
    const network = this.#network;
    if (!agent || !network?.callTurnRpc) return 'none';
    try {
      return await network.callTurnRpc(agent, method);
    } catch (error) {
      this.host.logger.warn('turn RPC failed', { method, agent, error: error instanceof Error ? error.message : String(error) });
      return 'failed';
    }
  }

  #nextUserFinal(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#userFinalWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.#userFinalWaiters.add(done);
    });
  }

  #onConversationEvent(event: AltoEvent): void {
    if (event.type === 'transcription' && event.final && event.speaker === 'user' && event.source === 'speech') {
      for (const wake of [...this.#userFinalWaiters]) wake();
    }
    this.host.emit(event);
  }

  #requireNetwork(what: string): NetworkComponent {
    if (!this.#network) throw new OrchestratorError('NOT_CONNECTED', `cannot ${what}: the client is not connected`);
    return this.#network;
  }
}

let silentFrame = new Int16Array(0);
function silenceLike(frame: Int16Array): Int16Array {
  if (silentFrame.length !== frame.length) silentFrame = new Int16Array(frame.length);
  return silentFrame;
}
