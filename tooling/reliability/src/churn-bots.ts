/**
 * Churn bots, run as their own process so their native resources never count against the
 * listener: `node --conditions=@alto/source --import tsx churn-bots.ts` with a JSON job in
 * argv[2] ({url, apiKey, apiSecret, room, cycles, batch, holdMs}). Each batch joins `batch`
 * bots at once, each publishing a tone for `holdMs` once the listener subscribed, then leaves. Prints `batch <n> <cycles done>`
 * after each batch and `done <cycles>` at the end (before the native runtime is released, whose
 * teardown has been seen to die by a signal under load: the parent judges by the `done` line).
 */
import { AudioFrame, AudioSource, LocalAudioTrack, Room, TrackPublishOptions, TrackSource } from '@livekit/rtc-node';
import { configureSdkLogging, mintToken, shutdownLiveKit } from '@alto/livekit-net';

interface Job {
  readonly url: string;
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly room: string;
  readonly cycles: number;
  readonly batch: number;
  readonly holdMs: number;
  /** Prefix of bot identities, unique per run so no identity is ever reused. */
  readonly prefix: string;
}

/** Longest a bot waits for the listener to subscribe before it talks anyway. */
const SUBSCRIBE_WAIT_MS = 10_000;

async function oneBot(job: Job, id: string, hz: number): Promise<void> {
  const token = await mintToken({ apiKey: job.apiKey, apiSecret: job.apiSecret, room: job.room, identity: id });
  const room = new Room();
  await room.connect(job.url, token, { autoSubscribe: false, dynacast: false });
  const source = new AudioSource(48_000, 1, 200);
  const track = LocalAudioTrack.createAudioTrack('tone', source);
  const publication = await room.localParticipant?.publishTrack(track, new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE }));
  // Talk only once the listener subscribed: on a loaded box a bot that leaves after a fixed time
  // can be gone before the listener ever saw it, and then the cycle churned nothing.
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    publication?.waitForSubscription(),
    new Promise((resolve) => (timer = setTimeout(resolve, SUBSCRIBE_WAIT_MS))),
  ]);
  clearTimeout(timer);
  const frames = Math.max(1, Math.round(job.holdMs / 10));
  for (let f = 0; f < frames; f++) {
    const samples = new Int16Array(480);
    for (let i = 0; i < 480; i++) samples[i] = Math.round(12_000 * Math.sin((2 * Math.PI * hz * (f * 480 + i)) / 48_000));
    await source.captureFrame(new AudioFrame(samples, 48_000, 1, 480));
  }
  await track.close();
  await room.disconnect();
}

async function run(job: Job): Promise<void> {
  configureSdkLogging();
  let done = 0;
  for (let b = 0; done < job.cycles; b++) {
    const n = Math.min(job.batch, job.cycles - done);
    const results = await Promise.allSettled(
      Array.from({ length: n }, (_, i) => oneBot(job, `${job.prefix}-${b}-${i}`, 300 + 50 * i)),
    );
    const failed = results.filter((r) => r.status === 'rejected').length;
    done += n;
    process.stdout.write(`batch ${b} ${done} failed=${failed}\n`);
  }
  process.stdout.write(`done ${done}\n`);
  await shutdownLiveKit(2000);
}

const job = JSON.parse(process.argv[2] ?? '{}') as Job;
await run(job);
process.exit(0);
