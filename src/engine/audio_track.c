/* audio_track.c -- the media node factory, the PCM data sender and the custom PCM
 * audio track with its jitter buffer (a ring of 10 ms frames).
 *
 * Sends run on the caller's thread (Python releases the GIL around them) and
 * take only the sender and track locks; the engine thread pulls one frame per
 * tick. A send that does not fit is refused whole and counted. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

#define DEFAULT_TRACK_FRAMES 6000 /* 60 s of queued audio */

AGORA_API_C_HDL agora_service_create_media_node_factory(AGORA_HANDLE agora_svc) {
  service* s = agora_svc;
  if (!s || s->magic != MAGIC_SERVICE) return NULL;
  factory* f = calloc(1, sizeof *f);
  if (!f) return NULL;
  f->magic = MAGIC_FACTORY;
  pthread_mutex_lock(&g_engine.lock);
  g_engine.live_factories++;
  pthread_mutex_unlock(&g_engine.lock);
  return f;
}

AGORA_API_C_VOID agora_media_node_factory_destroy(AGORA_HANDLE agora_media_node_factory) {
  factory* f = agora_media_node_factory;
  if (!f || f->magic != MAGIC_FACTORY) return;
  f->magic = MAGIC_DEAD;
  pthread_mutex_lock(&g_engine.lock);
  g_engine.live_factories--;
  pthread_mutex_unlock(&g_engine.lock);
  free(f);
}

/* PCM and encoded audio senders: a lock and the track they feed. */
pcm_sender* audio_sender_new(uint32_t magic) {
  pcm_sender* s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->magic = magic;
  pthread_mutex_init(&s->lock, NULL);
  pthread_mutex_lock(&g_engine.lock);
  g_engine.live_senders++;
  pthread_mutex_unlock(&g_engine.lock);
  return s;
}

AGORA_API_C_HDL agora_media_node_factory_create_audio_pcm_data_sender(AGORA_HANDLE agora_media_node_factory) {
  factory* f = agora_media_node_factory;
  if (!f || f->magic != MAGIC_FACTORY) return NULL;
  return audio_sender_new(MAGIC_PCM_SENDER);
}

AGORA_API_C_VOID agora_audio_pcm_data_sender_destroy(AGORA_HANDLE agora_audio_pcm_data_sender) {
  pcm_sender* s = agora_audio_pcm_data_sender;
  if (s && s->magic == MAGIC_PCM_SENDER) audio_sender_destroy(s);
}

void audio_sender_destroy(pcm_sender* s) {
  pthread_mutex_lock(&g_engine.lock);
  pthread_mutex_lock(&s->lock);
  audio_track* t = s->track;
  s->track = NULL;
  if (t) {
    pthread_mutex_lock(&t->lock);
    t->sender = NULL;
    pthread_mutex_unlock(&t->lock);
    audio_track_release(t);
  }
  s->magic = MAGIC_DEAD;
  g_engine.live_senders--;
  pthread_mutex_unlock(&s->lock);
  pthread_mutex_unlock(&g_engine.lock);
  pthread_mutex_destroy(&s->lock);
  free(s);
}

/* Appends samples to the frame at the ring's tail (the partial frame), which
 * joins the queue once it holds 10 ms: samples are copied once, in place. */
int audio_track_push(audio_track* t, const int16_t* pcm, int samples, int channels, int rate,
                      uint32_t capture_ts, int64_t pts) {
  int frame_len = rate / 100;
  if (t->gap_ticks) { /* the queue ran dry mid-stream: the audio came late */
    if (t->gap_ticks <= UNDERRUN_MAX_GAP) {
      t->underruns++;
      t->starved_ticks += (uint64_t)t->gap_ticks;
    }
    t->gap_ticks = 0;
  }
  int tail = (t->head + t->count) % t->capacity;
  if (t->staged && (t->ring[tail]->sample_rate != rate || t->ring[tail]->channels != channels)) {
    t->staged = 0; /* a format change drops the unfinished partial frame */
    t->frames_dropped++;
  }
  int whole = (t->staged + samples) / frame_len;
  int partial = (t->staged + samples) % frame_len != 0;
  if (t->count + whole + partial > t->capacity) {
    t->frames_dropped += (uint64_t)whole;
    return -ERR_RESOURCE_LIMITED;
  }
  int done = 0;
  while (done < samples) {
    tail = (t->head + t->count) % t->capacity;
    pcm_frame* f = t->ring[tail];
    int need = frame_len * channels;
    if (!f && t->spare_count) f = t->ring[tail] = t->spare[--t->spare_count]; /* reuse a played slot */
    if (!t->staged && (!f || f->slot_samples < need)) { /* slots hold what the format needs, not FRAME_MAX_SAMPLES */
      pcm_frame* grown = realloc(f, offsetof(pcm_frame, data) + sizeof(int16_t) * (size_t)need);
      if (!grown) return -ERR_RESOURCE_LIMITED;
      f = t->ring[tail] = grown;
      f->slot_samples = need;
    }
    if (!t->staged) {
      f->sample_rate = rate;
      f->channels = channels;
      f->capture_timestamp = capture_ts + (uint32_t)(done * 1000 / rate);
      f->presentation_ms = pts ? pts + done * 1000 / rate : 0;
    }
    int take = frame_len - t->staged;
    if (take > samples - done) take = samples - done;
    memcpy(f->data + t->staged * channels, pcm + done * channels, sizeof(int16_t) * (size_t)take * (size_t)channels);
    t->staged += take;
    done += take;
    if (t->staged == frame_len) {
      t->count++;
      t->frames_queued++;
      t->staged = 0;
    }
  }
  return ERR_OK;
}

AGORA_API_C_INT agora_audio_pcm_data_sender_send(AGORA_HANDLE agora_audio_pcm_data_sender,
                                                 const void* audio_data, uint32_t capture_timestamp,
                                                 int64_t presentation_ms, uint32_t samples_per_channel,
                                                 uint32_t bytes_per_sample, uint32_t number_of_channels,
                                                 uint32_t sample_rate) {
  pcm_sender* s = agora_audio_pcm_data_sender;
  if (!s || s->magic != MAGIC_PCM_SENDER) return -ERR_INVALID_ARGUMENT;
  if (!audio_data || bytes_per_sample != 2 || (number_of_channels != 1 && number_of_channels != 2) ||
      !audio_rate_supported((int)sample_rate) || samples_per_channel == 0 ||
      samples_per_channel > sample_rate * 10)
    return -ERR_INVALID_ARGUMENT;
  int rc;
  pthread_mutex_lock(&s->lock);
  audio_track* t = s->track;
  if (!t) {
    rc = -ERR_NOT_READY; /* no track made from this sender yet */
  } else {
    pthread_mutex_lock(&t->lock);
    rc = audio_track_push(t, audio_data, (int)samples_per_channel, (int)number_of_channels, (int)sample_rate,
                    capture_timestamp, presentation_ms);
    pthread_mutex_unlock(&t->lock);
  }
  pthread_mutex_unlock(&s->lock);
  return rc;
}

AGORA_API_C_HDL agora_service_create_custom_audio_track_pcm(AGORA_HANDLE agora_svc, AGORA_HANDLE agora_audio_pcm_data_sender) {
  service* svc = agora_svc;
  pcm_sender* s = agora_audio_pcm_data_sender;
  if (!svc || svc->magic != MAGIC_SERVICE || !s || s->magic != MAGIC_PCM_SENDER) return NULL;
  return audio_track_new(s);
}

audio_track* audio_track_new(pcm_sender* s) {
  audio_track* t = calloc(1, sizeof *t);
  if (!t) return NULL;
  t->magic = MAGIC_AUDIO_TRACK;
  t->refs = 1;
  t->enabled = 1;
  t->publish_volume = 100;
  t->played_tick = -1;
  t->sink_tick = -1;
  t->capacity = DEFAULT_TRACK_FRAMES;
  t->ring = calloc((size_t)t->capacity, sizeof(pcm_frame*));
  if (!t->ring) {
    free(t);
    return NULL;
  }
  pthread_mutex_init(&t->lock, NULL);
  pthread_mutex_lock(&g_engine.lock);
  pthread_mutex_lock(&s->lock);
  if (s->track) { /* one track per sender: the newest takes the sender's audio */
    pthread_mutex_lock(&s->track->lock);
    s->track->sender = NULL;
    pthread_mutex_unlock(&s->track->lock);
    audio_track_release(s->track);
  }
  t->sender = s;
  s->track = t;
  g_engine.live_tracks++;
  t->refs++; /* the sender's reference */
  pthread_mutex_unlock(&s->lock);
  pthread_mutex_unlock(&g_engine.lock);
  return t;
}

void audio_track_retain(audio_track* t) { t->refs++; }

void audio_track_release(audio_track* t) {
  if (--t->refs > 0) return;
  for (int i = 0; i < t->capacity; i++) free(t->ring[i]);
  free(t->ring);
  for (int i = 0; i < t->spare_count; i++) free(t->spare[i]);
  pthread_mutex_destroy(&t->lock);
  t->magic = MAGIC_DEAD;
  g_engine.live_tracks--;
  free(t);
}

void audio_apply_volume(int16_t* samples, size_t count, int volume) {
  for (size_t i = 0; i < count; i++) {
    int32_t v = (int32_t)samples[i] * volume / 100;
    samples[i] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
  }
}

/* A played slot goes to the spare list for the next push, or is freed: memory follows the queue's depth,
 * not its capacity (the tail moves on to fresh positions, so kept slots would all be allocated after one
 * pass around a 60 000-frame ring). Track lock held. */
static void slot_recycle(audio_track* t, pcm_frame* f) {
  if (t->spare_count < TRACK_SPARE_SLOTS)
    t->spare[t->spare_count++] = f;
  else
    free(f);
}

int audio_track_pull(audio_track* t, pcm_frame* out) {
  int got = 0;
  pthread_mutex_lock(&t->lock);
  if (t->sink_tick == g_engine.ticks) { /* pulled this tick already (published on two connections, a sink) */
    got = t->sink_have;
    if (got) memcpy(out, &t->sink_frame, pcm_frame_bytes(&t->sink_frame));
    pthread_mutex_unlock(&t->lock);
    return got;
  }
  if (t->count > 0) {
    pcm_frame* f = t->ring[t->head];
    t->ring[t->head] = NULL;
    t->head = (t->head + 1) % t->capacity;
    t->count--;
    if (t->enabled) {
      size_t used = (size_t)(f->sample_rate / 100 * f->channels);
      memcpy(out, f, pcm_frame_bytes(f));
      if (t->publish_volume != 100) audio_apply_volume(out->data, used, t->publish_volume);
      got = 1;
    }
    slot_recycle(t, f);
    t->played_tick = g_engine.ticks;
    t->frames_played++;
    t->playing = 1;
    t->gap_ticks = 0;
  } else if (t->playing && t->gap_ticks <= UNDERRUN_MAX_GAP) {
    t->gap_ticks++;
  }
  /* This tick's frame, for every other connection it is published on and its sinks (audio_sink.c). */
  t->sink_tick = g_engine.ticks;
  t->sink_have = got;
  if (got) memcpy(&t->sink_frame, out, pcm_frame_bytes(out));
  pthread_mutex_unlock(&t->lock);
  return got;
}

audio_track* audio_track_from(AGORA_HANDLE h) {
  audio_track* t = h;
  return (t && t->magic == MAGIC_AUDIO_TRACK) ? t : NULL;
}

AGORA_API_C_VOID agora_local_audio_track_destroy(AGORA_HANDLE agora_local_audio_track) {
  audio_track* t = audio_track_from(agora_local_audio_track);
  if (!t) return;
  pthread_mutex_lock(&g_engine.lock);
  /* Unpublish from every local user still holding it. */
  for (int i = 0; i < g_engine.conn_count; i++) {
    local_user* u = &g_engine.conns[i]->user;
    for (int k = 0; k < u->published_count; k++) {
      if (u->published[k] == t) {
        u->published[k] = u->published[--u->published_count];
        local_user_forget_mix(u, t);
        audio_track_release(t);
        k--;
      }
    }
  }
  audio_sinks_detach_track(t);
  pcm_sender* s = t->sender;
  if (s) {
    /* Drop the sender's link without the sender lock order violation: the
     * sender lock is taken before the track lock everywhere. */
    pthread_mutex_lock(&s->lock);
    if (s->track == t) {
      s->track = NULL;
      t->refs--;
    }
    pthread_mutex_unlock(&s->lock);
    t->sender = NULL;
  }
  audio_track_release(t);
  pthread_mutex_unlock(&g_engine.lock);
}

AGORA_API_C_INT agora_local_audio_track_set_enabled(AGORA_HANDLE agora_local_audio_track, int enable) {
  audio_track* t = audio_track_from(agora_local_audio_track);
  if (!t) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&t->lock);
  t->enabled = enable ? 1 : 0;
  pthread_mutex_unlock(&t->lock);
  return ERR_OK;
}

AGORA_API_C_INT agora_local_audio_track_is_enabled(AGORA_HANDLE agora_local_audio_track, int* enabled) {
  audio_track* t = audio_track_from(agora_local_audio_track);
  if (!t || !enabled) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&t->lock);
  *enabled = t->enabled;
  pthread_mutex_unlock(&t->lock);
  return ERR_OK;
}

AGORA_API_C_INT agora_local_audio_track_get_state(AGORA_HANDLE agora_local_audio_track) {
  audio_track* t = audio_track_from(agora_local_audio_track);
  if (!t) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&t->lock);
  int state = t->enabled ? LOCAL_AUDIO_STREAM_STATE_RECORDING : LOCAL_AUDIO_STREAM_STATE_STOPPED;
  pthread_mutex_unlock(&t->lock);
  return state;
}

AGORA_API_C_INT agora_local_audio_track_set_max_bufferd_frame_number(AGORA_HANDLE agora_local_audio_track, int number) {
  audio_track* t = audio_track_from(agora_local_audio_track);
  if (!t || number <= 0) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&t->lock);
  int rc = ERR_OK;
  int keep = t->count + (t->staged ? 1 : 0); /* the queued frames and the one being filled */
  if (number < keep) {
    rc = -ERR_INVALID_STATE; /* more frames queued than the new limit */
  } else {
    pcm_frame** ring = calloc((size_t)number, sizeof(pcm_frame*));
    if (!ring) {
      rc = -ERR_RESOURCE_LIMITED;
    } else {
      for (int i = 0; i < keep; i++) ring[i] = t->ring[(t->head + i) % t->capacity];
      for (int i = keep; i < t->capacity; i++) free(t->ring[(t->head + i) % t->capacity]);
      free(t->ring);
      t->ring = ring;
      t->head = 0;
      t->capacity = number;
    }
  }
  pthread_mutex_unlock(&t->lock);
  return rc;
}

AGORA_API_C_INT agora_local_audio_track_clear_sender_buffer(AGORA_HANDLE agora_local_audio_track) {
  audio_track* t = audio_track_from(agora_local_audio_track);
  if (!t) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&t->lock);
  for (int i = 0; i < t->count + (t->staged ? 1 : 0); i++) { /* the dropped frames' slots */
    int k = (t->head + i) % t->capacity;
    slot_recycle(t, t->ring[k]);
    t->ring[k] = NULL;
  }
  t->head = 0;
  t->count = 0;
  t->staged = 0;
  t->playing = 0; /* a cleared track starts a new stream */
  t->gap_ticks = 0;
  pthread_mutex_unlock(&t->lock);
  return ERR_OK;
}

/* Agora's "direct" track skips its own send pacing (AI server scenario); the
 * loopback's tracks are all paced by the 10 ms clock, so it is the same track. */
AGORA_API_C_HDL agora_service_create_direct_custom_audio_track_pcm(AGORA_HANDLE agora_svc, AGORA_HANDLE agora_audio_pcm_data_sender) {
  return agora_service_create_custom_audio_track_pcm(agora_svc, agora_audio_pcm_data_sender);
}

AGORA_API_C_INT agora_local_audio_track_adjust_publish_volume(AGORA_HANDLE agora_local_audio_track, int volume) {
  audio_track* t = audio_track_from(agora_local_audio_track);
  if (!t || volume < 0 || volume > 400) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&t->lock);
  t->publish_volume = volume;
  pthread_mutex_unlock(&t->lock);
  return ERR_OK;
}

AGORA_API_C_INT agora_local_audio_track_get_publish_volume(AGORA_HANDLE agora_local_audio_track, int* volume) {
  audio_track* t = audio_track_from(agora_local_audio_track);
  if (!t || !volume) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&t->lock);
  *volume = t->publish_volume;
  pthread_mutex_unlock(&t->lock);
  return ERR_OK;
}

/* A server has no speaker: local playback and in-ear monitoring are refused. */
AGORA_API_C_INT agora_local_audio_track_enable_local_playback(AGORA_HANDLE agora_local_audio_track, int enable) {
  (void)enable;
  return audio_track_from(agora_local_audio_track) ? -ERR_NOT_SUPPORTED : -ERR_INVALID_ARGUMENT;
}

AGORA_API_C_INT agora_local_audio_track_enable_ear_monitor(AGORA_HANDLE agora_local_audio_track, int enable, int include_audio_filter) {
  (void)enable;
  (void)include_audio_filter;
  return audio_track_from(agora_local_audio_track) ? -ERR_NOT_SUPPORTED : -ERR_INVALID_ARGUMENT;
}

AGORA_API_C_VOID agora_local_audio_track_set_send_delay_ms(AGORA_HANDLE agora_local_audio_track, int delay_ms) {
  audio_track* t = audio_track_from(agora_local_audio_track);
  if (!t || delay_ms < 0) return;
  pthread_mutex_lock(&t->lock);
  t->send_delay_ms = delay_ms;
  pthread_mutex_unlock(&t->lock);
}

AGORA_API_C_INT agora_local_audio_track_set_total_extra_send_ms(AGORA_HANDLE agora_local_audio_track, uint64_t total_extra_ms) {
  audio_track* t = audio_track_from(agora_local_audio_track);
  if (!t) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&t->lock);
  t->extra_send_ms = total_extra_ms;
  pthread_mutex_unlock(&t->lock);
  return ERR_OK;
}

/* Loopback extension (agora_loopback.h): what AudioConsumer needs to pace,
 * wait for playout and count underruns. Not part of Agora's API. */
AGORA_API_C_INT agora_loopback_audio_track_get_stats(AGORA_HANDLE agora_local_audio_track, loopback_audio_track_stats* stats) {
  audio_track* t = audio_track_from(agora_local_audio_track);
  if (!t || !stats) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&t->lock);
  stats->queued_frames = (uint64_t)t->count;
  stats->staged_samples = (uint64_t)t->staged;
  stats->queued_total = t->frames_queued;
  stats->played_frames = t->frames_played;
  stats->dropped_frames = t->frames_dropped;
  stats->underruns = t->underruns;
  stats->starved_ticks = t->starved_ticks;
  stats->encoded_sent = t->encoded_sent;
  stats->encoded_discarded = t->encoded_discarded;
  stats->send_delay_ms = t->send_delay_ms;
  stats->extra_send_ms = t->extra_send_ms;
  /* The frame played in tick N reaches receivers (and sinks) later in that tick; ticks becomes N + 1 after. */
  stats->delivering = t->played_tick >= __atomic_load_n(&g_engine.ticks, __ATOMIC_ACQUIRE);
  pthread_mutex_unlock(&t->lock);
  return ERR_OK;
}
