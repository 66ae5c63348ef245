import { strongestTone } from '@alto/harness';
import { AltoClient, createDefaultComponents, type AltoClientOptions, type AudioTapSource } from '@alto/orchestrator';

/** Tones the tests give their clients; far enough apart for a Goertzel filter to tell them apart. */
export const TONES_HZ = [440, 660, 880, 1100] as const;

const KEEP_SAMPLES = 48_000; // 1 s at 48 kHz mono

/**
 * Listens to what one client receives from each remote participant (the orchestrator's audio
 * tap, fed before the mixer's jitter buffer), keeping the last second per identity.
 */
export class Ear {
  private readonly recent = new Map<string, Int16Array[]>();
  private readonly tap = (source: AudioTapSource, frame: Int16Array): void => {
    if (source.kind !== 'participant') return;
    let chunks = this.recent.get(source.identity);
    if (!chunks) this.recent.set(source.identity, (chunks = []));
    chunks.push(frame.slice());
    let total = 0;
    for (const c of chunks) total += c.length;
    while (total > KEEP_SAMPLES && chunks.length > 1) total -= chunks.shift()?.length ?? 0;
  };

  constructor(private readonly client: AltoClient) {
    client.on('audio', this.tap);
  }

  /** Forgets everything heard so far (call right after injecting a fault). */
  clear(): void {
    this.recent.clear();
  }

  /**
   * True when the last `windowMs` from `identity` are dominated by `hz` (≥ 10 dB over the other
   * test tones) and loud (the tone is sent at half scale, so > -20 dBFS is comfortably met).
   */
  hears(identity: string, hz: number, windowMs = 300): boolean {
    const chunks = this.recent.get(identity);
    if (!chunks) return false;
    const want = Math.round((48_000 * windowMs) / 1000);
    const samples: number[] = [];
    for (let i = chunks.length - 1; i >= 0 && samples.length < want; i--) {
      const c = chunks[i];
      if (c) samples.unshift(...c);
    }
    if (samples.length < want) return false;
    let sum = 0;
    for (const s of samples) sum += (s / 32768) ** 2;
    const dbfs = 10 * Math.log10(sum / samples.length + 1e-12);
    const tone = strongestTone(samples, TONES_HZ);
    return dbfs > -20 && tone.frequencyHz === hz && tone.marginDb >= 10;
  }

  dispose(): void {
    this.client.off('audio', this.tap);
  }
}

/** Where a tone client connects. */
export interface ServerCredentials {
  readonly url: string;
  readonly apiKey: string;
  readonly apiSecret: string;
}

/** A real AltoClient that publishes a sine (`tone:<hz>`) and plays into a null sink. */
export async function startToneClient(
  server: ServerCredentials,
  room: string,
  identity: string,
  hz: number,
  extra: Partial<AltoClientOptions> = {},
): Promise<{ client: AltoClient; ear: Ear }> {
  const client = new AltoClient(
    { url: server.url, apiKey: server.apiKey, apiSecret: server.apiSecret, room, identity, input: `tone:${hz}`, output: 'null', ...extra },
    createDefaultComponents(),
  );
  const ear = new Ear(client);
  await client.connect();
  return { client, ear };
}

/** Number of mixer streams a client has (one per remote audio track it plays). */
export function streamCount(client: AltoClient): number {
  return client.getMetrics().mixer?.streamCount ?? 0;
}
