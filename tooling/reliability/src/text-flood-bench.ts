/**
 * What one large `lk.transcription` text stream from a room peer costs `alto` (plain mode) and
 * `altod`: extra CPU seconds over the idle rate measured just before in the same process, peak
 * RSS over the idle RSS, and RSS 10 s after the stream ended. Run from the repo root:
 *
 *   node --conditions=@alto/source --import tsx tooling/reliability/src/text-flood-bench.ts [root...]
 *
 * Each extra argument, `label=path`, is another checkout of the repository (with its node_modules)
 * whose apps are measured against the same server in the same run, e.g. an older commit.
 * Results are printed and saved to tooling/reliability/results/text-flood.json.
 * `ALTO_FLOOD_MIB=16,48` picks the sizes, `ALTO_FLOOD_APPS=altod,alto,alto-tui` the apps
 * (`alto-tui` runs the full-screen UI on a pseudo-terminal made by util-linux `script`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freeTcpPort, repoRoot, startLivekitServer } from '@alto/harness';
import { cpuSeconds, joinHostilePeer, randomText, rssMb } from './hostile-peer.js';
import { descendantsOf, killTree, waitFor } from './processes.js';

type App = 'alto' | 'alto-tui' | 'altod';
const APPS = (process.env.ALTO_FLOOD_APPS ?? 'altod,alto').split(',') as App[];

const SIZES_MIB = (process.env.ALTO_FLOOD_MIB ?? '16,48').split(',').map(Number);
const IDLE_S = 8;
const AFTER_S = 10;
/** A send still running after this is reported as stalled (NaN ms) and the measurement goes on. */
const SEND_LIMIT_MS = 120_000;
const API_TOKEN = 'text-flood-bench-api-token-0123456789';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Row {
  readonly tree: string;
  readonly app: App;
  readonly mib: number;
  readonly sendMs: number;
  readonly extraCpuS: number;
  readonly busyS: number;
  readonly idleRssMb: number;
  readonly peakRssMb: number;
  readonly afterRssMb: number;
}

function startApp(root: string, app: App, server: { url: string; apiKey: string; apiSecret: string }, room: string, port: number): ChildProcess {
  const entry = join(root, 'apps', app === 'altod' ? 'daemon' : 'cli', 'src', 'main.ts');
  const args =
    app !== 'altod'
      ? ['--url', server.url, '--room-name', room, '--identity', 'victim', '-i', 'tone:880', '-o', 'null', app === 'alto' ? '--no-tui' : '--tui', '--duration', '1800']
      : ['--url', server.url, '--room-name', room, '--identity', 'victim', '--input-device', 'tone:660', '--output-device', 'null', '--listen', `127.0.0.1:${port}`, '--token-file', join('/tmp', `flood-bench-token-${port}`)];
  const argv = [process.execPath, '--conditions=@alto/source', '--import', 'tsx', entry, ...args];
  const tty = app === 'alto-tui';
  const quoted = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn(tty ? 'script' : argv[0]!, tty ? ['-qfec', `stty cols 120 rows 40; exec ${quoted}`, '/dev/null'] : argv.slice(1), {
    cwd: root,
    env: { ...process.env, TERM: 'xterm-256color', LIVEKIT_API_KEY: server.apiKey, LIVEKIT_API_SECRET: server.apiSecret, ALTOD_API_TOKEN: API_TOKEN, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Drained and dropped: the old alto prints a 16 MiB transcript line.
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

/** The node process running an app's main.ts: the child itself, or under `script` one of its descendants. */
async function appPid(child: ChildProcess): Promise<number> {
  const root = child.pid ?? -1;
  let found = -1;
  await waitFor(() => {
    for (const pid of [root, ...descendantsOf(root)]) {
      try {
        if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('src/main.ts')) found = pid;
      } catch {
        // gone
      }
    }
    return found > 0;
  }, 10_000);
  return found;
}

async function measure(root: string, tree: string, app: App, mib: number, server: { url: string; apiKey: string; apiSecret: string }): Promise<Row> {
  const room = `flood-${app}-${mib}-${Date.now()}`;
  const port = await freeTcpPort();
  const child = startApp(root, app, server, room, port);
  const pid = await appPid(child);
  try {
    const peer = await joinHostilePeer(server, room, 'flooder', 'flooder');
    if (!(await waitFor(() => peer.room.remoteParticipants.size > 0, 30_000))) throw new Error(`${app} never joined the room`);
    // Settled: the victim's RSS stops climbing from start-up.
    await sleep(8000);
    const cpu0 = cpuSeconds(pid);
    const idleRss: number[] = [];
    for (let i = 0; i < IDLE_S * 5; i++) {
      idleRss.push(rssMb(pid));
      await sleep(200);
    }
    const idleRate = (cpuSeconds(pid) - cpu0) / IDLE_S;
    const idleRssMb = idleRss.sort((a, b) => a - b)[Math.floor(idleRss.length / 2)] ?? 0;
    const text = randomText(mib * 1024 * 1024);
    const started = performance.now();
    const cpuStart = cpuSeconds(pid);
    let peakRssMb = idleRssMb;
    let sending = true;
    let sendFailed = false;
    const send = Promise.race([peer.sendText(text), sleep(SEND_LIMIT_MS).then(() => Promise.reject(new Error('send timed out')))])
      .catch(() => {
        sendFailed = true;
      })
      .finally(() => (sending = false));
    // Busy time: 200 ms samples in which the process used over half a core above idle.
    let busyS = 0;
    let lastCpu = cpuStart;
    const sample = async (): Promise<void> => {
      await sleep(200);
      const now = cpuSeconds(pid);
      if ((now - lastCpu) / 0.2 - idleRate > 0.5) busyS += 0.2;
      lastCpu = now;
      peakRssMb = Math.max(peakRssMb, rssMb(pid));
    };
    while (sending) await sample();
    await send;
    const sendMs = sendFailed ? Number.NaN : performance.now() - started;
    const afterUntil = performance.now() + AFTER_S * 1000;
    while (performance.now() < afterUntil) await sample();
    const windowS = (performance.now() - started) / 1000;
    const extraCpuS = cpuSeconds(pid) - cpuStart - idleRate * windowS;
    const afterRssMb = rssMb(pid);
    await peer.leave();
    return { tree, app, mib, sendMs: Math.round(sendMs), extraCpuS, busyS, idleRssMb, peakRssMb, afterRssMb };
  } finally {
    child.kill('SIGTERM');
    await Promise.race([new Promise((r) => child.once('exit', r)), sleep(3000)]);
    killTree(child.pid ?? pid);
  }
}

// `label=path` names another checkout in the output (e.g. the commit it holds); a bare path is labelled by its position.
const roots = [{ label: 'this tree', root: repoRoot() }, ...process.argv.slice(2).map((arg, i) => {
  const eq = arg.indexOf('=');
  return eq > 0 ? { label: arg.slice(0, eq), root: arg.slice(eq + 1) } : { label: `checkout ${i + 1}`, root: arg };
})];
const server = await startLivekitServer();
const rows: Row[] = [];
try {
  for (const mib of SIZES_MIB) {
    for (const app of APPS) {
      for (const { label, root } of roots) {
        const row = await measure(root, label, app, mib, server);
        rows.push(row);
        process.stdout.write(
          `${row.app} ${row.mib} MiB (${row.tree}): sent in ${row.sendMs} ms; extra CPU ${row.extraCpuS.toFixed(1)} s, busy ${row.busyS.toFixed(1)} s; ` +
            `RSS idle ${row.idleRssMb.toFixed(0)} MB, peak +${(row.peakRssMb - row.idleRssMb).toFixed(0)} MB, ${AFTER_S} s after +${(row.afterRssMb - row.idleRssMb).toFixed(0)} MB\n`,
        );
      }
    }
  }
} finally {
  await server.stop();
}
const resultsDir = join(repoRoot(), 'tooling', 'reliability', 'results');
mkdirSync(resultsDir, { recursive: true });
// Rows of earlier runs for other apps or sizes are kept, so partial runs add up.
const resultsFile = join(resultsDir, 'text-flood.json');
let previous: (Row & { measuredAt?: string })[] = [];
try {
  previous = (JSON.parse(readFileSync(resultsFile, 'utf8')) as { rows: (Row & { measuredAt?: string })[] }).rows;
} catch {
  // first run
}
const measuredAt = new Date().toISOString();
const key = (r: Row): string => `${r.app} ${r.mib} ${r.tree}`;
const fresh = new Set(rows.map(key));
const merged = [...previous.filter((r) => !fresh.has(key(r))), ...rows.map((r) => ({ ...r, measuredAt }))];
writeFileSync(resultsFile, `${JSON.stringify({ idleWindowS: IDLE_S, afterWindowS: AFTER_S, rows: merged }, null, 2)}\n`);
process.stdout.write(`saved ${resultsFile}\n`);
process.exit(0);
