/**
 * Lowest jitter target of an adaptive output, ms, and the target its streams start at. The SDK
 * hands over a remote stream's frames every 10 ms, but now and then one comes 25–50 ms late (its
 * playout timer thread ran late, then catches up back to back). Over quiet 60 s calls through
 * real devices, a 20 ms floor covered waits up to about 31 ms and ran dry in half the calls, on
 * waits of 34–51 ms; a 30 ms floor covered a 37 ms wait and ran dry in none of four, for about
 * 9 ms more p50 (bench/README.md).
 */
export const ADAPTIVE_JITTER_FLOOR_MS = 30;
