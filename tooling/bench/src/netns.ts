/**
 * A network namespace whose only way out is one veth link to the host, for the lossy-link run:
 * processes started in it reach the livekit-server only through the address on the host's end of
 * that link, where the UDP relay listens (the server's own interface address is unroutable from
 * inside). Needs root (or CAP_NET_ADMIN); `create` returns a reason instead when not permitted.
 */
import { spawnSync } from 'node:child_process';
import { networkInterfaces } from 'node:os';

/** A namespace and the host's end of its link. */
export interface IsolatedNet {
  readonly name: string;
  /** The host's address on the link: what the namespace can reach. */
  readonly hostIp: string;
  /** Command and arguments that run `argv` inside the namespace. */
  wrap(argv: readonly string[]): [string, string[]];
  close(): void;
}

function ip(...args: string[]): string | undefined {
  const r = spawnSync('ip', args, { encoding: 'utf8', timeout: 5000 });
  return r.status === 0 ? undefined : (r.stderr || r.error?.message || `ip ${args.join(' ')} failed`).trim();
}

/** The machine's first non-loopback IPv4 interface: where livekit-server binds its media socket. */
export function mediaInterface(): { name: string; address: string } | undefined {
  for (const [name, list] of Object.entries(networkInterfaces())) {
    if (name.startsWith('am')) continue;
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return { name, address: a.address };
  }
  return undefined;
}

/** Creates the namespace and its link, or returns why it could not. */
export function createIsolatedNet(): IsolatedNet | string {
  const tag = (process.pid % 100_000).toString();
  const name = `alto-m2e-${tag}`;
  const outside = `am${tag}a`;
  const inside = `am${tag}b`;
  const subnet = 1 + (process.pid % 250);
  const hostIp = `10.231.${subnet}.1`;
  const nsIp = `10.231.${subnet}.2`;
  const steps: string[][] = [
    ['netns', 'add', name],
    ['link', 'add', outside, 'type', 'veth', 'peer', 'name', inside],
    ['link', 'set', inside, 'netns', name],
    ['addr', 'add', `${hostIp}/30`, 'dev', outside],
    ['link', 'set', outside, 'up'],
    ['-n', name, 'addr', 'add', `${nsIp}/30`, 'dev', inside],
    ['-n', name, 'link', 'set', inside, 'up'],
    ['-n', name, 'link', 'set', 'lo', 'up'],
  ];
  const close = (): void => {
    ip('link', 'del', outside);
    ip('netns', 'del', name);
  };
  for (const step of steps) {
    const err = ip(...step);
    if (err !== undefined) {
      close();
      return `cannot build a network namespace (${err}); the lossy-link run needs root`;
    }
  }
  return { name, hostIp, wrap: (argv) => ['ip', ['netns', 'exec', name, ...argv]], close };
}
