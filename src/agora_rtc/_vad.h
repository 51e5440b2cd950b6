/* _vad.h -- VAD v2 (the official SDK's AudioVadV2 decisions, natively): a
 * state machine over labelled 10 ms frames. A frame is active when its
 * voice_prob is 1 or its rms label exceeds the threshold (after the first
 * utterance, a share of that utterance's mean rms when adaptive).
 *
 * Not speaking: once pre_start + start frames have arrived since the last
 * START and the last `start` frames were all active, the state is START and
 * the audio before it is returned as pre-roll. Speaking: every frame is
 * returned; after `stop` inactive frames in a row (and at least `stop` frames
 * since START) the state is STOP.
 *
 * The official pre-roll is the last pre_start + start frames, which misses a
 * first word separated from the rest by a short pause. With preroll_from_onset
 * the pre-roll instead reaches pre_start frames before the speech onset (the
 * triggering run extended back over active frames separated by pauses shorter
 * than VAD_ONSET_GAP), within the last VAD_HISTORY frames. States are the
 * official ones either way.
 * One instance per stream; not thread-safe (its owner serializes calls). */
#pragma once

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { VAD_NONE = 0, VAD_START = 1, VAD_SPEAKING = 2, VAD_STOP = 3 };
#define VAD_HISTORY 256   /* frames of audio and activity kept (2.56 s) */
#define VAD_ONSET_GAP 25  /* a pause this long (250 ms) before the first words ends the look-back */

typedef struct vad_config {
  int pre_start_count, start_count, stop_count;
  int rms_threshold;          /* on the label scale: dBFS + 127 */
  int adaptive;
  double adaptive_factor;
  int preroll_from_onset;
} vad_config;

typedef struct vad {
  vad_config cfg;
  int speaking;
  size_t frame_bytes;         /* fixed by the first frame */
  int ring_frames;            /* VAD_HISTORY, or more for a longer start window */
  uint8_t* ring;              /* audio of the last ring_frames frames, slot = index % ring_frames */
  uint8_t* active;            /* and their activity */
  int since_start;            /* frames queued since the last START (official queue fill) */
  int voice_count, silence_count, stop_fill;
  int64_t voice_rms_total;
  int ref_rms;                /* mean rms of the last utterance's start frames, 0 = none yet */
  int64_t frames;             /* frames processed */
  int64_t start_frame, stop_frame; /* last detected speech boundaries (frame index), -1 = none */
} vad;

static vad* vad_new(const vad_config* cfg) {
  vad* v = (vad*)calloc(1, sizeof *v);
  if (!v) return NULL;
  v->cfg = *cfg;
  int window = cfg->pre_start_count + cfg->start_count;
  v->ring_frames = window > VAD_HISTORY ? window : VAD_HISTORY;
  v->active = (uint8_t*)calloc((size_t)v->ring_frames, 1);
  if (!v->active) {
    free(v);
    return NULL;
  }
  v->start_frame = v->stop_frame = -1;
  return v;
}

static void vad_free(vad* v) {
  if (!v) return;
  free(v->ring);
  free(v->active);
  free(v);
}

static int vad_is_active(const vad* v, int rms, int voice_prob) {
  int threshold = v->cfg.rms_threshold;
  if (v->cfg.adaptive && v->ref_rms > 0) threshold = (int)((double)v->ref_rms * v->cfg.adaptive_factor);
  return voice_prob == 1 || rms > threshold;
}

/* First frame of the speech that triggered START at `index` (see above). */
static int64_t vad_onset(const vad* v, int64_t index) {
  int64_t onset = index - v->voice_count + 1, oldest = index - v->since_start + 1;
  int gap = 0;
  for (int64_t i = onset - 1; i >= oldest; i--) {
    if (v->active[i % v->ring_frames]) {
      onset = i;
      gap = 0;
    } else if (++gap >= VAD_ONSET_GAP) {
      break;
    }
  }
  return onset;
}

/* Processes one frame. Returns the state; *out and *out_len point at the bytes to
 * hand back (inside the VAD's buffers or `data`, valid until the next call).
 * Returns -1 when the frame's size differs from the first frame's, -2 when
 * memory runs out. */
static int vad_process(vad* v, const uint8_t* data, size_t len, int rms, int voice_prob, const uint8_t** out,
                       size_t* out_len, uint8_t** scratch, size_t* scratch_cap) {
  *out = NULL;
  *out_len = 0;
  if (v->frame_bytes == 0) {
    v->ring = (uint8_t*)malloc(len * (size_t)v->ring_frames);
    if (!v->ring) return -2;
    v->frame_bytes = len;
  } else if (len != v->frame_bytes) {
    return -1;
  }
  int active = vad_is_active(v, rms, voice_prob);
  int64_t index = v->frames++;
  int slot = (int)(index % v->ring_frames);
  v->active[slot] = (uint8_t)active;
  if (!v->speaking) {
    memcpy(v->ring + (size_t)slot * len, data, len);
    if (v->since_start < v->ring_frames) v->since_start++;
    if (active) {
      v->voice_count++;
      v->voice_rms_total += rms;
    } else {
      v->voice_count = 0;
      v->voice_rms_total = 0;
    }
    int window = v->cfg.pre_start_count + v->cfg.start_count;
    if (v->since_start < window || v->voice_count < v->cfg.start_count) return VAD_NONE;
    int64_t onset = vad_onset(v, index);
    int64_t first = index - window + 1; /* the official pre-roll */
    if (v->cfg.preroll_from_onset && onset - v->cfg.pre_start_count < first) {
      first = onset - v->cfg.pre_start_count;
      if (first < index - v->since_start + 1) first = index - v->since_start + 1;
    }
    size_t n = (size_t)(index - first + 1), total = len * n;
    if (*scratch_cap < total) {
      uint8_t* grown = (uint8_t*)realloc(*scratch, total);
      if (!grown) return -2;
      *scratch = grown;
      *scratch_cap = total;
    }
    for (size_t i = 0; i < n; i++)
      memcpy(*scratch + i * len, v->ring + (size_t)((first + (int64_t)i) % v->ring_frames) * len, len);
    *out = *scratch;
    *out_len = total;
    if (v->voice_count) v->ref_rms = (int)(v->voice_rms_total / v->voice_count); /* 0 with start_count 0 */
    v->start_frame = onset;
    v->stop_frame = -1;
    v->since_start = 0;
    v->voice_count = v->silence_count = v->stop_fill = 0;
    v->voice_rms_total = 0;
    v->speaking = 1;
    return VAD_START;
  }
  if (v->stop_fill < v->cfg.stop_count) v->stop_fill++;
  v->silence_count = active ? 0 : v->silence_count + 1;
  *out = data;
  *out_len = len;
  if (v->stop_fill >= v->cfg.stop_count && v->silence_count >= v->cfg.stop_count) {
    v->stop_frame = index - v->silence_count + 1;
    v->stop_fill = v->silence_count = 0;
    v->speaking = 0;
    return VAD_STOP;
  }
  return VAD_SPEAKING;
}
