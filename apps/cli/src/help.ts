import { renderOptions } from '@alto/orchestrator';

/** The text of `alto --help`: every option in a two-column layout, env, .env and exit codes. */
export function sessionHelp(): string {
  return `alto: join a LiveKit room from the terminal: your microphone in, the room out.

Usage:
  alto [options]                       join a room
  alto --list-devices                  list audio devices
  alto token --room R --identity I     print an access token (see alto token --help)

${renderOptions('alto')}

Devices (-i/-o):
  3              device index from --list-devices
  usb            first device whose name contains "usb" (case-insensitive)
  wav:in.wav     play a WAV file as the microphone (-i) or write what you hear (-o)
  wav:in.wav?loop  the same WAV file, repeated forever (-i)
  tone:440       a sine tone in Hz as the microphone
  silence        a silent microphone
  null           discard what you hear (-o)
  raw:-          raw s16le PCM from stdin (-i) or to stdout (-o)
  none           no microphone (-i, as --listen-only) or no speaker (-o, as --no-playback)

Environment:
  Each setting above also comes from the variable named after "env" (LIVEKIT_URL, LIVEKIT_TOKEN,
  LIVEKIT_API_KEY, LIVEKIT_API_SECRET, ALTO_*), also read from ./.env (or --dotenv).
  Precedence: flags > environment > .env.

Keys in the terminal UI:
  m mute   up/down select   left/right or +/- volume   q or Ctrl+C quit

Exit codes:
  0 ok   1 runtime failure   2 usage error (bad flag, value, file or credentials)
`;
}

/** The text of `alto token --help`. */
export function tokenHelp(): string {
  return `alto token: mint a LiveKit access token and print it on stdout.

Usage:
  alto token --room R --identity I [--ttl 6h] [--api-key K --api-secret S]

${renderOptions('alto token')}

The key and secret may also come from LIVEKIT_API_KEY / LIVEKIT_API_SECRET or ./.env.
The token may join one room and publish the microphone only; the --can-* flags narrow it further.
`;
}

/** What `alto` with no arguments and no server configured prints on stderr (exit 2). */
export function gettingStartedHelp(): string {
  return `alto: no LiveKit server configured yet. Tell alto where your server is, in one of three ways:
  environment:  export LIVEKIT_URL=wss://my.livekit.host LIVEKIT_API_KEY=... LIVEKIT_API_SECRET=...
  a .env file:  the same three lines (LIVEKIT_URL=...) in a .env file in this directory
  flags:        alto --url wss://my.livekit.host --api-key ... --api-secret ... (or --token JWT)
Then join a room: alto --room-name standup --identity ana
alto --help lists every option; alto --list-devices lists your microphones and speakers.
`;
}
