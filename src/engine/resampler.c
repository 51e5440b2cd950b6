/* resampler.c -- polyphase windowed-sinc sample-rate conversion of 10 ms frames,
 * and mono/stereo conversion. Runs on the engine thread only.
 *
 * Every supported rate is a multiple of 100 Hz, so a 10 ms frame in gives an
 * exact whole number of samples out (in/100 * L/M == out/100), every frame starts
 * at phase 0, and the only state kept between frames is the input history. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

#define TAPS_PER_PHASE 32
#define KAISER_BETA 8.0

struct resampler {
  int in_rate, out_rate, channels;
  int up, down;            /* L and M: out/in = L/M in lowest terms */
  int taps;                /* input samples under the filter for one output */
  float* coef;             /* up phases x taps */
  float* history;          /* channels x (taps - 1 + in_per_frame), planar */
};

int audio_rate_supported(int rate) {
  switch (rate) {
    case 8000: case 16000: case 24000: case 32000: case 44100: case 48000:
      return 1;
    default:
      return 0;
  }
}

static int gcd(int a, int b) {
  while (b) {
    int t = a % b;
    a = b;
    b = t;
  }
  return a;
}

static double bessel_i0(double x) {
  double sum = 1.0, term = 1.0, q = x * x / 4.0;
  for (int k = 1; k < 50; k++) {
    term *= q / ((double)k * k);
    sum += term;
    if (term < 1e-12 * sum) break;
  }
  return sum;
}

resampler* resampler_new(int in_rate, int out_rate, int channels) {
  resampler* r = calloc(1, sizeof *r);
  if (!r) return NULL;
  int g = gcd(in_rate, out_rate);
  r->in_rate = in_rate;
  r->out_rate = out_rate;
  r->channels = channels;
  r->up = out_rate / g;
  r->down = in_rate / g;
  /* When decimating, the filter must span more input samples to keep the same
   * transition band relative to the lower Nyquist frequency. */
  double ratio = in_rate > out_rate ? (double)in_rate / out_rate : 1.0;
  r->taps = (int)ceil(TAPS_PER_PHASE * ratio);
  int length = r->taps * r->up;
  r->coef = malloc(sizeof(float) * (size_t)length);
  int in_per_frame = in_rate / 100;
  r->history = calloc((size_t)channels * (size_t)(r->taps - 1 + in_per_frame), sizeof(float));
  if (!r->coef || !r->history) {
    resampler_free(r);
    return NULL;
  }
  /* Prototype low-pass at the upsampled rate (up * in_rate), cut a little
   * below the lower Nyquist frequency, gain `up` to undo zero stuffing. Its
   * centre is a multiple of `down`, so the delay is a whole number of output
   * samples (the output is the input, late by exactly center/down samples). */
  double cutoff = 0.5 * (in_rate < out_rate ? in_rate : out_rate) * 0.92 / ((double)r->up * in_rate);
  int center = ((length - 1) / 2) / r->down * r->down;
  double i0_beta = bessel_i0(KAISER_BETA);
  for (int n = 0; n < length; n++) {
    double value = 0.0;
    if (n <= 2 * center) {
      double t = n - center;
      double sinc = t == 0 ? 2 * cutoff : sin(2 * M_PI * cutoff * t) / (M_PI * t);
      double w = center ? t / center : 0.0;
      double window = bessel_i0(KAISER_BETA * sqrt(fmax(0.0, 1 - w * w))) / i0_beta;
      value = sinc * window * r->up;
    }
    /* phase p, tap j holds prototype[p + j * up] */
    int phase = n % r->up, tap = n / r->up;
    r->coef[phase * r->taps + tap] = (float)value;
  }
  return r;
}

void resampler_free(resampler* r) {
  if (!r) return;
  free(r->coef);
  free(r->history);
  free(r);
}

/* r may be NULL: a slot whose fresh resampler could not be made (out of memory) matches nothing. */
int resampler_matches(const resampler* r, int in_rate, int out_rate, int channels) {
  return r && r->in_rate == in_rate && r->out_rate == out_rate && r->channels == channels;
}

static int16_t clamp16(float v) {
  if (v >= 32767.0f) return 32767;
  if (v <= -32768.0f) return -32768;
  return (int16_t)lrintf(v);
}

void resampler_process(resampler* r, const int16_t* in, int16_t* out) {
  int n_in = r->in_rate / 100, n_out = r->out_rate / 100, keep = r->taps - 1;
  int span = keep + n_in;
  for (int ch = 0; ch < r->channels; ch++) {
    float* x = r->history + (size_t)ch * span;
    for (int i = 0; i < n_in; i++) x[keep + i] = in[i * r->channels + ch];
    for (int k = 0; k < n_out; k++) {
      long pos = (long)k * r->down;
      int base = (int)(pos / r->up), phase = (int)(pos % r->up);
      const float* h = r->coef + (size_t)phase * r->taps;
      const float* xs = x + keep + base;
      float acc = 0.0f;
      for (int j = 0; j < r->taps; j++) acc += h[j] * xs[-j];
      out[k * r->channels + ch] = clamp16(acc);
    }
    memmove(x, x + n_in, sizeof(float) * (size_t)keep);
  }
}

void audio_convert_channels(const int16_t* in, int in_channels, int16_t* out, int out_channels,
                            int samples_per_channel) {
  if (in_channels == out_channels) {
    memcpy(out, in, sizeof(int16_t) * (size_t)samples_per_channel * (size_t)in_channels);
  } else if (in_channels == 1) { /* mono -> stereo: same sample both sides */
    for (int i = 0; i < samples_per_channel; i++) out[2 * i] = out[2 * i + 1] = in[i];
  } else { /* stereo -> mono: average, rounding toward zero like integer division */
    for (int i = 0; i < samples_per_channel; i++) out[i] = (int16_t)(((int)in[2 * i] + in[2 * i + 1]) / 2);
  }
}

void audio_convert_frame(const pcm_frame* f, int channels, resampler* r, int16_t* out) {
  int n = f->sample_rate / 100;
  if (!r) {
    audio_convert_channels(f->data, f->channels, out, channels, n);
    return;
  }
  int16_t tmp[FRAME_MAX_SAMPLES];
  audio_convert_channels(f->data, f->channels, tmp, channels, n);
  resampler_process(r, tmp, out);
}
