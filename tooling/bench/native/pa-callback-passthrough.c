/*
 * A device-path probe for the mouth-to-ear benchmark: PortAudio's callback API with a lock-free
 * single-producer/single-consumer ring between the input callback (producer) and the output
 * callback (consumer). No JS, no libuv thread, no blocking queue: the output callback takes what
 * the ring holds and never waits. Built by the benchmark against the PortAudio that naudiodon2
 * bundles, with the stream parameters naudiodon2 uses (default low latency, 10 ms blocks,
 * paNoFlag), so that the difference to the naudiodon pass-through is the queue model alone.
 *
 * argv: <input device> <output device> <ring depth in blocks (1..8)>
 * The output callback keeps at most <depth> blocks waiting: when more are there it drops the
 * oldest (counted), when none is there it plays silence (counted as starved). It starts playing
 * once <depth> blocks have arrived.
 *
 * stdout: one line a second, "stats <outputUnderflows> <starved> <dropped> <inputOverflows>
 * <outputCallbacks>", counters since start (PortAudio's paOutputUnderflow / paInputOverflow
 * status flags, and the ring's own starvation and drops). Runs until SIGTERM or SIGINT.
 */
#include <portaudio.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SAMPLE_RATE 48000
#define FRAMES 480
#define RING_BLOCKS 16 /* a power of two, well above any depth */

static int16_t ring[RING_BLOCKS][FRAMES];
static atomic_uint_fast32_t head; /* blocks pushed by the input callback */
static atomic_uint_fast32_t tail; /* blocks consumed by the output callback */
static unsigned depth = 1;
static int primed; /* output callback only */

static atomic_uint_fast32_t outputUnderflows, inputOverflows, starved, dropped, outputCallbacks, ringFull;
static volatile sig_atomic_t stopping;

static int onInput(const void *input, void *output, unsigned long frames, const PaStreamCallbackTimeInfo *time,
                   PaStreamCallbackFlags flags, void *user) {
  (void)output, (void)time, (void)user;
  if (flags & paInputOverflow) atomic_fetch_add_explicit(&inputOverflows, 1, memory_order_relaxed);
  if (input == NULL || frames != FRAMES) return paContinue;
  uint_fast32_t h = atomic_load_explicit(&head, memory_order_relaxed);
  uint_fast32_t t = atomic_load_explicit(&tail, memory_order_acquire);
  if (h - t >= RING_BLOCKS) { /* the output callback stopped running; keep what is there */
    atomic_fetch_add_explicit(&ringFull, 1, memory_order_relaxed);
    return paContinue;
  }
  memcpy(ring[h % RING_BLOCKS], input, sizeof ring[0]);
  atomic_store_explicit(&head, h + 1, memory_order_release);
  return paContinue;
}

static int onOutput(const void *input, void *output, unsigned long frames, const PaStreamCallbackTimeInfo *time,
                    PaStreamCallbackFlags flags, void *user) {
  (void)input, (void)time, (void)user;
  atomic_fetch_add_explicit(&outputCallbacks, 1, memory_order_relaxed);
  if (flags & paOutputUnderflow) atomic_fetch_add_explicit(&outputUnderflows, 1, memory_order_relaxed);
  if (frames != FRAMES) {
    memset(output, 0, frames * sizeof(int16_t));
    return paContinue;
  }
  uint_fast32_t t = atomic_load_explicit(&tail, memory_order_relaxed);
  uint_fast32_t h = atomic_load_explicit(&head, memory_order_acquire);
  uint_fast32_t fill = h - t;
  if (!primed && fill < depth) {
    memset(output, 0, sizeof ring[0]);
    return paContinue;
  }
  primed = 1;
  if (fill > depth) {
    atomic_fetch_add_explicit(&dropped, fill - depth, memory_order_relaxed);
    t = h - depth;
  }
  if (h == t) {
    atomic_fetch_add_explicit(&starved, 1, memory_order_relaxed);
    memset(output, 0, sizeof ring[0]);
  } else {
    memcpy(output, ring[t % RING_BLOCKS], sizeof ring[0]);
    t++;
  }
  atomic_store_explicit(&tail, t, memory_order_release);
  return paContinue;
}

static void onSignal(int sig) {
  (void)sig;
  stopping = 1;
}

static PaDeviceIndex findDevice(const char *name, int input) {
  for (PaDeviceIndex i = 0; i < Pa_GetDeviceCount(); i++) {
    const PaDeviceInfo *info = Pa_GetDeviceInfo(i);
    if (info && strcmp(info->name, name) == 0 && (input ? info->maxInputChannels : info->maxOutputChannels) > 0) return i;
  }
  return paNoDevice;
}

static void fail(const char *what, PaError err) {
  fprintf(stderr, "pa-callback-passthrough: %s: %s\n", what, Pa_GetErrorText(err));
  Pa_Terminate();
  exit(2);
}

int main(int argc, char **argv) {
  if (argc != 4 || atoi(argv[3]) < 1 || atoi(argv[3]) > 8) {
    fprintf(stderr, "usage: pa-callback-passthrough <input device> <output device> <ring depth 1..8>\n");
    return 2;
  }
  depth = (unsigned)atoi(argv[3]);
  setvbuf(stdout, NULL, _IOLBF, 0);
  signal(SIGTERM, onSignal);
  signal(SIGINT, onSignal);

  PaError err = Pa_Initialize();
  if (err != paNoError) fail("initialize", err);
  PaDeviceIndex in = findDevice(argv[1], 1);
  PaDeviceIndex out = findDevice(argv[2], 0);
  if (in == paNoDevice || out == paNoDevice) {
    fprintf(stderr, "pa-callback-passthrough: devices %s/%s not found\n", argv[1], argv[2]);
    Pa_Terminate();
    return 2;
  }
  /* naudiodon2's parameters: default low latency, 10 ms blocks, no flags. */
  PaStreamParameters inParams = {in, 1, paInt16, Pa_GetDeviceInfo(in)->defaultLowInputLatency, NULL};
  PaStreamParameters outParams = {out, 1, paInt16, Pa_GetDeviceInfo(out)->defaultLowOutputLatency, NULL};
  PaStream *inStream = NULL;
  PaStream *outStream = NULL;
  if ((err = Pa_OpenStream(&outStream, NULL, &outParams, SAMPLE_RATE, FRAMES, paNoFlag, onOutput, NULL)) != paNoError)
    fail("open output", err);
  if ((err = Pa_OpenStream(&inStream, &inParams, NULL, SAMPLE_RATE, FRAMES, paNoFlag, onInput, NULL)) != paNoError)
    fail("open input", err);
  fprintf(stderr, "pa-callback-passthrough: depth %u, PortAudio input latency %.1f ms, output latency %.1f ms\n", depth,
          Pa_GetStreamInfo(inStream)->inputLatency * 1000, Pa_GetStreamInfo(outStream)->outputLatency * 1000);
  if ((err = Pa_StartStream(outStream)) != paNoError) fail("start output", err);
  if ((err = Pa_StartStream(inStream)) != paNoError) fail("start input", err);

  while (!stopping) {
    Pa_Sleep(1000);
    printf("stats %lu %lu %lu %lu %lu\n", (unsigned long)atomic_load(&outputUnderflows), (unsigned long)atomic_load(&starved),
           (unsigned long)atomic_load(&dropped), (unsigned long)atomic_load(&inputOverflows),
           (unsigned long)atomic_load(&outputCallbacks));
  }
  /* Abort rather than stop: a stop waits for buffers to drain, which a starved input never does. */
  Pa_AbortStream(inStream);
  Pa_AbortStream(outStream);
  Pa_CloseStream(inStream);
  Pa_CloseStream(outStream);
  Pa_Terminate();
  return 0;
}
