/* connection.c -- RTC connections: create/destroy, connect/disconnect, connection
 * info and the connection observer. Connections are reference counted so that
 * events and clock ticks in flight keep them alive after destroy. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"

connection* connection_from(AGORA_HANDLE h) {
  connection* c = h;
  return (c && c->magic == MAGIC_CONNECTION) ? c : NULL;
}

AGORA_API_C_HDL agora_rtc_conn_create(AGORA_HANDLE agora_svc, const rtc_conn_config* config) {
  service* s = agora_svc;
  if (!s || s->magic != MAGIC_SERVICE) return NULL;
  pthread_mutex_lock(&g_engine.lock);
  connection* c = NULL;
  if (!s->initialized) goto out;
  if (g_engine.conn_count == g_engine.conn_capacity) {
    int cap = g_engine.conn_capacity ? g_engine.conn_capacity * 2 : 16;
    connection** grown = realloc(g_engine.conns, sizeof(connection*) * (size_t)cap);
    if (!grown) goto out;
    g_engine.conns = grown;
    g_engine.conn_capacity = cap;
  }
  c = calloc(1, sizeof *c);
  if (!c) goto out;
  c->magic = MAGIC_CONNECTION;
  c->refs = 1;
  c->state = CONNECTION_STATE_DISCONNECTED;
  c->id = g_engine.next_conn_id++;
  if (config) {
    c->config = *config;
  } else {
    c->config.auto_subscribe_audio = 1;
    c->config.client_role_type = CLIENT_ROLE_BROADCASTER;
  }
  c->service = s;
  s->refs++;
  c->user.magic = MAGIC_LOCAL_USER;
  c->user.conn = c;
  c->user.subscribe_all = c->config.auto_subscribe_audio ? 1 : 0;
  c->user.video_subscribe_all = c->config.auto_subscribe_video ? 1 : 0;
  c->user.role = c->config.client_role_type ? c->config.client_role_type : CLIENT_ROLE_BROADCASTER;
  c->user.playback_volume = 100;
  c->own_parameter.magic = MAGIC_PARAMETER; /* loopback.fault.* set here apply to this connection */
  c->own_parameter.conn = c;
  c->parameter = &c->own_parameter;
  c->sock = -1;
  g_engine.conns[g_engine.conn_count++] = c;
out:
  pthread_mutex_unlock(&g_engine.lock);
  return c;
}

void connection_retain(connection* c) { c->refs++; }

void connection_release(connection* c) {
  if (--c->refs > 0) return;
  service* s = c->service;
  c->magic = MAGIC_DEAD;
  c->user.magic = MAGIC_DEAD;
  local_user_clear(&c->user);
  ds_reset(c);
  free(c->token);
  free(c);
  if (--s->refs == 0 && s->released) {
    s->magic = MAGIC_DEAD;
    free(s);
  }
}

static void forget_token(connection* c) {
  free(c->token);
  c->token = NULL;
  c->token_expires_at = 0;
  c->token_warned = 0;
}

/* Admits (token, channel, user) when an app certificate is configured:
 * ERR_OK, or the CONNECTION_CHANGED_* reason for the refusal. */
static int admit_token(connection* c, const char* token, const char* channel, const char* user_id) {
  int64_t expires_at = 0; /* 0: not verified, no expiry to watch */
  if (g_engine.app_certificate[0]) {
    int reason = token_verify(token, g_engine.app_certificate, c->service->app_id, channel, user_id, &expires_at);
    if (reason != ERR_OK) return reason;
  }
  if (!token) token = ""; /* kept either way: members in other processes check it when we say hello */
  char* copy = strdup(token);
  if (!copy) return CONNECTION_CHANGED_INVALID_TOKEN;
  forget_token(c);
  c->token = copy;
  c->token_expires_at = expires_at;
  return ERR_OK;
}

/* Leaves the channel with FAILED and on_connection_failure(reason). */
void connection_fail(connection* c, int reason) {
  c->joining = 0;
  c->pending_hellos = 0;
  if (c->channel) channel_leave(c, USER_OFFLINE_DROPPED);
  forget_token(c);
  c->state = CONNECTION_STATE_FAILED;
  event_post(EV_CONNECTION_FAILURE, c, NULL, reason, NULL);
}

void connection_joined(connection* c) {
  if (!c->joining) return;
  c->joining = 0;
  c->pending_hellos = 0;
  if (!c->channel) return;
  c->state = CONNECTION_STATE_CONNECTED;
  event_post(EV_CONNECTED, c, NULL, CONNECTION_CHANGED_JOIN_SUCCESS, NULL);
  event_post(EV_NETWORK_TYPE, c, NULL, NETWORK_TYPE_LAN, NULL); /* once per connect: the loopback is a LAN */
  for (connection* m = c->channel->members; m; m = m->next_in_channel)
    if (m != c) event_post(EV_USER_JOINED, c, m->user_id, 0, NULL);
  for (remote_member* m = c->remotes; m; m = m->next) event_post(EV_USER_JOINED, c, m->user_id, 0, NULL);
}

static void conn_disconnect_locked(connection* c) {
  forget_token(c);
  c->joining = 0;
  c->pending_hellos = 0;
  if (c->channel) channel_leave(c, USER_OFFLINE_QUIT);
  if (c->state != CONNECTION_STATE_DISCONNECTED) {
    c->state = CONNECTION_STATE_DISCONNECTED;
    event_post(EV_DISCONNECTED, c, NULL, CONNECTION_CHANGED_LEAVE_CHANNEL, NULL);
  }
}

AGORA_API_C_VOID agora_rtc_conn_destroy(AGORA_HANDLE agora_rtc_conn) {
  connection* c = connection_from(agora_rtc_conn);
  if (!c) return;
  pthread_mutex_lock(&g_engine.lock);
  if (!c->destroyed) {
    c->observer_set = 0;
    c->user.observer_set = 0;
    c->user.audio_observer_set = 0;
    conn_disconnect_locked(c);
    c->destroyed = 1;
    c->own_parameter.magic = MAGIC_DEAD;
    for (int i = 0; i < g_engine.conn_count; i++) {
      if (g_engine.conns[i] == c) {
        g_engine.conns[i] = g_engine.conns[--g_engine.conn_count];
        break;
      }
    }
    engine_wait_callbacks();
    connection_release(c);
  }
  pthread_mutex_unlock(&g_engine.lock);
}

static int valid_channel_name(const char* name) {
  static const char extra[] = " !#$%&()+-:;<=.>?@[]^_{|}~,";
  size_t n = name ? strlen(name) : 0;
  if (n == 0 || n > MAX_CHANNEL_LEN) return 0;
  for (size_t i = 0; i < n; i++)
    if (!isalnum((unsigned char)name[i]) && !strchr(extra, name[i])) return 0;
  return 1;
}

static int valid_numeric_uid(const char* id) {
  size_t n = strlen(id);
  if (n == 0 || n > 10) return 0;
  for (size_t i = 0; i < n; i++)
    if (!isdigit((unsigned char)id[i])) return 0;
  return strtoull(id, NULL, 10) <= 0xffffffffULL;
}

static uint64_t splitmix64(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/* Agora gives every join a session id (32 hex digits) for its call records:
 * unique per process, connection and join. */
static void new_session_id(connection* c) {
  static uint64_t joins;
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  uint64_t state = (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
  state ^= (uint64_t)getpid() << 40 ^ (uint64_t)c->id << 20 ^ ++joins;
  uint64_t a = splitmix64(&state), b = splitmix64(&state);
  snprintf(c->sid, sizeof c->sid, "%016llx%016llx", (unsigned long long)a, (unsigned long long)b);
}

AGORA_API_C_INT agora_rtc_conn_connect(AGORA_HANDLE agora_rtc_conn, const char* token, const char* chan_id,
                                       user_id_t user_id) {
  connection* c = connection_from(agora_rtc_conn);
  if (!c) return -ERR_INVALID_ARGUMENT;
  if (!valid_channel_name(chan_id)) return -ERR_INVALID_CHANNEL_NAME;
  if (user_id && strlen(user_id) > MAX_ID_LEN) return -ERR_INVALID_USER_ID;
  pthread_mutex_lock(&g_engine.lock);
  int rc = ERR_OK;
  char id[MAX_ID_LEN + 1];
  int use_string_uid = c->service->config.use_string_uid;
  if (c->destroyed || !c->service->initialized) {
    rc = -ERR_NOT_INITIALIZED;
  } else if (c->state == CONNECTION_STATE_CONNECTED || c->state == CONNECTION_STATE_CONNECTING) {
    rc = -ERR_INVALID_STATE;
  } else if (!user_id || !user_id[0] || strcmp(user_id, "0") == 0) {
    c->internal_uid = g_engine.next_uid++; /* Agora assigns a uid to "0" */
    snprintf(id, sizeof id, "%u", c->internal_uid);
  } else if (!use_string_uid && !valid_numeric_uid(user_id)) {
    rc = -ERR_INVALID_USER_ID;
  } else {
    strcpy(id, user_id);
    c->internal_uid = valid_numeric_uid(user_id) ? (uid_t)strtoul(user_id, NULL, 10) : g_engine.next_uid++;
  }
  if (rc == ERR_OK) {
    c->state = CONNECTION_STATE_CONNECTING;
    voice_detector_reset(&c->voice);
    new_session_id(c);
    c->joined_ms = engine_now_ms();
    encryption_reset_reports(c);
    strcpy(c->channel_id, chan_id);
    strcpy(c->user_id, id);
    engine_log("conn %u: connect to channel %s as user %s", c->id, chan_id, id);
    event_post(EV_CONNECTING, c, NULL, CONNECTION_CHANGED_CONNECTING, NULL);
    /* As with Agora, a refused token is reported by on_connection_failure, not by the return value. */
    int refused = admit_token(c, token, chan_id, id);
    if (refused) {
      c->state = CONNECTION_STATE_FAILED;
      event_post(EV_CONNECTION_FAILURE, c, NULL, refused, NULL);
      engine_wake();
      pthread_mutex_unlock(&g_engine.lock);
      return ERR_OK;
    }
    c->joining = 1; /* members are announced by connection_joined, after on_connected */
    rc = channel_join(c, chan_id, id);
    if (rc == ERR_OK) rc = transport_join(c);
    if (rc != ERR_OK) {
      c->joining = 0;
      channel_leave(c, USER_OFFLINE_QUIT);
      c->state = CONNECTION_STATE_FAILED;
    } else if (c->pending_hellos == 0) {
      connection_joined(c); /* nobody elsewhere to wait for */
    }
    engine_wake();
  }
  pthread_mutex_unlock(&g_engine.lock);
  return rc;
}

AGORA_API_C_INT agora_rtc_conn_disconnect(AGORA_HANDLE agora_rtc_conn) {
  connection* c = connection_from(agora_rtc_conn);
  if (!c) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&g_engine.lock);
  int rc = c->state == CONNECTION_STATE_DISCONNECTED ? -ERR_NOT_IN_CHANNEL : ERR_OK;
  if (rc == ERR_OK) engine_log("conn %u: disconnect from channel %s", c->id, c->channel_id);
  conn_disconnect_locked(c);
  pthread_mutex_unlock(&g_engine.lock);
  return rc;
}

AGORA_API_C_INT agora_rtc_conn_renew_token(AGORA_HANDLE agora_rtc_conn, const char* token) {
  connection* c = connection_from(agora_rtc_conn);
  if (!c || !token) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&g_engine.lock);
  int rc = ERR_OK;
  if (c->state != CONNECTION_STATE_CONNECTED) {
    rc = -ERR_NOT_IN_CHANNEL;
  } else {
    int refused = admit_token(c, token, c->channel_id, c->user_id);
    if (refused) rc = refused == CONNECTION_CHANGED_TOKEN_EXPIRED ? -ERR_TOKEN_EXPIRED : -ERR_INVALID_TOKEN;
  }
  pthread_mutex_unlock(&g_engine.lock);
  return rc;
}

AGORA_API_C rtc_conn_info* AGORA_CALL_C agora_rtc_conn_get_conn_info(AGORA_HANDLE agora_rtc_conn) {
  connection* c = connection_from(agora_rtc_conn);
  if (!c) return NULL;
  rtc_conn_info* info = calloc(1, sizeof *info);
  if (!info) return NULL;
  pthread_mutex_lock(&g_engine.lock);
  info->id = c->id;
  info->channel_id = strdup(c->channel_id);
  info->state = c->state;
  info->local_user_id = strdup(c->user_id);
  info->internal_uid = c->internal_uid;
  pthread_mutex_unlock(&g_engine.lock);
  return info;
}

AGORA_API_C_VOID agora_rtc_conn_destroy_conn_info(AGORA_HANDLE agora_rtc_conn, rtc_conn_info* info) {
  (void)agora_rtc_conn;
  if (!info) return;
  free((void*)info->channel_id);
  free((void*)info->local_user_id);
  free(info);
}

AGORA_API_C_HDL agora_rtc_conn_get_local_user(AGORA_HANDLE agora_rtc_conn) {
  connection* c = connection_from(agora_rtc_conn);
  return c ? &c->user : NULL;
}

AGORA_API_C_HDL agora_rtc_conn_get_agora_parameter(AGORA_HANDLE agora_rtc_conn) {
  connection* c = connection_from(agora_rtc_conn);
  return c ? c->parameter : NULL;
}

AGORA_API_C_INT agora_rtc_conn_register_observer(AGORA_HANDLE agora_rtc_conn, rtc_conn_observer* observer) {
  connection* c = connection_from(agora_rtc_conn);
  if (!c || !observer) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&g_engine.lock);
  c->observer = *observer; /* copied: the caller's struct is temporary */
  c->observer_set = 1;
  pthread_mutex_unlock(&g_engine.lock);
  return ERR_OK;
}

AGORA_API_C_INT agora_rtc_conn_unregister_observer(AGORA_HANDLE agora_rtc_conn) {
  connection* c = connection_from(agora_rtc_conn);
  if (!c) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&g_engine.lock);
  c->observer_set = 0;
  engine_wait_callbacks();
  pthread_mutex_unlock(&g_engine.lock);
  return ERR_OK;
}

AGORA_API_C const char* AGORA_CALL_C agora_rtc_conn_get_sid(AGORA_HANDLE agora_rtc_conn) {
  connection* c = connection_from(agora_rtc_conn);
  return c ? c->sid : NULL; /* "" until the first connect */
}
