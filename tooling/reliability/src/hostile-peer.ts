import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Room } from '@livekit/rtc-node';
import { mintToken } from '@alto/livekit-net';
import type { ServerCredentials } from './tone-clients.js';

/** Topic on which transcripts arrive; what a hostile peer floods. */
export const TRANSCRIPTION_TOPIC = 'lk.transcription';

/** A real `@livekit/rtc-node` participant that sends what an attacker in the room would. */
export interface HostilePeer {
  readonly room: Room;
  readonly identity: string;
  /** Sends one text stream in one call (its header declares the size). */
  sendText(text: string, attributes?: Record<string, string>): Promise<void>;
  /** Writes `bytes` of text as one stream in `chunkBytes` pieces without declaring its size. */
  streamText(bytes: number, chunkBytes?: number): Promise<void>;
  leave(): Promise<void>;
}

/** `bytes` of random letters (incompressible enough that the wire carries them all). */
export function randomText(bytes: number): string {
  return randomBytes(Math.ceil((bytes * 3) / 4))
    .toString('base64')
    .slice(0, bytes);
}

/** Joins `room` as `identity` (which may hold control characters) with display name `name`. */
export async function joinHostilePeer(server: ServerCredentials, room: string, identity: string, name: string): Promise<HostilePeer> {
  const token = await mintToken({ apiKey: server.apiKey, apiSecret: server.apiSecret, room, identity, name });
  const lkRoom = new Room();
  await lkRoom.connect(server.url, token, { autoSubscribe: false, dynacast: false });
  const local = lkRoom.localParticipant;
  if (!local) throw new Error('hostile peer has no local participant');
  const final = { 'lk.transcription_final': 'true' };
  return {
    room: lkRoom,
    identity,
    async sendText(text, attributes = final) {
      await local.sendText(text, { topic: TRANSCRIPTION_TOPIC, attributes, compress: false });
    },
    async streamText(bytes, chunkBytes = 64 * 1024) {
      const writer = await local.streamText({ topic: TRANSCRIPTION_TOPIC, attributes: final });
      try {
        for (let sent = 0; sent < bytes; sent += chunkBytes) await writer.write(randomText(Math.min(chunkBytes, bytes - sent)));
      } finally {
        await writer.close().catch(() => {});
      }
    },
    async leave() {
      await lkRoom.disconnect().catch(() => {});
    },
  };
}

/** Resident set size of a process in MB (`VmRSS` in /proc). */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

/** CPU time (user + system) a process has used so far, in seconds. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / 100;
}
