/**
 * The callback-driven device layers the mouth-to-ear benchmark measures beside naudiodon2's
 * write queue: a C program on PortAudio's callback API (built here, against the PortAudio that
 * naudiodon2 bundles) and audify (an RtAudio binding whose output callback pulls from a native
 * queue that JS fills). Both are built once into the workspace cache and reused; a missing
 * toolchain is one clear line, not a stack trace.
 */
import { cacheDir } from '@alto/harness';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A setup step the benchmark cannot do on this machine; its message is one line for the user. */
export class BenchSetupError extends Error {
  override readonly name = 'BenchSetupError';
}

const PA_SOURCE = fileURLToPath(new URL('../native/pa-callback-passthrough.c', import.meta.url));
/** audify is pinned: the figures in bench/README.md are for this release (RtAudio 6.0.1). */
export const AUDIFY_VERSION = '1.10.1';

const firstLine = (text: string): string =>
  text
    .split('\n')
    .find((l) => l.trim() !== '')
    ?.trim() ?? '';

/** naudiodon2's directory, resolved from device-io (the copy Alto's audio host loads). */
function naudiodonDir(): string {
  const fromDeviceIo = createRequire(fileURLToPath(import.meta.resolve('@alto/device-io')));
  return dirname(fromDeviceIo.resolve('naudiodon2/package.json'));
}

/**
 * Builds `native/pa-callback-passthrough.c` against naudiodon2's PortAudio (header and the shared
 * library its addon links) unless a build of the same source and library is cached; returns the
 * executable's path.
 */
export function buildPaCallbackPassthrough(): string {
  const pa = naudiodonDir();
  const header = join(pa, 'portaudio', 'include');
  const libDir = join(pa, 'build', 'Release');
  const lib = join(libDir, 'libportaudio.so.2');
  if (!existsSync(join(header, 'portaudio.h')) || !existsSync(lib)) {
    throw new BenchSetupError(
      `PortAudio not found in naudiodon2 (${pa}): expected portaudio/include/portaudio.h and build/Release/libportaudio.so.2 (reinstall with its build script allowed)`,
    );
  }
  const hash = createHash('sha256')
    .update(readFileSync(PA_SOURCE))
    .update(lib)
    .update(readFileSync(lib))
    .digest('hex')
    .slice(0, 12);
  const outDir = join(cacheDir(), 'bench');
  const exe = join(outDir, `pa-callback-passthrough-${hash}`);
  if (existsSync(exe)) return exe;
  const cc = process.env['CC'] ?? 'cc';
  if (spawnSync(cc, ['--version'], { encoding: 'utf8' }).error) {
    throw new BenchSetupError(
      `no C compiler (${cc}) for the pa-callback configurations: install one (build-essential on Debian, Xcode command line tools on macOS) or set CC`,
    );
  }
  mkdirSync(outDir, { recursive: true });
  const staging = `${exe}.${process.pid}`;
  const built = spawnSync(
    cc,
    [
      '-O2',
      '-std=c11',
      '-Wall',
      '-I',
      header,
      '-o',
      staging,
      PA_SOURCE,
      lib,
      `-Wl,-rpath,${libDir}`,
    ],
    { encoding: 'utf8' },
  );
  if (built.status !== 0) {
    rmSync(staging, { force: true });
    throw new BenchSetupError(
      `building pa-callback-passthrough failed: ${firstLine(built.stderr) || `${cc} exited ${built.status}`}`,
    );
  }
  renameSync(staging, exe);
  return exe;
}

/**
 * Installs audify into the workspace cache (npm, its own install script: a prebuilt binary when
 * one can be downloaded, else a cmake-js build from source) unless its addon is already there;
 * returns the package directory.
 */
export function ensureAudify(): string {
  const prefix = join(cacheDir(), 'bench', `audify-${AUDIFY_VERSION}`);
  const dir = join(prefix, 'node_modules', 'audify');
  if (existsSync(join(dir, 'build', 'Release', 'audify.node'))) return dir;
  mkdirSync(prefix, { recursive: true });
  const npm = spawnSync(
    'npm',
    [
      'install',
      '--prefix',
      prefix,
      '--no-save',
      '--no-audit',
      '--no-fund',
      '--foreground-scripts',
      `audify@${AUDIFY_VERSION}`,
    ],
    {
      encoding: 'utf8',
      env: { ...process.env, npm_config_nodedir: process.env['npm_config_nodedir'] ?? '/usr' },
    },
  );
  if (npm.error)
    throw new BenchSetupError(
      `npm not found to install audify@${AUDIFY_VERSION}: ${npm.error.message}`,
    );
  if (!existsSync(join(dir, 'build', 'Release', 'audify.node'))) {
    const why =
      firstLine(
        npm.stderr
          .split('\n')
          .filter((l) => /error|not found|fatal/i.test(l))
          .join('\n'),
      ) || `npm exited ${npm.status}`;
    throw new BenchSetupError(
      `audify@${AUDIFY_VERSION} did not install (its source build needs cmake, a C++ compiler and the ALSA headers, libasound2-dev): ${why}`,
    );
  }
  return dir;
}

/** Counters both probes print once a second: `stats <underflows> <starved> <dropped> <overflows> <callbacks>`. */
export interface ProbeStats {
  /** Output underflows the device layer reported (PortAudio's paOutputUnderflow, RtAudio's ALSA underrun). */
  readonly underflows: number;
  /** Output callbacks that found no block waiting and played silence. */
  readonly starved: number;
  /** Captured blocks dropped to keep the queue at its depth. */
  readonly dropped: number;
  /** Input overflows the device layer reported. */
  readonly overflows: number;
  readonly callbacks: number;
}

const ZERO: ProbeStats = { underflows: 0, starved: 0, dropped: 0, overflows: 0, callbacks: 0 };

/** The last `stats` line in a probe's stdout. */
export function lastProbeStats(stdout: string): ProbeStats {
  const lines = stdout.split('\n').filter((l) => l.startsWith('stats '));
  const last = lines.at(-1);
  if (last === undefined) return ZERO;
  const [underflows = 0, starved = 0, dropped = 0, overflows = 0, callbacks = 0] = last
    .split(' ')
    .slice(1)
    .map(Number);
  return { underflows, starved, dropped, overflows, callbacks };
}

/** `b - a`, counter by counter. */
export function statsSince(a: ProbeStats, b: ProbeStats): ProbeStats {
  return {
    underflows: b.underflows - a.underflows,
    starved: b.starved - a.starved,
    dropped: b.dropped - a.dropped,
    overflows: b.overflows - a.overflows,
    callbacks: b.callbacks - a.callbacks,
  };
}
