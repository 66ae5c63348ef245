import type { ParticipantInfo } from './session-types.js';

/**
 * Who the session has announced as present, so that UIs get one `joined` per person and a
 * `left` only after it: everyone already in a room on (re)joining is announced (the SDK reports
 * only later arrivals), whoever went away while the session was away is reported gone, and
 * repeats from the SDK are dropped.
 */
export class ParticipantPresence {
  private readonly present = new Map<string, ParticipantInfo>();

  constructor(
    private readonly onJoined: (participant: ParticipantInfo) => void,
    private readonly onLeft: (participant: ParticipantInfo) => void,
  ) {}

  /** Someone is in the room; announced unless already announced. */
  joined(participant: ParticipantInfo): void {
    if (this.present.has(participant.identity)) return;
    this.present.set(participant.identity, participant);
    this.onJoined(participant);
  }

  /** Someone left; reported only if they had been announced. */
  left(identity: string): void {
    const participant = this.present.get(identity);
    if (!participant) return;
    this.present.delete(identity);
    this.onLeft(participant);
  }

  /** Brings the announced set in line with who is in the room now (after a join or rejoin). */
  reconcile(now: Iterable<ParticipantInfo>): void {
    const byIdentity = new Map([...now].map((p) => [p.identity, p]));
    for (const identity of [...this.present.keys()]) if (!byIdentity.has(identity)) this.left(identity);
    for (const participant of byIdentity.values()) this.joined(participant);
  }

  /** Forgets everyone without reporting (the session is over). */
  clear(): void {
    this.present.clear();
  }
}
