/* video_delivery.c -- publishing and subscribing video, frame observers, and
 * the engine thread's delivery of queued frames.
 *
 * A raw frame goes to every video_frame_observer2 of each member subscribed to
 * the sender (low stream when asked for and the sender has simulcast on); an
 * encoded frame goes byte-exact to every encoded frame observer of members
 * whose subscription asks for its stream type (low falls back to high unless
 * the sender's track has simulcast enabled). The loopback does not encode or decode:
 * raw frames reach raw observers, encoded frames encoded observers. Delivery
 * is planned under g_engine.lock and run with it dropped per callback, each
 * entry re-checked first (a callback may unregister, unsubscribe or destroy). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

/* ---- observers ---- */

static video_observer* observer_new(uint32_t magic) {
  video_observer* o = calloc(1, sizeof *o);
  if (!o) return NULL;
  o->magic = magic;
  o->refs = 1;
  pthread_mutex_lock(&g_engine.lock);
  g_engine.live_video_observers++;
  pthread_mutex_unlock(&g_engine.lock);
  return o;
}

void video_observer_release(video_observer* o) {
  if (--o->refs > 0) return;
  o->magic = MAGIC_DEAD;
  g_engine.live_video_observers--;
  free(o);
}

static video_observer* observer_from(AGORA_HANDLE h, uint32_t magic) {
  video_observer* o = h;
  return (o && o->magic == magic && !o->destroyed) ? o : NULL;
}

static void observer_destroy(AGORA_HANDLE h, uint32_t magic) {
  pthread_mutex_lock(&g_engine.lock);
  video_observer* o = observer_from(h, magic);
  if (o) {
    o->destroyed = 1;
    /* Still registered somewhere: those registrations go with it. */
    for (int i = 0; i < g_engine.conn_count; i++) {
      local_user* u = &g_engine.conns[i]->user;
      for (int k = 0; k < u->video_observer_count; k++) {
        if (u->video_observers[k] == o) {
          u->video_observers[k] = u->video_observers[--u->video_observer_count];
          video_observer_release(o);
          k--;
        }
      }
    }
    engine_wait_callbacks(); /* none of its callbacks runs after destroy returns */
    video_observer_release(o);
  }
  pthread_mutex_unlock(&g_engine.lock);
}

AGORA_API_C_HDL agora_video_frame_observer2_create(video_frame_observer2* observer) {
  if (!observer) return NULL;
  video_observer* o = observer_new(MAGIC_VIDEO_OBSERVER);
  if (o) o->raw = *observer;
  return o;
}

AGORA_API_C_VOID agora_video_frame_observer2_destroy(AGORA_HANDLE agora_video_frame_observer2) {
  observer_destroy(agora_video_frame_observer2, MAGIC_VIDEO_OBSERVER);
}

/* Frames reach observers with their rotation in the frame, not applied to the pixels. */
AGORA_API_C_INT agora_video_frame_observer_get_rotation_applied(AGORA_HANDLE agora_video_frame_observer) {
  pthread_mutex_lock(&g_engine.lock);
  int ok = observer_from(agora_video_frame_observer, MAGIC_VIDEO_OBSERVER) != NULL;
  pthread_mutex_unlock(&g_engine.lock);
  return ok ? 0 : -ERR_INVALID_ARGUMENT;
}

AGORA_API_C_HDL agora_video_encoded_frame_observer_create(video_encoded_frame_observer* observer) {
  if (!observer) return NULL;
  video_observer* o = observer_new(MAGIC_ENCODED_OBSERVER);
  if (o) o->encoded = *observer;
  return o;
}

AGORA_API_C_VOID agora_video_encoded_frame_observer_destroy(AGORA_HANDLE agora_video_encoded_frame_observer) {
  observer_destroy(agora_video_encoded_frame_observer, MAGIC_ENCODED_OBSERVER);
}

static int observer_register(AGORA_HANDLE user, AGORA_HANDLE observer, uint32_t magic) {
  local_user* u = local_user_from(user);
  if (!u) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&g_engine.lock);
  video_observer* o = observer_from(observer, magic);
  int rc = o ? ERR_OK : -ERR_INVALID_ARGUMENT;
  for (int k = 0; o && k < u->video_observer_count; k++)
    if (u->video_observers[k] == o) rc = -ERR_ALREADY_IN_USE;
  if (rc == ERR_OK) {
    video_observer** grown = realloc(u->video_observers, sizeof(video_observer*) * (size_t)(u->video_observer_count + 1));
    if (!grown) {
      rc = -ERR_RESOURCE_LIMITED;
    } else {
      u->video_observers = grown;
      u->video_observers[u->video_observer_count++] = o;
      o->refs++;
    }
  }
  pthread_mutex_unlock(&g_engine.lock);
  return rc;
}

static int observer_unregister(AGORA_HANDLE user, AGORA_HANDLE observer) {
  local_user* u = local_user_from(user);
  if (!u || !observer) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&g_engine.lock);
  int rc = -ERR_INVALID_STATE; /* not registered */
  for (int k = 0; k < u->video_observer_count; k++) {
    if (u->video_observers[k] == observer) {
      video_observer* o = u->video_observers[k];
      u->video_observers[k] = u->video_observers[--u->video_observer_count];
      video_observer_release(o);
      rc = ERR_OK;
      break;
    }
  }
  engine_wait_callbacks();
  pthread_mutex_unlock(&g_engine.lock);
  return rc;
}

AGORA_API_C_INT agora_local_user_register_video_frame_observer(AGORA_HANDLE agora_local_user,
                                                               AGORA_HANDLE agora_video_frame_observer2) {
  return observer_register(agora_local_user, agora_video_frame_observer2, MAGIC_VIDEO_OBSERVER);
}

AGORA_API_C_INT agora_local_user_unregister_video_frame_observer(AGORA_HANDLE agora_local_user,
                                                                 AGORA_HANDLE agora_video_frame_observer2) {
  return observer_unregister(agora_local_user, agora_video_frame_observer2);
}

AGORA_API_C_INT agora_local_user_register_video_encoded_frame_observer(AGORA_HANDLE agora_local_user,
                                                                       AGORA_HANDLE agora_video_encoded_frame_observer) {
  return observer_register(agora_local_user, agora_video_encoded_frame_observer, MAGIC_ENCODED_OBSERVER);
}

AGORA_API_C_INT agora_local_user_unregister_video_encoded_frame_observer(AGORA_HANDLE agora_local_user,
                                                                         AGORA_HANDLE agora_video_encoded_frame_observer) {
  return observer_unregister(agora_local_user, agora_video_encoded_frame_observer);
}

/* ---- publishing ---- */

void video_unpublished(connection* c) {
  if (!c->channel) return;
  transport_send_video_stop(c);
  for (connection* m = c->channel->members; m; m = m->next_in_channel)
    if (m != c) remote_track_stopped(m, TRACK_VIDEO, c->user_id, REMOTE_VIDEO_STATE_REASON_REMOTE_MUTED);
}

AGORA_API_C_INT agora_local_user_publish_video(AGORA_HANDLE agora_local_user, AGORA_HANDLE agora_local_video_track) {
  local_user* u = local_user_from(agora_local_user);
  video_track* t = agora_local_video_track;
  if (!u || !t || t->magic != MAGIC_VIDEO_TRACK) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&g_engine.lock);
  int rc = ERR_OK;
  for (int i = 0; i < u->published_video_count; i++)
    if (u->published_video[i] == t) rc = -ERR_ALREADY_IN_USE;
  if (rc == ERR_OK && u->published_video_count == (int)(sizeof u->published_video / sizeof u->published_video[0]))
    rc = -ERR_RESOURCE_LIMITED;
  if (rc == ERR_OK) {
    t->refs++;
    pthread_mutex_lock(&t->lock);
    t->published++;
    pthread_mutex_unlock(&t->lock);
    u->published_video[u->published_video_count++] = t;
    if (u->published_video_count == 1) local_user_publish_state(u, TRACK_VIDEO, 1);
    local_user_track_published(u, TRACK_VIDEO, t, 1);
    event_post(EV_VIDEO_PUBLISH_SUCCESS, u->conn, NULL, 0, t);
  }
  pthread_mutex_unlock(&g_engine.lock);
  return rc;
}

AGORA_API_C_INT agora_local_user_unpublish_video(AGORA_HANDLE agora_local_user, AGORA_HANDLE agora_local_video_track) {
  local_user* u = local_user_from(agora_local_user);
  if (!u || !agora_local_video_track) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&g_engine.lock);
  int rc = -ERR_INVALID_STATE; /* not published */
  for (int i = 0; i < u->published_video_count; i++) {
    if (u->published_video[i] == agora_local_video_track) {
      video_track* t = u->published_video[i];
      u->published_video[i] = u->published_video[--u->published_video_count];
      pthread_mutex_lock(&t->lock);
      int nowhere = --t->published == 0;
      pthread_mutex_unlock(&t->lock);
      if (nowhere) video_track_discard_queued(t); /* else they would play at its next publish */
      event_post(EV_VIDEO_UNPUBLISHED, u->conn, NULL, 0, t);
      local_user_track_published(u, TRACK_VIDEO, t, 0);
      if (u->published_video_count == 0) local_user_publish_state(u, TRACK_VIDEO, 0);
      video_track_release(t);
      if (u->published_video_count == 0) video_unpublished(u->conn);
      rc = ERR_OK;
      break;
    }
  }
  pthread_mutex_unlock(&g_engine.lock);
  return rc;
}

/* A subscriber asks a publisher for a key frame: the publisher's local user
 * hears on_intra_request_received (its encoder, or the app feeding encoded
 * images, should send one). Refused when user_id publishes no video here. */
AGORA_API_C_INT agora_local_user_send_intra_request(AGORA_HANDLE agora_local_user, user_id_t user_id) {
  local_user* u = local_user_from(agora_local_user);
  if (!u || !user_id || !user_id[0] || strlen(user_id) > MAX_ID_LEN) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&g_engine.lock);
  int rc = -ERR_INVALID_STATE; /* not connected, or no such publisher */
  channel* ch = u->conn->channel;
  for (connection* m = ch ? ch->members : NULL; m; m = m->next_in_channel) {
    if (m != u->conn && strcmp(m->user_id, user_id) == 0 && m->user.published_video_count) {
      event_post(EV_INTRA_REQUEST, m, u->conn->user_id, 0, NULL);
      rc = ERR_OK;
    }
  }
  if (rc != ERR_OK && ch && transport_send_intra_request(u->conn, user_id) == 0) rc = ERR_OK;
  pthread_mutex_unlock(&g_engine.lock);
  return rc;
}

/* ---- subscriptions ---- */

static video_subscription_options options_or_default(const video_subscription_options* o) {
  video_subscription_options v = {VIDEO_STREAM_HIGH, 0};
  if (o) {
    v.type = o->type == VIDEO_STREAM_LOW ? VIDEO_STREAM_LOW : VIDEO_STREAM_HIGH;
    v.encoded_frame_only = o->encoded_frame_only ? 1 : 0;
  }
  return v;
}

static int valid_options(const video_subscription_options* o) {
  return !o || o->type == VIDEO_STREAM_HIGH || o->type == VIDEO_STREAM_LOW;
}

const video_subscription_options* video_subscription_of(const local_user* u, const char* user_id) {
  for (int i = 0; i < u->video_subscribed_count; i++)
    if (strcmp(u->video_subscribed[i].user_id, user_id) == 0) return &u->video_subscribed[i].options;
  return u->video_subscribe_all ? &u->video_all_options : NULL;
}

static int add_subscription(local_user* u, const char* user_id, video_subscription_options options) {
  for (int i = 0; i < u->video_subscribed_count; i++) {
    if (strcmp(u->video_subscribed[i].user_id, user_id) == 0) {
      u->video_subscribed[i].options = options;
      return ERR_OK;
    }
  }
  video_subscription* grown =
      realloc(u->video_subscribed, sizeof(video_subscription) * (size_t)(u->video_subscribed_count + 1));
  if (!grown) return -ERR_RESOURCE_LIMITED;
  u->video_subscribed = grown;
  char* copy = strdup(user_id);
  if (!copy) return -ERR_RESOURCE_LIMITED;
  u->video_subscribed[u->video_subscribed_count].user_id = copy;
  u->video_subscribed[u->video_subscribed_count].options = options;
  u->video_subscribed_count++;
  return ERR_OK;
}

static void clear_subscriptions(local_user* u) {
  for (int i = 0; i < u->video_subscribed_count; i++) free(u->video_subscribed[i].user_id);
  free(u->video_subscribed);
  u->video_subscribed = NULL;
  u->video_subscribed_count = 0;
}

AGORA_API_C_INT agora_local_user_subscribe_video(AGORA_HANDLE agora_local_user, user_id_t user_id,
                                                 const video_subscription_options* options) {
  local_user* u = local_user_from(agora_local_user);
  if (!u || !user_id || !user_id[0] || strlen(user_id) > MAX_ID_LEN || !valid_options(options))
    return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&g_engine.lock);
  int rc = add_subscription(u, user_id, options_or_default(options));
  pthread_mutex_unlock(&g_engine.lock);
  return rc;
}

AGORA_API_C_INT agora_local_user_subscribe_all_video(AGORA_HANDLE agora_local_user,
                                                     const video_subscription_options* options) {
  local_user* u = local_user_from(agora_local_user);
  if (!u || !valid_options(options)) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&g_engine.lock);
  clear_subscriptions(u);
  u->video_subscribe_all = 1;
  u->video_all_options = options_or_default(options);
  pthread_mutex_unlock(&g_engine.lock);
  return ERR_OK;
}

AGORA_API_C_INT agora_local_user_unsubscribe_video(AGORA_HANDLE agora_local_user, user_id_t user_id) {
  local_user* u = local_user_from(agora_local_user);
  if (!u || !user_id) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&g_engine.lock);
  if (u->video_subscribe_all) {
    /* From "all" to "all but this one": the other members explicitly. */
    u->video_subscribe_all = 0;
    channel* ch = u->conn->channel;
    for (connection* m = ch ? ch->members : NULL; m; m = m->next_in_channel)
      if (m != u->conn && strcmp(m->user_id, user_id) != 0 && !video_subscription_of(u, m->user_id))
        add_subscription(u, m->user_id, u->video_all_options);
    for (remote_member* m = u->conn->remotes; m; m = m->next)
      if (strcmp(m->user_id, user_id) != 0 && !video_subscription_of(u, m->user_id))
        add_subscription(u, m->user_id, u->video_all_options);
  }
  for (int i = 0; i < u->video_subscribed_count; i++) {
    if (strcmp(u->video_subscribed[i].user_id, user_id) == 0) {
      free(u->video_subscribed[i].user_id);
      u->video_subscribed[i] = u->video_subscribed[--u->video_subscribed_count];
      break;
    }
  }
  remote_track_stopped(u->conn, TRACK_VIDEO, user_id, REMOTE_VIDEO_STATE_REASON_LOCAL_MUTED);
  pthread_mutex_unlock(&g_engine.lock);
  return ERR_OK;
}

AGORA_API_C_INT agora_local_user_unsubscribe_all_video(AGORA_HANDLE agora_local_user) {
  local_user* u = local_user_from(agora_local_user);
  if (!u) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&g_engine.lock);
  clear_subscriptions(u);
  u->video_subscribe_all = 0;
  for (remote_track* a = u->remote_tracks; a; a = a->next)
    if (a->magic == MAGIC_REMOTE_VIDEO)
      remote_track_stopped(u->conn, TRACK_VIDEO, a->user_id, REMOTE_VIDEO_STATE_REASON_LOCAL_MUTED);
  pthread_mutex_unlock(&g_engine.lock);
  return ERR_OK;
}

void video_user_clear(local_user* u) {
  for (int i = 0; i < u->published_video_count; i++) {
    video_track* t = u->published_video[i];
    pthread_mutex_lock(&t->lock);
    t->published--;
    pthread_mutex_unlock(&t->lock);
    video_track_release(t);
  }
  u->published_video_count = 0;
  clear_subscriptions(u);
  for (int k = 0; k < u->video_observer_count; k++) video_observer_release(u->video_observers[k]);
  free(u->video_observers);
  u->video_observers = NULL;
  u->video_observer_count = 0;
}

/* ---- remote video track info ---- */

/* What a subscriber learns about user_id's video: the same in on_user_video_track_subscribed and
 * get_track_info. Caller holds g_engine.lock or runs on the engine thread. */
void remote_video_info(const connection* c, const char* user_id, const char* channel_id, video_track_info* info) {
  memset(info, 0, sizeof *info);
  info->owner_uid = (uid_t)strtoul(user_id, NULL, 10);
  info->channel_id = channel_id;
  info->codec_type = VIDEO_CODEC_H264;
  const video_subscription_options* sub = video_subscription_of(&c->user, user_id);
  if (sub) { /* what this subscriber receives */
    info->stream_type = sub->type;
    info->encoded_frame_only = sub->encoded_frame_only;
  }
}

typedef struct owned_track_info { /* get_track_info's result: the info and the channel name it points to */
  video_track_info info;
  char channel_id[MAX_CHANNEL_LEN + 1];
} owned_track_info;

AGORA_API_C video_track_info* AGORA_CALL_C agora_remote_video_track_get_track_info(AGORA_HANDLE agora_remote_video_track) {
  remote_track* a = agora_remote_video_track;
  if (!a || a->magic != MAGIC_REMOTE_VIDEO) return NULL;
  owned_track_info* owned = calloc(1, sizeof *owned);
  if (!owned) return NULL;
  pthread_mutex_lock(&g_engine.lock);
  strcpy(owned->channel_id, a->owner->channel_id);
  remote_video_info(a->owner, a->user_id, owned->channel_id, &owned->info);
  pthread_mutex_unlock(&g_engine.lock);
  return &owned->info; /* first member: free() of it frees the whole block */
}

AGORA_API_C_VOID agora_remote_video_track_destroy_track_info(AGORA_HANDLE agora_remote_video_track, video_track_info* info) {
  (void)agora_remote_video_track;
  free(info);
}

/* ---- delivery (engine thread) ---- */

typedef struct video_delivery {
  connection* receiver;       /* holds a reference */
  video_observer* observer;   /* holds a reference */
  video_payload* payload;     /* holds a reference */
  char user_id[MAX_ID_LEN + 1];
} video_delivery;

static video_delivery* plan;
static int plan_count, plan_capacity;

static void plan_add(connection* r, video_observer* o, video_payload* p, const char* user_id) {
  if (plan_count == plan_capacity) {
    int cap = plan_capacity ? plan_capacity * 2 : 32;
    video_delivery* grown = realloc(plan, sizeof(video_delivery) * (size_t)cap);
    if (!grown) return;
    plan = grown;
    plan_capacity = cap;
  }
  video_delivery* d = &plan[plan_count++];
  d->receiver = r;
  connection_retain(r);
  d->observer = o;
  o->refs++;
  d->payload = p;
  __atomic_add_fetch(&p->refs, 1, __ATOMIC_RELAXED);
  snprintf(d->user_id, sizeof d->user_id, "%s", user_id);
}

/* Plans frame p of user_id (has_low: its track declared a low stream) for receiver r, if subscribed. */
static void plan_for(connection* r, const char* user_id, int has_low, video_payload* p) {
  const video_subscription_options* sub = video_subscription_of(&r->user, user_id);
  if (!sub) return;
  video_payload* chosen = p;
  if (p->encoded) {
    int wanted = sub->type;
    if (wanted == VIDEO_STREAM_LOW && !has_low) wanted = VIDEO_STREAM_HIGH; /* no low stream: high */
    if (p->info.stream_type != wanted) return;
  } else {
    if (sub->encoded_frame_only) return;
    if (sub->type == VIDEO_STREAM_LOW && p->low) chosen = p->low;
  }
  remote_track_frame(r, TRACK_VIDEO, user_id, chosen->width, chosen->height,
                     chosen->encoded ? chosen->length : video_i420_bytes(chosen->width, chosen->height, 0, 0));
  remote_video_size(r, user_id, chosen->width, chosen->height, chosen->rotation);
  uint32_t wanted_magic = p->encoded ? MAGIC_ENCODED_OBSERVER : MAGIC_VIDEO_OBSERVER;
  for (int k = 0; k < r->user.video_observer_count; k++)
    if (r->user.video_observers[k]->magic == wanted_magic) plan_add(r, r->user.video_observers[k], chosen, user_id);
}

/* Plans one frame of sender c for every member subscribed to it, here and in other processes. */
static void plan_frame(connection* c, video_track* t, video_payload* p) {
  c->tx_video_bytes += p->encoded ? p->length : video_i420_bytes(p->width, p->height, 0, 0);
  pthread_mutex_lock(&t->lock);
  int has_low = t->simulcast; /* encoded: the sender declared a low stream (enable_simulcast_stream) */
  pthread_mutex_unlock(&t->lock);
  for (connection* r = c->channel->members; r; r = r->next_in_channel)
    if (r != c && !r->destroyed && !fault_outage_active(r) && !encryption_blocks(r, c->user_id, c->media_tag, 0))
      plan_for(r, c->user_id, has_low, p);
  transport_send_video(c, has_low, p);
}

/* Transport thread, g_engine.lock held: a frame from member m of another process, for c's engine thread. */
void video_remote_received(connection* c, remote_member* m, video_payload* p) {
  if (m->video_count == JITTER_RING) { /* the engine thread is behind: the oldest goes */
    video_payload_release(m->video[m->video_head]);
    m->video_head = (m->video_head + 1) % JITTER_RING;
    m->video_count--;
    c->rx_video_dropped++;
  }
  m->video[(m->video_head + m->video_count) % JITTER_RING] = p;
  m->video_count++;
  __atomic_store_n(&g_engine.video_pending, 1, __ATOMIC_SEQ_CST);
  engine_wake();
}

static int still_registered(const local_user* u, const video_observer* o) {
  for (int k = 0; k < u->video_observer_count; k++)
    if (u->video_observers[k] == o) return 1;
  return 0;
}

/* The payload whose frame an observer on this thread is being called with (agora_loopback_video_frame_hold). */
static __thread video_payload* t_delivering;

AGORA_API_C_HDL agora_loopback_video_frame_hold(void) {
  video_payload* p = t_delivering;
  if (p) __atomic_add_fetch(&p->refs, 1, __ATOMIC_RELAXED);
  return p;
}

AGORA_API_C_VOID agora_loopback_video_frame_release(AGORA_HANDLE hold) { video_payload_release(hold); }

static void deliver_one(video_delivery* d) {
  connection* r = d->receiver;
  video_observer* o = d->observer;
  const video_payload* p = d->payload;
  if (r->destroyed || !r->channel || o->destroyed || !still_registered(&r->user, o)) return;
  if (p->encoded) {
    encoded_video_frame_info info = p->info;
    info.uid = (uid_t)strtoul(d->user_id, NULL, 10);
    t_delivering = (video_payload*)p;
    ENGINE_CALLBACK(o->encoded.on_encoded_video_frame, o, info.uid, p->data, p->length, &info);
    t_delivering = NULL;
    return;
  }
  video_frame f;
  memset(&f, 0, sizeof f);
  f.type = 1; /* VIDEO_PIXEL_I420 */
  f.width = p->width;
  f.height = p->height;
  f.y_stride = p->width;
  f.u_stride = f.v_stride = (p->width + 1) / 2;
  f.y_buffer = p->y;
  f.u_buffer = p->u;
  f.v_buffer = p->v;
  f.rotation = p->rotation;
  f.render_time_ms = p->timestamp_ms;
  f.metadata_buffer = p->metadata;
  f.metadata_size = p->metadata_size;
  f.alpha_buffer = p->alpha;
  char channel_id[MAX_CHANNEL_LEN + 1];
  snprintf(channel_id, sizeof channel_id, "%s", r->channel_id);
  if (o->raw.on_frame) remote_video_rendered(r, d->user_id, p->width, p->height);
  t_delivering = (video_payload*)p;
  ENGINE_CALLBACK(o->raw.on_frame, o, channel_id, d->user_id, &f);
  t_delivering = NULL;
}

void video_deliver(void) {
  if (!__atomic_exchange_n(&g_engine.video_pending, 0, __ATOMIC_SEQ_CST)) return;
  for (int i = 0; i < g_engine.conn_count; i++) {
    connection* c = g_engine.conns[i];
    for (int k = 0; k < c->user.published_video_count; k++) {
      video_track* t = c->user.published_video[k];
      video_payload* p;
      while ((p = video_track_pop(t))) {
        if (c->channel && !c->destroyed && !fault_outage_active(c)) plan_frame(c, t, p);
        video_payload_release(p);
      }
    }
    for (remote_member* m = c->remotes; m; m = m->next) {
      while (m->video_count) {
        video_payload* p = m->video[m->video_head];
        m->video_head = (m->video_head + 1) % JITTER_RING;
        m->video_count--;
        if (c->channel && !c->destroyed) plan_for(c, m->user_id, p->sender_simulcast, p);
        video_payload_release(p);
      }
    }
  }
  events_deliver(); /* subscribed / first-frame callbacks come before the frames */
  for (int i = 0; i < plan_count; i++) {
    video_delivery* d = &plan[i];
    deliver_one(d);
    video_payload_release(d->payload);
    video_observer_release(d->observer);
    connection_release(d->receiver);
  }
  plan_count = 0;
}
