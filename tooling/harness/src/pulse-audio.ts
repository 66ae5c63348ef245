import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { HarnessError } from './errors.js';

const run = promisify(execFile);

/** The ALSA PCM names PortAudio lists once pointed at the private daemon. */
export const VIRTUAL_DEVICES = {
  /** Pipe source: whatever the test writes into `micFifo`. */
  microphone: 'vmic',
  /** Pipe sink: whatever is played here can be read from `speakerFifo`. */
  speaker: 'vspeaker',
  /** A null sink that swallows audio at real-time pace. */
  nullSpeaker: 'vnull',
  /** Monitor of the null sink. */
  nullMonitor: 'vmonitor',
} as const;

/** A private PulseAudio daemon with a pipe microphone and a pipe speaker. */
export interface PulseAudio {
  readonly dir: string;
  /** Environment for processes that should see the virtual devices (PULSE_SERVER, ALSA_CONFIG_PATH). */
  readonly env: Readonly<Record<string, string>>;
  /** FIFO feeding the virtual microphone: write s16le PCM here. */
  readonly micFifo: string;
  /** FIFO fed by the virtual speaker: read s16le PCM here. */
  readonly speakerFifo: string;
  readonly sampleRate: number;
  readonly channels: number;
  /** PID of the daemon, or undefined while it is down. */
  pid(): number | undefined;
  /** Kills the daemon abruptly (SIGKILL), as a crash would. */
  kill(): void;
  /** Starts the daemon again (same socket and FIFOs) after a kill or stop. */
  restart(): Promise<void>;
  /** Stops the daemon and removes its directory. */
  stop(): Promise<void>;
}

/** Options for {@link startPulseAudio}. */
export interface PulseAudioOptions {
  readonly sampleRate?: number;
  readonly channels?: number;
}

function alsaConfig(): string {
  return [
    'pcm.!default { type pulse }',
    'ctl.!default { type pulse }',
    'pcm.vmic { type pulse device "mic" }',
    'pcm.vspeaker { type pulse device "spkpipe" }',
    'pcm.vnull { type pulse device "spk" }',
    'pcm.vmonitor { type pulse device "spk.monitor" }',
    '',
  ].join('\n');
}

/** Starts a private PulseAudio daemon in a temp dir with the virtual devices of HARNESS.md. */
export async function startPulseAudio(options: PulseAudioOptions = {}): Promise<PulseAudio> {
  const which = spawnSync('sh', ['-c', 'command -v pulseaudio pactl'], { encoding: 'utf8' });
  if (which.status !== 0) {
    throw new HarnessError(
      'PULSEAUDIO_MISSING',
      'pulseaudio not found: apt-get install pulseaudio pulseaudio-utils libasound2-plugins',
    );
  }
  const sampleRate = options.sampleRate ?? 48_000;
  const channels = options.channels ?? 1;
  const dir = mkdtempSync(join(tmpdir(), 'alto-pulse-'));
  const runDir = join(dir, 'run');
  const stateDir = join(dir, 'state');
  const micFifo = join(dir, 'mic.fifo');
  const speakerFifo = join(dir, 'spk.fifo');
  const socket = join(dir, 'native');
  const alsaConfigFile = join(dir, 'asound.conf');
  mkdirSync(runDir, { recursive: true });
  mkdirSync(stateDir, { recursive: true });
  chmodSync(runDir, 0o700);
  writeFileSync(alsaConfigFile, alsaConfig());
  const env = { PULSE_SERVER: `unix:${socket}`, ALSA_CONFIG_PATH: alsaConfigFile };
  const daemonEnv = { ...process.env, XDG_RUNTIME_DIR: runDir, HOME: stateDir, ...env };
  const format = `format=s16le rate=${sampleRate} channels=${channels}`;

  const launch = async (): Promise<void> => {
    rmSync(micFifo, { force: true });
    rmSync(speakerFifo, { force: true });
    const args = [
      // Real-time and high priority where the OS permits them (as a desktop's sound server has
      // through rtkit): a sound server starved by a busy machine makes every client underrun,
      // which would measure the machine rather than the client. Ignored when not permitted.
      '--daemonize=yes', '-n', '--system=no', '--exit-idle-time=-1', '--realtime=yes',
      '--high-priority=yes', `--log-target=file:${join(dir, 'pa.log')}`,
      '-L', `module-native-protocol-unix auth-anonymous=1 socket=${socket}`,
      '-L', `module-pipe-source source_name=mic file=${micFifo} ${format}`,
      '-L', `module-pipe-sink sink_name=spkpipe file=${speakerFifo} ${format} use_system_clock_for_timing=yes`,
      '-L', `module-null-sink sink_name=spk rate=${sampleRate} channels=${channels}`,
      '-L', 'module-always-sink',
    ];
    try {
      await run('pulseaudio', args, { env: daemonEnv, timeout: 15_000 });
    } catch (cause) {
      throw new HarnessError('PULSEAUDIO_START_FAILED', `pulseaudio did not start; see ${join(dir, 'pa.log')}`, { cause });
    }
    // PulseAudio makes only some of its threads real-time by itself; the pipe sink's must be too,
    // or a busy machine starves the sink and every client underruns. Where permitted only.
    const daemon = pid();
    if (daemon !== undefined) spawnSync('chrt', ['--all-tasks', '--rr', '--pid', '5', String(daemon)], { stdio: 'ignore', timeout: 2000 });
    const sources = await run('pactl', ['list', 'short', 'sources'], { env: daemonEnv, timeout: 5000 });
    const sinks = await run('pactl', ['list', 'short', 'sinks'], { env: daemonEnv, timeout: 5000 });
    if (!/\bmic\b/.test(sources.stdout) || !/\bspkpipe\b/.test(sinks.stdout)) {
      throw new HarnessError('PULSEAUDIO_START_FAILED', `pulseaudio started without the virtual devices; see ${join(dir, 'pa.log')}`);
    }
  };

  const pid = (): number | undefined => {
    for (const file of [join(runDir, 'pid'), join(runDir, 'pulse', 'pid')]) {
      if (!existsSync(file)) continue;
      const value = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (!Number.isFinite(value)) continue;
      try {
        process.kill(value, 0);
        return value;
      } catch {
        return undefined;
      }
    }
    return undefined;
  };

  const waitGone = async (target: number): Promise<void> => {
    for (let i = 0; i < 50; i++) {
      try {
        process.kill(target, 0);
      } catch {
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const kill = (): void => {
    const current = pid();
    if (current) process.kill(current, 'SIGKILL');
  };

  const halt = async (): Promise<void> => {
    const current = pid();
    if (!current) return;
    process.kill(current, 'SIGTERM');
    await waitGone(current);
    try {
      process.kill(current, 'SIGKILL');
    } catch {
      // already gone
    }
    await waitGone(current);
  };

  await launch();
  return {
    dir,
    env,
    micFifo,
    speakerFifo,
    sampleRate,
    channels,
    pid,
    kill,
    restart: async () => {
      const current = pid();
      if (current) {
        kill();
        await waitGone(current);
      }
      rmSync(join(runDir, 'pid'), { force: true });
      rmSync(join(runDir, 'pulse', 'pid'), { force: true });
      await launch();
    },
    stop: async () => {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
