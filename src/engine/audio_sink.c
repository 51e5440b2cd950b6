/* audio_sink.c -- audio sinks on local audio tracks (what the official SDK's
 * external audio processor is built on): a sink added to a custom PCM track
 * gets that track's audio, one 10 ms frame per clock tick whether or not the
 * track is published, converted to the rate and channels it wants and
 * labelled (rms, voice_prob, pitch) by the engine's voice detector.
 *
 * The track's audio filter "audio_processing_pcm_source" (the APM) is
 * accepted with its properties; of its stages the loopback runs automatic
 * gain control ("agc": {"enabled": true} in apm_config). Noise suppression,
 * echo cancellation and background voice suppression are Agora's models: the
 * loopback passes the audio through unchanged (docs/compat.md).
 *
 * All state is guarded by g_engine.lock; callbacks run on the engine thread
 * with the lock released (ENGINE_CALLBACK), and a sink destroyed meanwhile is
 * skipped from then on. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

#define APM_FILTER "audio_processing_pcm_source"
#define REMOTE_APM_FILTER "audio_processing_remote_playback"
#define AGC_TARGET 4125.0   /* -18 dBFS RMS */
#define AGC_MAX_GAIN 31.6   /* +30 dB */
#define AGC_MIN_GAIN 0.25   /* -12 dB */
#define AGC_GATE 33.0       /* below -60 dBFS RMS: silence, the gain holds */

typedef struct audio_sink_obj {
  uint32_t magic;
  audio_sink cb;
  audio_track* track;       /* retained while added */
  int rate, channels;
  resampler* resampler;     /* from the track's rate, made on the first frame of a new format */
  voice_detector voice;
  int64_t delivered_tick;
} audio_sink_obj;

static audio_sink_obj* sink_from(AGORA_HANDLE h) {
  audio_sink_obj* s = h;
  return (s && s->magic == MAGIC_AUDIO_SINK) ? s : NULL;
}

static void detach(audio_sink_obj* s) {
  if (!s->track) return;
  pthread_mutex_lock(&s->track->lock);
  s->track->sink_count--;
  pthread_mutex_unlock(&s->track->lock);
  audio_track_release(s->track);
  s->track = NULL;
}

AGORA_API_C_HDL agora_audio_sink_create(audio_sink* sink) {
  if (!sink || !sink->on_audio_sink_data) return NULL;
  audio_sink_obj* s = calloc(1, sizeof *s);
  if (!s) return NULL;
  pthread_mutex_lock(&g_engine.lock);
  if (g_engine.sink_count == g_engine.sink_capacity) {
    int cap = g_engine.sink_capacity ? 2 * g_engine.sink_capacity : 8;
    audio_sink_obj** grown = realloc(g_engine.sinks, sizeof(audio_sink_obj*) * (size_t)cap);
    if (!grown) {
      pthread_mutex_unlock(&g_engine.lock);
      free(s);
      return NULL;
    }
    g_engine.sinks = grown;
    g_engine.sink_capacity = cap;
  }
  s->magic = MAGIC_AUDIO_SINK;
  s->cb = *sink;
  s->delivered_tick = -1;
  voice_detector_reset(&s->voice);
  g_engine.sinks[g_engine.sink_count++] = s;
  g_engine.sinks_changed++;
  pthread_mutex_unlock(&g_engine.lock);
  return s;
}

AGORA_API_C_VOID agora_audio_sink_destroy(AGORA_HANDLE agora_audio_sink) {
  pthread_mutex_lock(&g_engine.lock);
  audio_sink_obj* s = sink_from(agora_audio_sink);
  if (s) {
    engine_wait_callbacks(); /* not while its callback runs on another thread */
    for (int i = 0; i < g_engine.sink_count; i++)
      if (g_engine.sinks[i] == s) {
        g_engine.sinks[i] = g_engine.sinks[--g_engine.sink_count];
        g_engine.sinks_changed++;
        break;
      }
    detach(s);
    resampler_free(s->resampler);
    s->magic = MAGIC_DEAD;
    free(s);
  }
  pthread_mutex_unlock(&g_engine.lock);
}

AGORA_API_C_INT agora_audio_track_add_audio_sink(AGORA_HANDLE agora_audio_track, AGORA_HANDLE agora_audio_sink,
                                                 const audio_sink_wants* wants) {
  if (!wants || !audio_rate_supported(wants->samples_per_sec) || (wants->channels != 1 && wants->channels != 2))
    return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&g_engine.lock);
  audio_sink_obj* s = sink_from(agora_audio_sink);
  audio_track* t = audio_track_from(agora_audio_track);
  int rc = (!s || !t || t->encoded) ? -ERR_INVALID_ARGUMENT : s->track ? -ERR_ALREADY_IN_USE : ERR_OK;
  if (rc == ERR_OK) {
    audio_track_retain(t);
    pthread_mutex_lock(&t->lock);
    t->sink_count++;
    pthread_mutex_unlock(&t->lock);
    s->track = t;
    s->rate = wants->samples_per_sec;
    s->channels = (int)wants->channels;
  }
  pthread_mutex_unlock(&g_engine.lock);
  engine_wake(); /* the clock runs while a sink listens */
  return rc;
}

void audio_sinks_detach_track(audio_track* t) {
  for (int i = 0; i < g_engine.sink_count; i++)
    if (g_engine.sinks[i]->track == t) detach(g_engine.sinks[i]);
}

int audio_sinks_listening(void) {
  for (int i = 0; i < g_engine.sink_count; i++)
    if (g_engine.sinks[i]->track) return 1;
  return 0;
}

/* ---- the APM filter's properties ---- */

static int filter_known(const char* name, int position) {
  return name && ((strcmp(name, APM_FILTER) == 0 && position == AUDIO_FILTER_POSITION_PCM_SOURCE) ||
                  (strcmp(name, REMOTE_APM_FILTER) == 0 && position == AUDIO_FILTER_POSITION_REMOTE_PLAYBACK));
}

AGORA_API_C_INT agora_audio_track_enable_audio_filter(AGORA_HANDLE agora_audio_track, const char* name, int enable,
                                                      int position) {
  audio_track* t = audio_track_from(agora_audio_track);
  if (!t) return -ERR_INVALID_ARGUMENT;
  if (!filter_known(name, position)) return -ERR_NOT_SUPPORTED;
  pthread_mutex_lock(&t->lock);
  t->apm_enabled = enable ? 1 : 0;
  pthread_mutex_unlock(&t->lock);
  return ERR_OK;
}

/* "enabled": true inside the "agc" object of an apm_config JSON (1), false or absent (0), malformed (-1). */
static int agc_enabled_in(const char* json) {
  const char* agc = strstr(json, "\"agc\"");
  if (!agc) return 0;
  const char* open = strchr(agc, '{');
  const char* close = open ? strchr(open, '}') : NULL;
  if (!close) return -1;
  const char* key = strstr(open, "\"enabled\"");
  if (!key || key > close) return 0;
  const char* v = strchr(key + 9, ':');
  if (!v || v > close) return -1;
  v++;
  while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r') v++;
  if (strncmp(v, "true", 4) == 0) return 1;
  if (strncmp(v, "false", 5) == 0) return 0;
  return -1;
}

AGORA_API_C_INT agora_audio_track_set_filter_property(AGORA_HANDLE agora_audio_track, const char* name, const char* key,
                                                      const char* json_value, int position) {
  audio_track* t = audio_track_from(agora_audio_track);
  if (!t || !key || !json_value) return -ERR_INVALID_ARGUMENT;
  if (!filter_known(name, position)) return -ERR_NOT_SUPPORTED;
  if (strcmp(key, "apm_load_resource") == 0 || strcmp(key, "apm_dump") == 0) return ERR_OK; /* nothing to load/dump */
  if (strcmp(key, "apm_config") != 0) return -ERR_INVALID_ARGUMENT;
  int agc = agc_enabled_in(json_value);
  if (agc < 0 || json_value[0] != '{') return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&t->lock);
  t->agc_enabled = agc;
  pthread_mutex_unlock(&t->lock);
  return ERR_OK;
}

/* ---- per tick ---- */

/* Automatic gain control: a gain that moves toward -18 dBFS RMS on sound and holds through silence. */
static void agc_apply(audio_track* t, int16_t* samples, size_t n) {
  double sum = 0;
  for (size_t i = 0; i < n; i++) sum += (double)samples[i] * samples[i];
  double rms = sqrt(sum / (double)(n ? n : 1));
  if (t->agc_gain <= 0) t->agc_gain = 1.0;
  if (rms > AGC_GATE) {
    double want = AGC_TARGET / rms;
    want = want > AGC_MAX_GAIN ? AGC_MAX_GAIN : want < AGC_MIN_GAIN ? AGC_MIN_GAIN : want;
    double rate = want < t->agc_gain ? 0.5 : 0.05; /* down fast (no clipping), up slowly */
    t->agc_gain += (want - t->agc_gain) * rate;
  }
  for (size_t i = 0; i < n; i++) {
    double v = samples[i] * t->agc_gain;
    samples[i] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
  }
}

/* The frame a track plays this tick (t->sink_frame): the one the clock pulled for publishing, or
 * pulled here; gain-controlled once. 0 when the track has nothing this tick. */
static const pcm_frame* frame_of(audio_track* t) {
  static pcm_frame unused;
  if (t->sink_tick != g_engine.ticks) audio_track_pull(t, &unused); /* not published: fills sink_frame */
  if (t->sink_tick != g_engine.ticks || !t->sink_have) return NULL;
  if (t->apm_enabled && t->agc_enabled && t->agc_tick != g_engine.ticks) {
    agc_apply(t, t->sink_frame.data, (size_t)(t->sink_frame.sample_rate / 100 * t->sink_frame.channels));
    t->agc_tick = g_engine.ticks;
  }
  return &t->sink_frame;
}

static int convert(audio_sink_obj* s, const pcm_frame* in, int16_t* out) {
  if (in->sample_rate != s->rate &&
      (!s->resampler || !resampler_matches(s->resampler, in->sample_rate, s->rate, s->channels))) {
    resampler_free(s->resampler); /* a new input format: a new resampler state */
    s->resampler = resampler_new(in->sample_rate, s->rate, s->channels);
    if (!s->resampler) return 0;
  }
  audio_convert_frame(in, s->channels, in->sample_rate == s->rate ? NULL : s->resampler, out);
  return 1;
}

void audio_sinks_tick(void) {
  static audio_pcm_frame out; /* engine thread only */
  static pcm_frame labelled;
  for (int i = 0; i < g_engine.sink_count; i++) {
    audio_sink_obj* s = g_engine.sinks[i];
    if (!s->track || s->delivered_tick == g_engine.ticks) continue; /* (the list may shift under a callback) */
    s->delivered_tick = g_engine.ticks;
    const pcm_frame* f = frame_of(s->track);
    if (!f) continue;
    memset(&out, 0, offsetof(audio_pcm_frame, data));
    if (!convert(s, f, out.data)) continue;
    size_t samples = (size_t)(s->rate / 100 * s->channels);
    out.capture_timestamp = f->capture_timestamp;
    out.samples_per_channel = (uint32_t)(s->rate / 100);
    out.sample_rate_hz = s->rate;
    out.num_channels = (uint32_t)s->channels;
    out.bytes_per_sample = sizeof(int16_t);
    labelled.sample_rate = s->rate;
    labelled.channels = s->channels;
    memcpy(labelled.data, out.data, sizeof(int16_t) * samples);
    audio_labels labels;
    audio_labels_compute(&s->voice, &labelled, &labels);
    out.audio_label = (audio_label){.far_field_flag = 0, .rms = labels.rms, .voice_prob = labels.voice_prob,
                                    .music_prob = labels.music_prob, .pitch = labels.pitch};
    unsigned changes = g_engine.sinks_changed;
    ENGINE_CALLBACK(s->cb.on_audio_sink_data, s, &out);
    /* A sink destroyed in the callback moved the last one into its place, perhaps one already passed:
     * scan again (delivered_tick keeps each to one frame per tick). */
    if (g_engine.sinks_changed != changes) i = -1;
  }
}
