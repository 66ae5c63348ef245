import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const URL_ARGS = ['--url', 'ws://localhost:7880'];
// The secret comes from a file: on the command line it would be visible in ps (and warned about).
const SECRET_FILE = join(mkdtempSync(join(tmpdir(), 'alto-cli-secret-')), 'secret');
writeFileSync(SECRET_FILE, 'secret\n', { mode: 0o600 });
const KEYS = ['--api-key', 'devkey', '--api-secret-file', SECRET_FILE];
const VALID = [...URL_ARGS, ...KEYS, '--room-name', 'r', '--identity', 'alice'];

let dir = '';
let envDir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'alto-cli-bad-'));
  writeFileSync(join(dir, 'notes.txt'), 'this is not audio\n');
  writeFileSync(join(dir, 'bad.env'), '# comment\nLIVEKIT_URL ws://localhost:7880\n');
  envDir = mkdtempSync(join(tmpdir(), 'alto-cli-env-'));
  writeFileSync(join(envDir, '.env'), 'LIVEKIT_API_KEY="unterminated\n');
});

interface Case {
  readonly name: string;
  readonly args: () => string[];
  readonly message: RegExp;
  readonly env?: Record<string, string>;
  readonly cwd?: () => string;
}

const cases: readonly Case[] = [
  { name: 'unknown flag', args: () => [...VALID, '--bogus'], message: /unknown option --bogus; run alto --help/ },
  { name: 'unknown short flag', args: () => [...VALID, '-x'], message: /unknown option -x;/ },
  { name: 'URL with a wrong scheme', args: () => ['--url', 'ftp://host', ...KEYS, '--room-name', 'r', '--identity', 'a'], message: /--url 'ftp:\/\/host' has scheme ftp:; use ws:\/\// },
  { name: 'URL that is not a URL', args: () => ['--url', 'localhost', ...KEYS, '--room-name', 'r', '--identity', 'a'], message: /--url 'localhost' is not a URL/ },
  { name: 'bad URL from the environment', args: () => [...KEYS, '--room-name', 'r', '--identity', 'a'], env: { LIVEKIT_URL: 'nope' }, message: /LIVEKIT_URL 'nope' is not a URL/ },
  { name: 'no URL at all', args: () => [...KEYS, '--room-name', 'r', '--identity', 'a'], message: /no server URL; pass --url/ },
  { name: 'missing room', args: () => [...URL_ARGS, ...KEYS, '--identity', 'a'], message: /no room; pass --room-name/ },
  { name: 'missing identity', args: () => [...URL_ARGS, ...KEYS, '--room-name', 'r'], message: /no identity; pass --identity/ },
  { name: '--token with nothing after it', args: () => [...URL_ARGS, '--token'], message: /option --token needs a value/ },
  { name: 'no credentials', args: () => [...URL_ARGS, '--room-name', 'r', '--identity', 'a'], message: /no credentials; pass --token-file, or --api-key and --api-secret/ },
  { name: 'API key without secret', args: () => [...URL_ARGS, '--api-key', 'k', '--room-name', 'r', '--identity', 'a'], message: /--api-key is set but no API secret/ },
  { name: 'non-numeric sample rate', args: () => [...VALID, '-s', 'fast'], message: /--sample-rate 'fast' is not a number/ },
  { name: 'sample rate out of range', args: () => [...VALID, '--sample-rate', '4000'], message: /--sample-rate 4000 is out of range; give a value from 8000 to 192000/ },
  { name: 'fractional sample rate', args: () => [...VALID, '-s', '44100.5'], message: /is not a whole number/ },
  { name: 'three channels', args: () => [...VALID, '-c', '3'], message: /--channels 3 is not supported; use 1 \(mono\) or 2 \(stereo\)/ },
  { name: 'volume 5', args: () => [...VALID, '--volume', '5'], message: /--volume 5 is out of range; give a value from 0 to 2/ },
  { name: 'volume -1', args: () => [...VALID, '--volume', '-1'], message: /--volume -1 is out of range/ },
  { name: 'nonexistent WAV', args: () => [...VALID, '-i', `wav:${join(dir, 'missing.wav')}`], message: /missing\.wav does not exist; check the path/ },
  { name: 'a non-WAV file as wav:', args: () => [...VALID, '-i', `wav:${join(dir, 'notes.txt')}`], message: /is not a WAV file \(no RIFF\/WAVE header\)/ },
  { name: 'a directory as wav:', args: () => [...VALID, '-i', `wav:${dir}`], message: /is a directory; give a file/ },
  { name: 'unwritable directory for --record', args: () => [...VALID, '--record', '/sys/alto.wav'], message: /--record \/sys\/alto\.wav: cannot create files in \/sys \(permission denied\)/ },
  { name: 'missing directory for --record', args: () => [...VALID, '--record', join(dir, 'nope', 'x.wav')], message: /cannot create files in .*nope \(it does not exist\)/ },
  { name: 'malformed line in --dotenv', args: () => [...VALID, '--dotenv', join(dir, 'bad.env')], message: /bad\.env:2: expected KEY=value; fix or remove that line/ },
  { name: 'malformed ./.env', args: () => VALID, cwd: () => envDir, message: /\.env:1: unterminated " quote/ },
  { name: 'missing --dotenv', args: () => [...VALID, '--dotenv', join(dir, 'none.env')], message: /cannot read env file .*none\.env \(ENOENT\)/ },
  { name: 'identity with a control character', args: () => [...URL_ARGS, ...KEYS, '--room-name', 'r', '--identity', 'al\x07ice'], message: /--identity 'al\?ice' contains a control character/ },
  { name: 'over-long room name', args: () => [...URL_ARGS, ...KEYS, '--room-name', 'r'.repeat(129), '--identity', 'a'], message: /--room-name is 129 characters long; a room name may have at most 128/ },
  { name: 'tone:abc', args: () => [...VALID, '-i', 'tone:abc'], message: /-i tone:abc is not a frequency; give Hz between 1 and 23999/ },
  { name: 'tone:0', args: () => [...VALID, '-i', 'tone:0'], message: /-i tone:0 is not a frequency/ },
  { name: 'tone as an output', args: () => [...VALID, '-o', 'tone:440'], message: /tone: is an input backend/ },
  { name: 'null as an input', args: () => [...VALID, '-i', 'null'], message: /null is an output backend; for a silent microphone use -i silence/ },
  { name: 'raw to a path', args: () => [...VALID, '-o', 'raw:/tmp/x.pcm'], message: /-o raw:\/tmp\/x\.pcm is not supported; use -o raw:- for stdout/ },
  { name: 'value errors before credential errors', args: () => ['--volume', '3'], message: /--volume 3 is out of range/ },
  { name: 'unknown backend', args: () => [...VALID, '-i', 'mp3:x.mp3'], message: /unknown backend 'mp3'; use wav:, tone:, raw:, silence or null/ },
  { name: 'negative duration', args: () => [...VALID, '--duration', '-3'], message: /--duration -3 is not a positive number of seconds/ },
  { name: 'flag given twice', args: () => [...VALID, '--volume', '1', '--volume', '2'], message: /option --volume is given twice/ },
  { name: '--no-playback with --listen-only', args: () => [...VALID, '--no-playback', '--listen-only'], message: /leave nothing to do/ },
  { name: '--enable-aec with --no-aec', args: () => [...VALID, '--enable-aec', '--no-aec'], message: /--enable-aec and --no-aec contradict each other; keep one/ },
  { name: 'voice flag with --listen-only', args: () => [...VALID, '--listen-only', '--noise-suppression'], message: /--noise-suppression processes the microphone, but --listen-only opens none/ },
  { name: '--plugin file that does not exist', args: () => [...VALID, '--plugin', join(dir, 'nope.mjs')], message: /--plugin .*nope\.mjs: no such file; give the path of an ES module/ },
  { name: '--tui without a terminal', args: () => [...VALID, '--tui'], message: /--tui needs a terminal on stdin and stdout; drop --tui/ },
  { name: '--json with --tui', args: () => [...VALID, '--json', '--tui'], message: /--tui and --json contradict each other/ },
  { name: 'unknown subcommand', args: () => ['frobnicate'], message: /unknown command 'frobnicate'; the only command is 'token'/ },
  { name: 'token without --room', args: () => ['token', '--identity', 'a', ...KEYS], message: /alto token needs --room ROOM/ },
  { name: 'token without a key', args: () => ['token', '--room', 'r', '--identity', 'a'], message: /alto token needs an API key/ },
  { name: 'token with a bad --ttl', args: () => ['token', '--room', 'r', '--identity', 'a', ...KEYS, '--ttl', '3y'], message: /--ttl '3y' is not a lifetime/ },
  { name: 'token with a session flag', args: () => ['token', '--room', 'r', '--identity', 'a', ...KEYS, '--url', 'ws://x'], message: /unknown option --url; run alto token --help/ },
];

describe('bad invocations', () => {
  it('covers at least 20 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it.concurrent.each(cases)('$name → exit 2 with one line on stderr', async (c) => {
    const run = await runCli(c.args(), { ...(c.env ? { env: c.env } : {}), ...(c.cwd ? { cwd: c.cwd() } : {}) });
    expect(run.stdout).toBe('');
    expect(run.stderr.endsWith('\n')).toBe(true);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^alto: /);
    expect(run.stderr).toMatch(c.message);
    expect(run.code).toBe(2);
  });

  it('prints a stack trace after the line only with -v', async () => {
    const run = await runCli([...VALID, '--volume', '9', '-v']);
    expect(run.code).toBe(2);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^alto: --volume 9 is out of range/);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).join('\n')).toMatch(/UsageError[\s\S]*at /);
  });
});
