/** Who said a line of the conversation. */
export type Speaker = 'user' | 'agent' | 'participant';

/** One line of the conversation: a transcribed segment or a chat message. */
export interface ConversationSegment {
  /** Interim and final versions of a segment share it (`lk.segment_id`, or the chat stream id). */
  readonly id: string;
  readonly identity: string;
  readonly speaker: Speaker;
  readonly source: 'speech' | 'chat';
  readonly text: string;
  readonly final: boolean;
  /** When the segment began, ms since the call started (the client's connect). */
  readonly startMs: number;
  /** When it ended (final segments), ms since the call started. */
  readonly endMs: number;
}

/** One agent reply's response latency. */
export interface TurnLatency {
  /** 1-based number of the measured turn in this call. */
  readonly turn: number;
  readonly agentIdentity: string;
  /** From the end of the user's speech to the reply's first audible sample leaving the mixer. */
  readonly latencyMs: number;
  /** When the user's speech ended, ms since the call started. */
  readonly userSpeechEndMs: number;
}

/** Response latency over the call. */
export interface LatencySummary {
  readonly turns: number;
  readonly p50Ms: number | undefined;
  readonly p95Ms: number | undefined;
}

/** An agent as UIs show it. */
export interface AgentView {
  readonly identity: string;
  /** `lk.agent.name`, the name it was dispatched by, or its identity. */
  readonly name: string;
  /** `lk.agent.state` (initializing, idle, listening, thinking, speaking, ...), if published. */
  readonly state: string | undefined;
}

/** The conversation part of the client's metrics. */
export interface ConversationMetrics {
  readonly agents: readonly AgentView[];
  readonly latency: LatencySummary;
  /** Latency of every measured turn, oldest first. */
  readonly turns: readonly TurnLatency[];
  /** Push-to-talk: whether the user holds the turn now. */
  readonly talking: boolean;
}
