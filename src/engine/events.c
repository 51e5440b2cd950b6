/* events.c -- the engine's event queue: connection and local-user events are
 * posted by API calls (under g_engine.lock) and delivered in order by the engine
 * thread, so observers always run on an engine thread, never inside the API
 * call that caused them. */
#include <stdlib.h>
#include <string.h>

#include "engine.h"

/* Queues an event; takes ownership of payload (freed if the event cannot be queued). */
static void post(int type, connection* c, const char* user_id, int reason, void* track, void* payload, int arg1,
                 int arg2) {
  event* e = g_engine.running ? calloc(1, sizeof *e) : NULL; /* no thread to deliver it: nobody can observe it */
  if (!e) {
    free(payload);
    return;
  }
  e->type = type;
  e->conn = c;
  e->reason = reason;
  e->track = track;
  e->payload = payload;
  e->arg1 = arg1;
  e->arg2 = arg2;
  e->state = c->state;
  if (user_id) strncpy(e->user_id, user_id, MAX_ID_LEN);
  connection_retain(c);
  if (g_engine.events_tail)
    g_engine.events_tail->next = e;
  else
    g_engine.events_head = e;
  g_engine.events_tail = e;
  pthread_cond_signal(&g_engine.wake);
}

void event_post(int type, connection* c, const char* user_id, int reason, void* track) {
  post(type, c, user_id, reason, track, NULL, 0, 0);
}

void event_post_payload(int type, connection* c, const char* user_id, int reason, void* payload) {
  post(type, c, user_id, reason, NULL, payload, 0, 0);
}

void event_post_args(int type, connection* c, const char* user_id, int reason, void* track, int arg1, int arg2) {
  post(type, c, user_id, reason, track, NULL, arg1, arg2);
}

void event_post_track_stats(connection* c, int which, void* track, void* stats) {
  post(EV_TRACK_STATS, c, NULL, 0, track, stats, which, 0);
}

/* The remote track an event is about is a video track (handles of live local users stay valid). */
static int is_video(const event* e) { return e->track && ((remote_track*)e->track)->magic == MAGIC_REMOTE_VIDEO; }

static void deliver(event* e) {
  connection* c = e->conn;
  if (c->destroyed) return;
  /* Copies: the callback may disconnect or destroy the connection. */
  char channel_id[MAX_CHANNEL_LEN + 1], local_user_id[MAX_ID_LEN + 1];
  strcpy(channel_id, c->channel_id);
  strcpy(local_user_id, c->user_id);
  rtc_conn_info info;
  memset(&info, 0, sizeof info);
  info.id = c->id;
  info.channel_id = channel_id;
  info.state = e->state;
  info.local_user_id = local_user_id;
  info.internal_uid = c->internal_uid;
  rtc_conn_observer* o = c->observer_set ? &c->observer : NULL;
  local_user_observer* u = c->user.observer_set ? &c->user.observer : NULL;
  switch (e->type) {
    case EV_CONNECTING:
      if (o) ENGINE_CALLBACK(o->on_connecting, c, &info, e->reason);
      break;
    case EV_CONNECTED:
      if (o) ENGINE_CALLBACK(o->on_connected, c, &info, e->reason);
      break;
    case EV_DISCONNECTED:
      if (o) ENGINE_CALLBACK(o->on_disconnected, c, &info, e->reason);
      break;
    case EV_RECONNECTING:
      if (o) ENGINE_CALLBACK(o->on_reconnecting, c, &info, e->reason);
      break;
    case EV_RECONNECTED:
      if (o) ENGINE_CALLBACK(o->on_reconnected, c, &info, e->reason);
      break;
    case EV_CONNECTION_LOST:
      if (o) ENGINE_CALLBACK(o->on_connection_lost, c, &info);
      break;
    case EV_TRANSPORT_STATS:
      if (o) ENGINE_CALLBACK(o->on_transport_stats, c, (const rtc_stats*)e->payload);
      break;
    case EV_CONNECTION_FAILURE:
      if (o) ENGINE_CALLBACK(o->on_connection_failure, c, &info, e->reason);
      break;
    case EV_USER_JOINED:
      if (o) ENGINE_CALLBACK(o->on_user_joined, c, e->user_id);
      break;
    case EV_USER_LEFT:
      if (o) ENGINE_CALLBACK(o->on_user_left, c, e->user_id, e->reason);
      break;
    case EV_AUDIO_PUBLISH_SUCCESS:
      if (u) ENGINE_CALLBACK(u->on_audio_track_publish_success, &c->user, e->track);
      break;
    case EV_TOKEN_WILL_EXPIRE:
      if (o && c->token) {
        char* token = strdup(c->token); /* the callback may renew (and free) it */
        if (token) ENGINE_CALLBACK(o->on_token_privilege_will_expire, c, token);
        free(token);
      }
      break;
    case EV_TOKEN_DID_EXPIRE:
      if (o) ENGINE_CALLBACK(o->on_token_privilege_did_expire, c);
      break;
    case EV_VOLUME_INDICATION:
      if (u) {
        const volume_report* r = e->payload;
        ENGINE_CALLBACK(u->on_audio_volume_indication, &c->user, r->speakers, r->count, r->total_volume);
      }
      break;
    case EV_STREAM_MESSAGE:
      if (u) {
        const stream_payload* m = e->payload;
        ENGINE_CALLBACK(u->on_stream_message, &c->user, e->user_id, e->reason, (const char*)m->data, m->length);
      }
      break;
    case EV_STREAM_ERROR:
      if (o) ENGINE_CALLBACK(o->on_stream_message_error, c, e->user_id, e->reason, ERR_STREAM_MESSAGE_TIMEOUT,
                             e->payload ? *(const int*)e->payload : 0, 0);
      break;
    case EV_REMOTE_TRACK_SUBSCRIBED:
      if (u && is_video(e)) {
        video_track_info info_v;
        remote_video_info(c, e->user_id, channel_id, &info_v);
        ENGINE_CALLBACK(u->on_user_video_track_subscribed, &c->user, e->user_id, &info_v, e->track);
      } else if (u) {
        ENGINE_CALLBACK(u->on_user_audio_track_subscribed, &c->user, e->user_id, e->track);
      }
      break;
    case EV_REMOTE_TRACK_STATE:
      if (u && is_video(e))
        ENGINE_CALLBACK(u->on_user_video_track_state_changed, &c->user, e->user_id, e->track, e->arg1, e->arg2,
                        e->reason);
      else if (u)
        ENGINE_CALLBACK(u->on_user_audio_track_state_changed, &c->user, e->user_id, e->track, e->arg1, e->arg2,
                        e->reason);
      break;
    case EV_FIRST_REMOTE_FRAME:
      if (u && is_video(e))
        ENGINE_CALLBACK(u->on_first_remote_video_frame, &c->user, e->user_id, e->arg1, e->arg2, e->reason);
      else if (u)
        ENGINE_CALLBACK(u->on_first_remote_audio_frame, &c->user, e->user_id, e->reason);
      break;
    case EV_FIRST_REMOTE_DECODED:
      if (u && is_video(e))
        ENGINE_CALLBACK(u->on_first_remote_video_decoded, &c->user, e->user_id, e->arg1, e->arg2, e->reason);
      else if (u)
        ENGINE_CALLBACK(u->on_first_remote_audio_decoded, &c->user, e->user_id, e->reason);
      break;
    case EV_VIDEO_PUBLISH_SUCCESS:
      if (u) ENGINE_CALLBACK(u->on_video_track_publish_success, &c->user, e->track);
      break;
    case EV_VIDEO_UNPUBLISHED:
      if (u) ENGINE_CALLBACK(u->on_video_track_unpublished, &c->user, e->track);
      break;
    case EV_INTRA_REQUEST:
      if (u) ENGINE_CALLBACK(u->on_intra_request_received, &c->user);
      break;
    case EV_ACTIVE_SPEAKER:
      if (u) ENGINE_CALLBACK(u->on_active_speaker, &c->user, e->user_id);
      break;
    case EV_MEDIA_MESSAGE: {
      const media_message* m = e->payload;
      if (m->kind == MEDIA_AUDIO_META_DATA && u)
        ENGINE_CALLBACK(u->on_audio_meta_data_received, &c->user, e->user_id, (const char*)m->data, m->length);
      else if (m->kind == MEDIA_ENCODED_AUDIO && c->user.encoded_audio_observer_set)
        ENGINE_CALLBACK(c->user.encoded_audio_observer.on_encoded_audio_frame, &c->user, e->user_id, m->data,
                        m->length, &m->info);
      break;
    }
    case EV_ENCRYPTION_ERROR:
      if (o) ENGINE_CALLBACK(o->on_encryption_error, c, e->reason);
      break;
    case EV_AUDIO_UNPUBLISHED:
      if (u) ENGINE_CALLBACK(u->on_audio_track_unpublished, &c->user, e->track);
      break;
    case EV_TRACK_STATS:
      if (!u) break;
      switch (e->arg1) {
        case TRACK_STATS_LOCAL_AUDIO:
          ENGINE_CALLBACK(u->on_local_audio_track_statistics, &c->user, e->payload);
          break;
        case TRACK_STATS_REMOTE_AUDIO:
          ENGINE_CALLBACK(u->on_remote_audio_track_statistics, &c->user, e->track, e->payload);
          break;
        case TRACK_STATS_LOCAL_VIDEO:
          ENGINE_CALLBACK(u->on_local_video_track_statistics, &c->user, e->track, e->payload);
          break;
        case TRACK_STATS_REMOTE_VIDEO:
          ENGINE_CALLBACK(u->on_remote_video_track_statistics, &c->user, e->track, e->payload);
          break;
      }
      break;
    case EV_AUDIO_PUBLISH_STATE:
      if (u) ENGINE_CALLBACK(u->on_audio_publish_state_changed, &c->user, channel_id, e->arg1, e->arg2, e->reason);
      break;
    case EV_VIDEO_PUBLISH_STATE:
      if (u) ENGINE_CALLBACK(u->on_video_publish_state_changed, &c->user, channel_id, e->arg1, e->arg2, e->reason);
      break;
    case EV_AUDIO_SUBSCRIBE_STATE:
      if (u)
        ENGINE_CALLBACK(u->on_audio_subscribe_state_changed, &c->user, channel_id, e->user_id, e->arg1, e->arg2,
                        e->reason);
      break;
    case EV_VIDEO_SUBSCRIBE_STATE:
      if (u)
        ENGINE_CALLBACK(u->on_video_subscribe_state_changed, &c->user, channel_id, e->user_id, e->arg1, e->arg2,
                        e->reason);
      break;
    case EV_LOCAL_TRACK_STATE:
      if (u && e->arg1 == TRACK_VIDEO)
        ENGINE_CALLBACK(u->on_local_video_track_state_changed, &c->user, e->track, e->arg2, e->reason);
      else if (u)
        ENGINE_CALLBACK(u->on_local_audio_track_state_changed, &c->user, e->track, e->arg2, e->reason);
      break;
    case EV_TRACK_PUBLISH_START:
      if (u && e->arg1 == TRACK_VIDEO)
        ENGINE_CALLBACK(u->on_video_track_publish_start, &c->user, e->track);
      else if (u)
        ENGINE_CALLBACK(u->on_audio_track_publish_start, &c->user, e->track);
      break;
    case EV_CHANGE_ROLE_SUCCESS: {
      client_role_options options; /* Agora's default audience latency */
      options.audience_latency_level = AUDIENCE_LATENCY_LEVEL_ULTRA_LOW_LATENCY;
      if (o) ENGINE_CALLBACK(o->on_change_role_success, c, e->arg1, e->arg2, &options);
      break;
    }
    case EV_NETWORK_TYPE:
      if (o) ENGINE_CALLBACK(o->on_network_type_changed, c, e->reason);
      break;
    case EV_USER_NETWORK_QUALITY:
      if (o) ENGINE_CALLBACK(o->on_user_network_quality, c, e->user_id, e->arg1, e->arg2);
      break;
    case EV_USER_INFO:
      if (u) ENGINE_CALLBACK(u->on_user_info_updated, &c->user, e->user_id, e->arg1, e->arg2);
      break;
    case EV_USER_STATE:
      if (u) ENGINE_CALLBACK(u->on_user_state_changed, &c->user, e->user_id, (uint32_t)e->arg1);
      break;
    case EV_VIDEO_SIZE:
      if (u) ENGINE_CALLBACK(u->on_video_size_changed, &c->user, e->user_id, e->arg1, e->arg2, e->reason);
      break;
    case EV_FIRST_VIDEO_RENDERED:
      if (u)
        ENGINE_CALLBACK(u->on_first_remote_video_frame_rendered, &c->user, e->user_id, e->arg1, e->arg2, e->reason);
      break;
    case EV_REMOTE_VIDEO_STREAM_INFO:
      if (u) {
        remote_video_stream_info info;
        memset(&info, 0, sizeof info);
        info.uid = (uid_t)strtoul(e->user_id, NULL, 10);
        const video_subscription_options* sub = video_subscription_of(&c->user, e->user_id);
        info.stream_type = (uint8_t)(sub ? sub->type : VIDEO_STREAM_HIGH);
        ENGINE_CALLBACK(u->on_remote_video_stream_info_updated, &c->user, &info);
      }
      break;
  }
}

/* The log line of a state event; media, data and periodic events are not logged (they are traffic). */
static void log_event(const event* e) {
  static const char* const names[] = {
      [EV_CONNECTING] = "connecting", [EV_CONNECTED] = "connected", [EV_DISCONNECTED] = "disconnected",
      [EV_CONNECTION_FAILURE] = "connection failure", [EV_USER_JOINED] = "user joined", [EV_USER_LEFT] = "user left",
      [EV_AUDIO_PUBLISH_SUCCESS] = "audio published", [EV_AUDIO_UNPUBLISHED] = "audio unpublished",
      [EV_TOKEN_WILL_EXPIRE] = "token will expire", [EV_TOKEN_DID_EXPIRE] = "token expired",
      [EV_STREAM_ERROR] = "stream message error", [EV_REMOTE_TRACK_SUBSCRIBED] = "subscribed",
      [EV_REMOTE_TRACK_STATE] = "remote track state", [EV_FIRST_REMOTE_FRAME] = "first remote frame",
      [EV_VIDEO_PUBLISH_SUCCESS] = "video published", [EV_VIDEO_UNPUBLISHED] = "video unpublished",
      [EV_ENCRYPTION_ERROR] = "encryption error", [EV_RECONNECTING] = "reconnecting",
      [EV_RECONNECTED] = "reconnected", [EV_CONNECTION_LOST] = "connection lost",
      [EV_AUDIO_PUBLISH_STATE] = "audio publish state", [EV_VIDEO_PUBLISH_STATE] = "video publish state",
      [EV_AUDIO_SUBSCRIBE_STATE] = "audio subscribe state", [EV_VIDEO_SUBSCRIBE_STATE] = "video subscribe state",
      [EV_LOCAL_TRACK_STATE] = "local track state", [EV_TRACK_PUBLISH_START] = "publish start",
      [EV_CHANGE_ROLE_SUCCESS] = "role changed", [EV_NETWORK_TYPE] = "network type",
      [EV_USER_INFO] = "user info", [EV_USER_STATE] = "user state", [EV_VIDEO_SIZE] = "video size",
      [EV_FIRST_VIDEO_RENDERED] = "first video frame rendered",
  };
  const char* name = e->type >= 0 && e->type < (int)(sizeof names / sizeof *names) ? names[e->type] : NULL;
  if (name)
    engine_log("conn %u (%s as %s): %s%s%s%s, reason %d, args %d %d", e->conn->id, e->conn->channel_id,
               e->conn->user_id, name, e->user_id[0] ? " (user " : "", e->user_id, e->user_id[0] ? ")" : "",
               e->reason, e->arg1, e->arg2);
}

void events_deliver(void) {
  while (g_engine.events_head) {
    event* e = g_engine.events_head;
    g_engine.events_head = e->next;
    if (!g_engine.events_head) g_engine.events_tail = NULL;
    log_event(e);
    deliver(e);
    connection_release(e->conn);
    free(e->payload);
    free(e);
  }
}

void events_discard(void) {
  while (g_engine.events_head) {
    event* e = g_engine.events_head;
    g_engine.events_head = e->next;
    connection_release(e->conn);
    free(e->payload);
    free(e);
  }
  g_engine.events_tail = NULL;
}
