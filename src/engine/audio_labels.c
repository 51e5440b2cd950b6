/* audio_labels.c -- the labels Agora's "audio label generator" puts on every
 * received 10 ms frame (audio_frame.rms/voice_prob/music_prob/pitch), computed
 * once per sender and tick when the parameter che.audio.label.enable is true
 * (the official Python SDK sets it at initialize).
 *
 *   rms         frame level as dBFS + 127, clamped to 0..127;
 *   voice_prob  1 while the sender is talking: the frame is well above the
 *               noise floor (minimum statistics over ~1.5 s) and periodic (normalized autocorrelation
 *               peak of the last 30 ms in the 60-400 Hz pitch range), with a
 *               short hangover bridging unvoiced consonants, and a zero-crossing
 *               limit that keeps hiss out;
 *   pitch       the periodic frame's fundamental in Hz, else 0;
 *   music_prob  0: the loopback has no music classifier. */
#include <math.h>
#include <string.h>

#include "engine.h"

#define PITCH_RATE 4000        /* the pitch search runs on a 4 kHz copy */
#define MIN_LAG (PITCH_RATE / 400)
#define MAX_LAG (PITCH_RATE / 60)
#define SPEECH_MIN_DBFS (-60.0)
#define ABOVE_FLOOR_DB 9.0
#define PERIODIC 0.55          /* autocorrelation peak that counts as voiced */
#define MAX_ZCR 0.35           /* zero crossings per sample: above it, hiss */
#define HANGOVER_FRAMES 2

void voice_detector_reset(voice_detector* d) {
  memset(d, 0, sizeof *d);
  d->noise_floor_db = -70.0;
}

/* The frame as mono floats, and its 4 kHz decimation appended to the history. */
static int frame_features(voice_detector* d, const pcm_frame* f, double* dbfs, double* zcr) {
  int n = f->sample_rate / 100, ch = f->channels;
  double sum = 0;
  for (int i = 0; i < n; i++) {
    int32_t s = 0;
    for (int c = 0; c < ch; c++) s += f->data[i * ch + c];
    sum += (double)s / ch;
  }
  double mean = sum / n, prev = 0, energy = 0;
  int crossings = 0;
  int factor = f->sample_rate / PITCH_RATE > 0 ? f->sample_rate / PITCH_RATE : 1;
  double acc = 0;
  int acc_n = 0;
  for (int i = 0; i < n; i++) {
    int32_t s = 0;
    for (int c = 0; c < ch; c++) s += f->data[i * ch + c];
    double x = (double)s / ch - mean;
    energy += ((double)s / ch) * ((double)s / ch); /* the level as sent, DC included */
    if (i > 0 && ((x >= 0) != (prev >= 0))) crossings++;
    prev = x;
    acc += x;
    if (++acc_n == factor) {
      memmove(d->history, d->history + 1, sizeof(float) * (VOICE_HISTORY - 1));
      d->history[VOICE_HISTORY - 1] = (float)(acc / factor);
      acc = 0;
      acc_n = 0;
    }
  }
  double ms = energy / n;
  *dbfs = ms > 0 ? 10.0 * log10(ms / (32768.0 * 32768.0)) : -127.0;
  *zcr = (double)crossings / n;
  return PITCH_RATE * factor == f->sample_rate ? PITCH_RATE : f->sample_rate / factor;
}

/* Highest true peak of the normalized autocorrelation over the history: a local
 * maximum preceded by a dip, so that smooth low-frequency noise (whose
 * autocorrelation only decays) is not mistaken for a pitch. */
static double periodicity(const voice_detector* d, int* lag) {
  const float* x = d->history;
  double r[MAX_LAG + 2];
  for (int L = MIN_LAG - 1; L <= MAX_LAG + 1; L++) {
    double xy = 0, xx = 0, yy = 0;
    for (int i = 0; i + L < VOICE_HISTORY; i++) {
      xy += (double)x[i] * x[i + L];
      xx += (double)x[i] * x[i];
      yy += (double)x[i + L] * x[i + L];
    }
    r[L] = (xx > 0 && yy > 0) ? xy / sqrt(xx * yy) : 0;
  }
  double best = 0, dip = 1;
  *lag = 0;
  for (int L = MIN_LAG; L <= MAX_LAG; L++) {
    if (r[L - 1] < dip) dip = r[L - 1];
    if (r[L] > r[L - 1] && r[L] >= r[L + 1] && r[L] - dip > 0.3 && r[L] > best) {
      best = r[L];
      *lag = L;
    }
  }
  return best;
}

/* Minimum statistics: the quietest frame of the last ~1.5 s is the noise floor,
 * so steady noise or hum is the floor within that time and speech, which
 * always has quieter moments, stays above it. */
static double noise_floor(voice_detector* d, double dbfs) {
  if (d->sub_count == 0 || dbfs < d->sub_min) d->sub_min = dbfs;
  if (++d->sub_count == FLOOR_SUB_FRAMES) {
    d->minima[d->minima_next] = d->sub_min;
    d->minima_next = (d->minima_next + 1) % FLOOR_SUBWINDOWS;
    if (d->minima_used < FLOOR_SUBWINDOWS) d->minima_used++;
    d->sub_count = 0;
  }
  double floor = d->sub_count ? d->sub_min : 0;
  int have = d->sub_count > 0;
  for (int i = 0; i < d->minima_used; i++)
    if (!have || d->minima[i] < floor) {
      floor = d->minima[i];
      have = 1;
    }
  return have ? floor : dbfs;
}

void audio_frame_level(const pcm_frame* f, int* peak, double* mean_square) {
  int loudest = 0, samples = f->sample_rate / 100 * f->channels;
  double squares = 0;
  for (int i = 0; i < samples; i++) {
    int a = f->data[i] < 0 ? -(int)f->data[i] : f->data[i];
    if (a > loudest) loudest = a;
    squares += (double)f->data[i] * f->data[i];
  }
  *peak = loudest > 32767 ? 32767 : loudest;
  *mean_square = samples > 0 ? squares / samples / (32767.0 * 32767.0) : 0;
}

void audio_labels_compute(voice_detector* d, const pcm_frame* f, audio_labels* out) {
  double dbfs, zcr;
  int pitch_rate = frame_features(d, f, &dbfs, &zcr);
  if (d->frames < VOICE_HISTORY_FRAMES) d->frames++;
  int level = (int)lround(127.0 + dbfs);
  out->rms = level < 0 ? 0 : level > 127 ? 127 : level;
  out->music_prob = 0;
  out->pitch = 0;
  double mean_square;
  audio_frame_level(f, &out->peak, &mean_square);

  d->noise_floor_db = noise_floor(d, dbfs);
  int loud = dbfs > SPEECH_MIN_DBFS && dbfs > d->noise_floor_db + ABOVE_FLOOR_DB;
  int voiced = 0;
  if (loud && d->frames >= VOICE_HISTORY_FRAMES && zcr < MAX_ZCR) {
    int lag;
    double r = periodicity(d, &lag);
    if (r >= PERIODIC && lag > 0) {
      voiced = 1;
      out->pitch = pitch_rate / lag;
    }
  }
  if (voiced) {
    d->hangover = HANGOVER_FRAMES;
  } else if (d->hangover > 0) {
    d->hangover = loud ? d->hangover - 1 : 0; /* a drop to the floor ends speech at once */
  }
  out->voice_prob = voiced || d->hangover > 0;
}
