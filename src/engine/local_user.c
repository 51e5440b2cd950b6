/* local_user.c -- the local user of a connection: publishing tracks, audio
 * subscriptions, audio frame parameters, observers, and the resampler states
 * it keeps per remote user. g_engine.lock guards all of it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

local_user* local_user_from(AGORA_HANDLE h) {
  local_user* u = h;
  return (u && u->magic == MAGIC_LOCAL_USER && !u->conn->destroyed) ? u : NULL;
}

/* on_{audio,video}_publish_state_changed follow the first track of a kind published and the last one
 * unpublished: NO_PUBLISHED -> PUBLISHING -> PUBLISHED, and PUBLISHED -> NO_PUBLISHED. */
void local_user_publish_state(local_user* u, int kind, int published) {
  int64_t now = engine_now_ms(), *last = &u->publish_state_ms[kind];
  int type = kind == TRACK_VIDEO ? EV_VIDEO_PUBLISH_STATE : EV_AUDIO_PUBLISH_STATE;
  int elapsed = *last ? (int)(now - *last) : 0;
  *last = now ? now : 1;
  if (published) {
    event_post_args(type, u->conn, NULL, elapsed, NULL, PUB_STATE_NO_PUBLISHED, PUB_STATE_PUBLISHING);
    event_post_args(type, u->conn, NULL, 0, NULL, PUB_STATE_PUBLISHING, PUB_STATE_PUBLISHED);
  } else {
    event_post_args(type, u->conn, NULL, elapsed, NULL, PUB_STATE_PUBLISHED, PUB_STATE_NO_PUBLISHED);
  }
}

/* Around publishing one track (each track, not only the first of a kind): ENCODING (error 0) and publish
 * start, after which the caller posts publish success; unpublished: STOPPED. The loopback has no capture
 * device or encoder that could fail, so publication failures and FAILED never happen. */
void local_user_track_published(local_user* u, int kind, void* track, int published) {
  int encoding = kind == TRACK_VIDEO ? LOCAL_VIDEO_STREAM_STATE_ENCODING : LOCAL_AUDIO_STREAM_STATE_ENCODING;
  int stopped = kind == TRACK_VIDEO ? LOCAL_VIDEO_STREAM_STATE_STOPPED : LOCAL_AUDIO_STREAM_STATE_STOPPED;
  event_post_args(EV_LOCAL_TRACK_STATE, u->conn, NULL, 0, track, kind, published ? encoding : stopped);
  if (published) event_post_args(EV_TRACK_PUBLISH_START, u->conn, NULL, 0, track, kind, 0);
}

AGORA_API_C_INT agora_local_user_publish_audio(AGORA_HANDLE agora_local_user, AGORA_HANDLE agora_local_audio_track) {
  local_user* u = local_user_from(agora_local_user);
  audio_track* t = agora_local_audio_track;
  if (!u || !t || t->magic != MAGIC_AUDIO_TRACK) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&g_engine.lock);
  int rc = ERR_OK;
  for (int i = 0; i < u->published_count; i++)
    if (u->published[i] == t) rc = -ERR_ALREADY_IN_USE;
  if (rc == ERR_OK && u->published_count == (int)(sizeof u->published / sizeof u->published[0]))
    rc = -ERR_RESOURCE_LIMITED;
  if (rc == ERR_OK) {
    audio_track_retain(t);
    u->published[u->published_count++] = t;
    if (u->published_count == 1) local_user_publish_state(u, TRACK_AUDIO, 1);
    local_user_track_published(u, TRACK_AUDIO, t, 1);
    event_post(EV_AUDIO_PUBLISH_SUCCESS, u->conn, NULL, 0, t);
  }
  pthread_mutex_unlock(&g_engine.lock);
  return rc;
}

AGORA_API_C_INT agora_local_user_unpublish_audio(AGORA_HANDLE agora_local_user, AGORA_HANDLE agora_local_audio_track) {
  local_user* u = local_user_from(agora_local_user);
  if (!u || !agora_local_audio_track) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&g_engine.lock);
  int rc = -ERR_INVALID_STATE; /* not published */
  for (int i = 0; i < u->published_count; i++) {
    if (u->published[i] == agora_local_audio_track) {
      audio_track* t = u->published[i];
      u->published[i] = u->published[--u->published_count];
      local_user_forget_mix(u, t);
      event_post(EV_AUDIO_UNPUBLISHED, u->conn, NULL, 0, t);
      local_user_track_published(u, TRACK_AUDIO, t, 0);
      if (u->published_count == 0) local_user_publish_state(u, TRACK_AUDIO, 0);
      audio_track_release(t);
      if (u->published_count == 0 && u->conn->channel) /* members stop hearing this user */
        for (connection* m = u->conn->channel->members; m; m = m->next_in_channel)
          if (m != u->conn) remote_track_stopped(m, TRACK_AUDIO, u->conn->user_id, REMOTE_AUDIO_REASON_REMOTE_MUTED);
      rc = ERR_OK;
      break;
    }
  }
  pthread_mutex_unlock(&g_engine.lock);
  return rc;
}

static void clear_subscriptions(local_user* u) {
  for (int i = 0; i < u->subscribed_count; i++) free(u->subscribed[i]);
  free(u->subscribed);
  u->subscribed = NULL;
  u->subscribed_count = 0;
}

int local_user_is_subscribed(const local_user* u, const char* user_id) {
  if (u->subscribe_all) return 1;
  for (int i = 0; i < u->subscribed_count; i++)
    if (strcmp(u->subscribed[i], user_id) == 0) return 1;
  return 0;
}

/* Adds an explicit subscription (not already there); 0 or -ERR_RESOURCE_LIMITED. */
static int add_subscription(local_user* u, const char* user_id) {
  if (local_user_is_subscribed(u, user_id)) return ERR_OK;
  char** grown = realloc(u->subscribed, sizeof(char*) * (size_t)(u->subscribed_count + 1));
  if (grown) u->subscribed = grown;
  char* copy = grown ? strdup(user_id) : NULL;
  if (!copy) return -ERR_RESOURCE_LIMITED;
  u->subscribed[u->subscribed_count++] = copy;
  return ERR_OK;
}

AGORA_API_C_INT agora_local_user_subscribe_audio(AGORA_HANDLE agora_local_user, user_id_t user_id) {
  local_user* u = local_user_from(agora_local_user);
  if (!u || !user_id || !user_id[0] || strlen(user_id) > MAX_ID_LEN) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&g_engine.lock);
  int rc = add_subscription(u, user_id);
  pthread_mutex_unlock(&g_engine.lock);
  return rc;
}

AGORA_API_C_INT agora_local_user_subscribe_all_audio(AGORA_HANDLE agora_local_user) {
  local_user* u = local_user_from(agora_local_user);
  if (!u) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&g_engine.lock);
  clear_subscriptions(u);
  u->subscribe_all = 1;
  pthread_mutex_unlock(&g_engine.lock);
  return ERR_OK;
}

AGORA_API_C_INT agora_local_user_unsubscribe_audio(AGORA_HANDLE agora_local_user, user_id_t user_id) {
  local_user* u = local_user_from(agora_local_user);
  if (!u || !user_id) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&g_engine.lock);
  if (u->subscribe_all) {
    /* From "all" to "all but this one": subscribe explicitly to the others. */
    u->subscribe_all = 0;
    channel* ch = u->conn->channel;
    for (connection* m = ch ? ch->members : NULL; m; m = m->next_in_channel)
      if (m != u->conn && strcmp(m->user_id, user_id) != 0) add_subscription(u, m->user_id);
    for (remote_member* m = u->conn->remotes; m; m = m->next) /* members in other processes too */
      if (strcmp(m->user_id, user_id) != 0) add_subscription(u, m->user_id);
  } else {
    for (int i = 0; i < u->subscribed_count; i++) {
      if (strcmp(u->subscribed[i], user_id) == 0) {
        free(u->subscribed[i]);
        u->subscribed[i] = u->subscribed[--u->subscribed_count];
        break;
      }
    }
  }
  remote_track_stopped(u->conn, TRACK_AUDIO, user_id, REMOTE_AUDIO_REASON_LOCAL_MUTED);
  pthread_mutex_unlock(&g_engine.lock);
  return ERR_OK;
}

AGORA_API_C_INT agora_local_user_unsubscribe_all_audio(AGORA_HANDLE agora_local_user) {
  local_user* u = local_user_from(agora_local_user);
  if (!u) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&g_engine.lock);
  clear_subscriptions(u);
  u->subscribe_all = 0;
  for (remote_track* a = u->remote_tracks; a; a = a->next)
    if (a->magic == MAGIC_REMOTE_AUDIO) remote_track_stopped(u->conn, TRACK_AUDIO, a->user_id, REMOTE_AUDIO_REASON_LOCAL_MUTED);
  pthread_mutex_unlock(&g_engine.lock);
  return ERR_OK;
}

static int set_params(AGORA_HANDLE h, frame_params* (*pick)(local_user*), int channels, int rate) {
  local_user* u = local_user_from(h);
  if (!u) return -ERR_INVALID_ARGUMENT;
  if ((channels != 1 && channels != 2) || !audio_rate_supported(rate)) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&g_engine.lock);
  frame_params* p = pick(u);
  p->set = 1;
  p->channels = channels;
  p->sample_rate = rate;
  pthread_mutex_unlock(&g_engine.lock);
  return ERR_OK;
}

static frame_params* pick_playback(local_user* u) { return &u->playback; }
static frame_params* pick_record(local_user* u) { return &u->record; }
static frame_params* pick_mixed(local_user* u) { return &u->mixed; }
static frame_params* pick_before_mixing(local_user* u) { return &u->before_mixing; }

/* samples_per_call must be one 10 ms frame (or 0 for "the default"); the
 * loopback clock delivers exactly 10 ms per callback. */
static int valid_samples_per_call(int rate, int samples_per_call) {
  return samples_per_call == 0 || samples_per_call == rate / 100;
}

AGORA_API_C_INT agora_local_user_set_playback_audio_frame_parameters(AGORA_HANDLE agora_local_user, int channels, int sample_rate_hz, int mode, int samples_per_call) {
  (void)mode;
  if (!valid_samples_per_call(sample_rate_hz, samples_per_call)) return -ERR_INVALID_ARGUMENT;
  return set_params(agora_local_user, pick_playback, channels, sample_rate_hz);
}

AGORA_API_C_INT agora_local_user_set_recording_audio_frame_parameters(AGORA_HANDLE agora_local_user, int channels, int sample_rate_hz, int mode, int samples_per_call) {
  (void)mode;
  if (!valid_samples_per_call(sample_rate_hz, samples_per_call)) return -ERR_INVALID_ARGUMENT;
  return set_params(agora_local_user, pick_record, channels, sample_rate_hz);
}

AGORA_API_C_INT agora_local_user_set_mixed_audio_frame_parameters(AGORA_HANDLE agora_local_user, int channels, int sample_rate_hz, int samples_per_call) {
  if (!valid_samples_per_call(sample_rate_hz, samples_per_call)) return -ERR_INVALID_ARGUMENT;
  return set_params(agora_local_user, pick_mixed, channels, sample_rate_hz);
}

AGORA_API_C_INT agora_local_user_set_playback_audio_frame_before_mixing_parameters(AGORA_HANDLE agora_local_user, int channels, int sample_rate_hz) {
  return set_params(agora_local_user, pick_before_mixing, channels, sample_rate_hz);
}

AGORA_API_C_INT agora_local_user_register_audio_frame_observer(AGORA_HANDLE agora_local_user, audio_frame_observer* observer) {
  local_user* u = local_user_from(agora_local_user);
  if (!u || !observer) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&g_engine.lock);
  u->audio_observer = *observer;
  u->audio_observer_set = 1;
  pthread_mutex_unlock(&g_engine.lock);
  return ERR_OK;
}

AGORA_API_C_INT agora_local_user_unregister_audio_frame_observer(AGORA_HANDLE agora_local_user) {
  local_user* u = local_user_from(agora_local_user);
  if (!u) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&g_engine.lock);
  u->audio_observer_set = 0;
  engine_wait_callbacks();
  pthread_mutex_unlock(&g_engine.lock);
  return ERR_OK;
}

AGORA_API_C_INT agora_local_user_register_observer(AGORA_HANDLE agora_local_user, local_user_observer* observer) {
  local_user* u = local_user_from(agora_local_user);
  if (!u || !observer) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&g_engine.lock);
  u->observer = *observer;
  u->observer_set = 1;
  pthread_mutex_unlock(&g_engine.lock);
  return ERR_OK;
}

AGORA_API_C_INT agora_local_user_unregister_observer(AGORA_HANDLE agora_local_user) {
  local_user* u = local_user_from(agora_local_user);
  if (!u) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&g_engine.lock);
  u->observer_set = 0;
  engine_wait_callbacks();
  pthread_mutex_unlock(&g_engine.lock);
  return ERR_OK;
}

AGORA_API_C_INT agora_local_user_set_user_role(AGORA_HANDLE agora_local_user, int user_role) {
  local_user* u = local_user_from(agora_local_user);
  if (!u || (user_role != CLIENT_ROLE_BROADCASTER && user_role != CLIENT_ROLE_AUDIENCE)) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&g_engine.lock);
  /* In the channel, a change is reported (on_change_role_success); before joining the role is just set. The
   * loopback limits neither broadcasters nor permissions: on_change_role_failure has no cause here. */
  if (u->role != user_role && u->conn->state == CONNECTION_STATE_CONNECTED)
    event_post_args(EV_CHANGE_ROLE_SUCCESS, u->conn, NULL, 0, NULL, u->role, user_role);
  u->role = user_role;
  pthread_mutex_unlock(&g_engine.lock);
  return ERR_OK;
}

AGORA_API_C_INT agora_local_user_get_user_role(AGORA_HANDLE agora_local_user) {
  local_user* u = local_user_from(agora_local_user);
  if (!u) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&g_engine.lock);
  int role = u->role;
  pthread_mutex_unlock(&g_engine.lock);
  return role;
}

resampler* local_user_resampler(local_user* u, const char* user_id, int kind, int in_rate, int out_rate, int channels) {
  for (int i = 0; i < u->resampler_count; i++) {
    resampler_slot* s = &u->resamplers[i];
    if (s->kind == kind && strcmp(s->user_id, user_id) == 0) {
      if (resampler_matches(s->r, in_rate, out_rate, channels)) return s->r;
      resampler_free(s->r); /* the format changed: start a fresh filter */
      s->r = resampler_new(in_rate, out_rate, channels);
      return s->r;
    }
  }
  resampler_slot* grown = realloc(u->resamplers, sizeof(resampler_slot) * (size_t)(u->resampler_count + 1));
  if (!grown) return NULL;
  u->resamplers = grown;
  resampler_slot* s = &u->resamplers[u->resampler_count];
  s->r = resampler_new(in_rate, out_rate, channels);
  if (!s->r) return NULL;
  strcpy(s->user_id, user_id);
  s->kind = kind;
  u->resampler_count++;
  return s->r;
}

/* The key of the resampler slot that converts track t for mixing into u's first track (not a user id:
 * those have no control characters). */
void local_user_mix_key(const void* t, char* out, size_t cap) { snprintf(out, cap, "\001mix %p", t); }

void local_user_forget_mix(local_user* u, const void* t) {
  char key[32];
  local_user_mix_key(t, key, sizeof key);
  local_user_forget(u, key);
}

void local_user_forget(local_user* u, const char* user_id) {
  for (int i = 0; i < u->resampler_count; i++) {
    if (strcmp(u->resamplers[i].user_id, user_id) == 0) {
      resampler_free(u->resamplers[i].r);
      u->resamplers[i] = u->resamplers[--u->resampler_count];
      i--;
    }
  }
}

void local_user_clear(local_user* u) {
  for (int i = 0; i < u->published_count; i++) audio_track_release(u->published[i]);
  u->published_count = 0;
  clear_subscriptions(u);
  for (int i = 0; i < u->resampler_count; i++) resampler_free(u->resamplers[i].r);
  free(u->resamplers);
  u->resamplers = NULL;
  u->resampler_count = 0;
  volume_clear(u);
  remote_track_clear(u);
  video_user_clear(u);
}

AGORA_API_C_INT agora_local_user_set_audio_scenario(AGORA_HANDLE agora_local_user, int scenario) {
  local_user* u = local_user_from(agora_local_user);
  if (!u || scenario < 0 || scenario > 10) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&g_engine.lock);
  u->audio_scenario = scenario; /* the loopback sends PCM as is in every scenario */
  pthread_mutex_unlock(&g_engine.lock);
  return ERR_OK;
}

/* The loopback carries PCM uncompressed: every AUDIO_PROFILE_TYPE (0..6) is accepted and changes nothing. */
AGORA_API_C_INT agora_local_user_set_audio_encoder_config(AGORA_HANDLE agora_local_user, const audio_encoder_config* config) {
  if (!local_user_from(agora_local_user) || !config) return -ERR_INVALID_ARGUMENT;
  return config->audioProfile >= 0 && config->audioProfile <= 6 ? ERR_OK : -ERR_INVALID_ARGUMENT;
}

AGORA_API_C_INT agora_local_user_adjust_playback_signal_volume(AGORA_HANDLE agora_local_user, int volume) {
  local_user* u = local_user_from(agora_local_user);
  if (!u || volume < 0 || volume > 400) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&g_engine.lock);
  u->playback_volume = volume;
  pthread_mutex_unlock(&g_engine.lock);
  return ERR_OK;
}

AGORA_API_C_INT agora_local_user_get_playback_signal_volume(AGORA_HANDLE agora_local_user, int* volume) {
  local_user* u = local_user_from(agora_local_user);
  if (!u || !volume) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&g_engine.lock);
  *volume = u->playback_volume;
  pthread_mutex_unlock(&g_engine.lock);
  return ERR_OK;
}
