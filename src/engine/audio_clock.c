/* audio_clock.c -- the engine thread: it delivers queued events and, while any
 * connection is connected, runs the audio clock on absolute 10 ms deadlines
 * (scaled by the loopback.clock_speed parameter for tests). Each tick pulls one
 * frame per published track, converts it to each receiver's formats and
 * delivers before-mixing, playback (mixed), record and mixed frames. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine.h"

enum { KIND_BEFORE_MIXING, KIND_PLAYBACK, KIND_RECORD, KIND_MIXED_PLAYBACK, KIND_MIXED_RECORD, KIND_TRACK_MIX };
enum { SLOT_BEFORE_MIXING, SLOT_PLAYBACK, SLOT_RECORD, SLOT_MIXED };

typedef struct delivery {
  int slot;
  connection* conn; /* holds a reference until delivered */
  char channel_id[MAX_CHANNEL_LEN + 1];
  char user_id[MAX_ID_LEN + 1];
  audio_frame frame;
} delivery;

typedef struct source {
  connection* conn;      /* NULL for a member in another process */
  const char* user_id;
  channel* ch;
  pcm_frame frame;
  audio_labels labels;   /* zero unless labels are enabled */
} source;

/* Scratch owned by the engine thread, reused every tick. */
static delivery* plan;
static int plan_count, plan_capacity;
/* Frame memory handed to callbacks: blocks that never move during a tick. */
#define POOL_BLOCK_SAMPLES (64 * FRAME_MAX_SAMPLES)
static int16_t** pool_blocks;
static int pool_block_count, pool_block;
static size_t pool_used;
static source* sources;
static int source_capacity;
static source* remote_sources; /* this receiver's members in other processes */
static int remote_capacity;
static pthread_t engine_thread;

static int16_t* pool_take(size_t samples) {
  if (pool_block < pool_block_count && pool_used + samples > POOL_BLOCK_SAMPLES) {
    pool_block++;
    pool_used = 0;
  }
  if (pool_block == pool_block_count) {
    int16_t** grown = realloc(pool_blocks, sizeof(int16_t*) * (size_t)(pool_block_count + 1));
    if (!grown) return NULL;
    pool_blocks = grown;
    pool_blocks[pool_block_count] = malloc(sizeof(int16_t) * POOL_BLOCK_SAMPLES);
    if (!pool_blocks[pool_block_count]) return NULL;
    pool_block_count++;
    pool_used = 0;
  }
  int16_t* p = pool_blocks[pool_block] + pool_used;
  pool_used += samples;
  return p;
}

static int64_t mono_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t engine_now_ms(void) { return g_engine.ticks * 10; }

int engine_on_engine_thread(void) { return g_engine.running && pthread_equal(pthread_self(), engine_thread); }

void engine_wait_callbacks(void) {
  if (engine_on_engine_thread()) return;
  while (g_engine.in_callback) pthread_cond_wait(&g_engine.cb_done, &g_engine.lock);
}

void engine_wake(void) { pthread_cond_signal(&g_engine.wake); }

/* Send paths hold no engine lock: they flag work, and only take g_engine.lock
 * to signal when the engine thread is (about to be) asleep. The thread sets
 * `idle` before checking the flag and waiting, so one of the two sides always
 * sees the other (sequentially consistent atomics). */
void engine_kick(void) {
  __atomic_store_n(&g_engine.video_pending, 1, __ATOMIC_SEQ_CST);
  if (__atomic_load_n(&g_engine.idle, __ATOMIC_SEQ_CST)) {
    pthread_mutex_lock(&g_engine.lock);
    pthread_cond_signal(&g_engine.wake);
    pthread_mutex_unlock(&g_engine.lock);
  }
}

/* g_engine.lock held: 1 if the thread may sleep (no video queued), with idle set. */
static int may_sleep(void) {
  __atomic_store_n(&g_engine.idle, 1, __ATOMIC_SEQ_CST);
  if (!__atomic_load_n(&g_engine.video_pending, __ATOMIC_SEQ_CST)) return 1;
  __atomic_store_n(&g_engine.idle, 0, __ATOMIC_SEQ_CST);
  return 0;
}

static void awake(void) { __atomic_store_n(&g_engine.idle, 0, __ATOMIC_SEQ_CST); }

static void wait_until(int64_t deadline_ns) {
  struct timespec ts;
#ifdef __APPLE__
  int64_t delta = deadline_ns - mono_ns();
  clock_gettime(CLOCK_REALTIME, &ts);
  int64_t abs_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec + (delta > 0 ? delta : 0);
#else
  int64_t abs_ns = deadline_ns;
#endif
  ts.tv_sec = abs_ns / 1000000000;
  ts.tv_nsec = abs_ns % 1000000000;
  pthread_cond_timedwait(&g_engine.wake, &g_engine.lock, &ts);
}

static int any_connected(void) {
  for (int i = 0; i < g_engine.conn_count; i++)
    if (g_engine.conns[i]->channel) return 1;
  return 0;
}

static void* engine_main(void* arg) {
  (void)arg;
  pthread_mutex_lock(&g_engine.lock);
  int ticking = 0;
  int64_t next_deadline = 0;
  while (!g_engine.stop) {
    events_deliver();
    video_deliver();
    if (g_engine.stop) break;
    if (!any_connected() && !audio_sinks_listening()) {
      ticking = 0;
      if (may_sleep()) {
        pthread_cond_wait(&g_engine.wake, &g_engine.lock);
        awake();
      }
      continue;
    }
    int64_t period = (int64_t)(10000000.0 / g_engine.clock_speed);
    int64_t now = mono_ns();
    if (!ticking) {
      ticking = 1;
      next_deadline = now + period;
    }
    if (now >= next_deadline) {
      audio_clock_tick();
      /* atomic: agora_loopback_audio_track_get_stats reads it without g_engine.lock */
      __atomic_store_n(&g_engine.ticks, g_engine.ticks + 1, __ATOMIC_RELEASE);
      if (g_engine.ticks % 10 == 0) token_check_expiry();
      next_deadline += period;
      if (now - next_deadline > 20 * period) { /* stalled far behind: resync */
        g_engine.late_ticks++;
        next_deadline = now + period;
      }
      continue;
    }
    if (may_sleep()) {
      wait_until(next_deadline);
      awake();
    }
  }
  pthread_mutex_unlock(&g_engine.lock);
  return NULL;
}

int engine_start_thread(void) {
  g_engine.stop = 0;
  g_engine.running = 1;
  if (pthread_create(&engine_thread, NULL, engine_main, NULL) != 0) {
    g_engine.running = 0;
    return -ERR_RESOURCE_LIMITED;
  }
  return transport_start();
}

void engine_stop_thread(void) {
  if (!g_engine.running) return;
  transport_stop();
  g_engine.stop = 1;
  pthread_cond_signal(&g_engine.wake);
  pthread_mutex_unlock(&g_engine.lock);
  pthread_join(engine_thread, NULL);
  pthread_mutex_lock(&g_engine.lock);
  g_engine.running = 0;
  g_engine.stop = 0;
}

/* Converts one 10 ms source frame to (channels, rate) into out. */
static int convert(local_user* u, const char* user_id, int kind, const pcm_frame* f, int channels, int rate,
                   int16_t* out) {
  resampler* r = f->sample_rate == rate ? NULL : local_user_resampler(u, user_id, kind, f->sample_rate, rate, channels);
  if (f->sample_rate != rate && !r) return 0;
  audio_convert_frame(f, channels, r, out);
  return 1;
}

static delivery* plan_add(int slot, connection* c, const char* user_id, int channels, int rate, int16_t* data,
                          const pcm_frame* src) {
  if (plan_count == plan_capacity) {
    int cap = plan_capacity ? plan_capacity * 2 : 64;
    delivery* grown = realloc(plan, sizeof(delivery) * (size_t)cap);
    if (!grown) return NULL;
    plan = grown;
    plan_capacity = cap;
  }
  delivery* d = &plan[plan_count++];
  memset(&d->frame, 0, sizeof d->frame);
  d->slot = slot;
  d->conn = c;
  connection_retain(c);
  strcpy(d->channel_id, c->channel_id);
  strcpy(d->user_id, user_id ? user_id : "");
  d->frame.type = 0; /* FRAME_TYPE_PCM16 */
  d->frame.samples_per_channel = rate / 100;
  d->frame.bytes_per_sample = 2;
  d->frame.channels = channels;
  d->frame.samples_per_sec = rate;
  d->frame.buffer = data;
  d->frame.render_time_ms = engine_now_ms();
  d->frame.presentation_ms = src ? src->presentation_ms : 0;
  d->frame.rtp_timestamp = src ? src->capture_timestamp : 0;
  return d;
}

/* Peak and energy of a frame a user sends (get_local_audio_statistics). */
static void sent_level(connection* c, const pcm_frame* f) {
  double mean_square;
  audio_frame_level(f, &c->tx_audio_peak, &mean_square);
  c->tx_audio_frames++;
  c->tx_audio_energy += mean_square * 0.01; /* 10 ms */
}

static void mix_into(int32_t* acc, const int16_t* in, size_t n) {
  for (size_t i = 0; i < n; i++) acc[i] += in[i];
}

static void saturate(const int32_t* acc, int16_t* out, size_t n) {
  for (size_t i = 0; i < n; i++) out[i] = (int16_t)(acc[i] > 32767 ? 32767 : acc[i] < -32768 ? -32768 : acc[i]);
}

/* Builds this tick's deliveries for one receiver. */
static void plan_receiver(connection* r, source* srcs, int nsrc, source* remote, int nremote, const source* own) {
  local_user* u = &r->user;
  int32_t playback_acc[FRAME_MAX_SAMPLES], mixed_acc[FRAME_MAX_SAMPLES];
  int pb_n = u->playback.set ? u->playback.sample_rate / 100 * u->playback.channels : 0;
  int mx_n = u->mixed.set ? u->mixed.sample_rate / 100 * u->mixed.channels : 0;
  memset(playback_acc, 0, sizeof(int32_t) * (size_t)pb_n);
  memset(mixed_acc, 0, sizeof(int32_t) * (size_t)mx_n);
  int16_t tmp[FRAME_MAX_SAMPLES];
  for (int i = 0; i < nsrc + nremote; i++) {
    source* s = i < nsrc ? &srcs[i] : &remote[i - nsrc];
    if (s->conn == r || s->ch != r->channel || !local_user_is_subscribed(u, s->user_id)) continue;
    if (s->conn && s->conn->media_tag != r->media_tag) continue; /* counted and reported below */
    const pcm_frame* f = &s->frame;
    int ch = u->before_mixing.set ? u->before_mixing.channels : f->channels;
    int rate = u->before_mixing.set ? u->before_mixing.sample_rate : f->sample_rate;
    int16_t* out = pool_take((size_t)(rate / 100 * ch));
    if (out && convert(u, s->user_id, KIND_BEFORE_MIXING, f, ch, rate, out)) {
      delivery* d = plan_add(SLOT_BEFORE_MIXING, r, s->user_id, ch, rate, out, f);
      if (d) {
        d->frame.rms = s->labels.rms;
        d->frame.voice_prob = s->labels.voice_prob;
        d->frame.music_prob = s->labels.music_prob;
        d->frame.pitch = s->labels.pitch;
      }
    }
    if (pb_n && convert(u, s->user_id, KIND_PLAYBACK, f, u->playback.channels, u->playback.sample_rate, tmp))
      mix_into(playback_acc, tmp, (size_t)pb_n);
    if (mx_n && convert(u, s->user_id, KIND_MIXED_PLAYBACK, f, u->mixed.channels, u->mixed.sample_rate, tmp))
      mix_into(mixed_acc, tmp, (size_t)mx_n);
  }
  if (pb_n) {
    int16_t* out = pool_take((size_t)pb_n);
    if (out) {
      saturate(playback_acc, out, (size_t)pb_n);
      if (u->playback_volume != 100) audio_apply_volume(out, (size_t)pb_n, u->playback_volume);
      plan_add(SLOT_PLAYBACK, r, NULL, u->playback.channels, u->playback.sample_rate, out, NULL);
    }
  }
  if (own && u->record.set) {
    int16_t* out = pool_take((size_t)(u->record.sample_rate / 100 * u->record.channels));
    if (out && convert(u, r->user_id, KIND_RECORD, &own->frame, u->record.channels, u->record.sample_rate, out))
      plan_add(SLOT_RECORD, r, NULL, u->record.channels, u->record.sample_rate, out, &own->frame);
  }
  if (mx_n) {
    if (own && convert(u, r->user_id, KIND_MIXED_RECORD, &own->frame, u->mixed.channels, u->mixed.sample_rate, tmp))
      mix_into(mixed_acc, tmp, (size_t)mx_n);
    int16_t* out = pool_take((size_t)mx_n);
    if (out) {
      saturate(mixed_acc, out, (size_t)mx_n);
      plan_add(SLOT_MIXED, r, NULL, u->mixed.channels, u->mixed.sample_rate, out, NULL);
    }
  }
}

static void deliver_plan(void) {
  for (int i = 0; i < plan_count; i++) {
    delivery* d = &plan[i];
    connection* c = d->conn;
    local_user* u = &c->user;
    /* Re-checked per frame: an earlier callback may have disconnected,
     * unregistered or destroyed this connection. */
    if (!c->destroyed && c->channel && u->audio_observer_set) {
      audio_frame_observer* o = &u->audio_observer;
      switch (d->slot) {
        case SLOT_BEFORE_MIXING:
          ENGINE_CALLBACK(o->on_playback_audio_frame_before_mixing, u, d->channel_id, d->user_id, &d->frame);
          break;
        case SLOT_PLAYBACK:
          ENGINE_CALLBACK(o->on_playback_audio_frame, u, d->channel_id, &d->frame);
          break;
        case SLOT_RECORD:
          ENGINE_CALLBACK(o->on_record_audio_frame, u, d->channel_id, &d->frame);
          break;
        case SLOT_MIXED:
          ENGINE_CALLBACK(o->on_mixed_audio_frame, u, d->channel_id, &d->frame);
          break;
      }
    }
    connection_release(c);
  }
  plan_count = 0;
}

static void label(voice_detector* d, source* s) {
  if (g_engine.labels_enabled || volume_indication_active()) /* volume indication reports vad */
    audio_labels_compute(d, &s->frame, &s->labels);
  else
    memset(&s->labels, 0, sizeof s->labels);
}

void audio_clock_tick(void) {
  int n = g_engine.conn_count;
  if (n > source_capacity) {
    source* grown = realloc(sources, sizeof(source) * (size_t)n);
    if (!grown) return;
    sources = grown;
    source_capacity = n;
  }
  /* 0. Injected faults: outages start and end, held packets fall due. */
  for (int i = 0; i < n; i++) {
    fault_tick(g_engine.conns[i]);
    stats_tick(g_engine.conns[i]);
    if (g_engine.conns[i]->delayed_count) transport_flush_delayed(g_engine.conns[i]);
  }
  /* 1. One frame per connected, publishing user (its tracks summed). */
  int nsrc = 0;
  for (int i = 0; i < n; i++) {
    connection* c = g_engine.conns[i];
    if (!c->channel || c->user.role != CLIENT_ROLE_BROADCASTER) continue;
    source* s = &sources[nsrc];
    int have = 0;
    for (int k = 0; k < c->user.published_count; k++) {
      pcm_frame f;
      if (!audio_track_pull(c->user.published[k], &f)) continue;
      if (!have) {
        s->frame = f;
        have = 1;
        continue;
      }
      /* Another track in another format (TTS at 24 kHz, music at 48 kHz): converted to the first's,
       * through this user's own resampler for that track (its filter state is per connection). */
      char key[32];
      local_user_mix_key(c->user.published[k], key, sizeof key);
      int16_t converted[FRAME_MAX_SAMPLES];
      if (!convert(&c->user, key, KIND_TRACK_MIX, &f, s->frame.channels, s->frame.sample_rate, converted))
        continue; /* out of memory: this frame is not heard */
      int32_t acc[FRAME_MAX_SAMPLES];
      size_t len = (size_t)(s->frame.sample_rate / 100 * s->frame.channels);
      for (size_t j = 0; j < len; j++) acc[j] = s->frame.data[j];
      mix_into(acc, converted, len);
      saturate(acc, s->frame.data, len);
    }
    if (have && !fault_outage_active(c)) { /* in an outage its audio goes nowhere */
      c->tx_audio_bytes += sizeof(int16_t) * (size_t)(s->frame.sample_rate / 100 * s->frame.channels);
      s->conn = c;
      s->user_id = c->user_id;
      s->ch = c->channel;
      label(&c->voice, s);
      c->tx_audio_rate = s->frame.sample_rate;
      c->tx_audio_channels = s->frame.channels;
      c->tx_audio_pitch = s->labels.pitch;
      sent_level(c, &s->frame);
      transport_send_audio(c, &s->frame);
      nsrc++;
    }
  }
  /* Reliable data stream messages not yet acknowledged go again. */
  for (int i = 0; i < n; i++)
    if (g_engine.conns[i]->channel) ds_tick(g_engine.conns[i]);
  /* 2. Every receiver with an audio frame observer gets its frames. */
  pool_block = 0;
  pool_used = 0;
  for (int i = 0; i < n; i++) {
    connection* r = g_engine.conns[i];
    if (!r->channel || r->joining || fault_outage_active(r)) continue;
    /* Members in other processes play from their receive jitter buffers,
     * one frame per tick, whether or not anyone observes them. */
    int nremote = 0;
    for (remote_member* m = r->remotes; m; m = m->next) {
      if (nremote == remote_capacity) {
        int cap = remote_capacity ? remote_capacity * 2 : 16;
        source* grown = realloc(remote_sources, sizeof(source) * (size_t)cap);
        if (!grown) break;
        remote_sources = grown;
        remote_capacity = cap;
      }
      source* s = &remote_sources[nremote];
      if (!transport_pull(r, m, &s->frame)) continue;
      s->conn = NULL;
      s->user_id = m->user_id;
      s->ch = r->channel;
      label(&m->voice, s);
      nremote++;
    }
    /* What r hears this tick drives its remote audio states and volume indication. */
    for (int k = 0; k < nsrc + nremote; k++) {
      source* s = k < nsrc ? &sources[k] : &remote_sources[k - nsrc];
      if (s->conn == r || s->ch != r->channel || !local_user_is_subscribed(&r->user, s->user_id)) continue;
      if (s->conn && encryption_blocks(r, s->user_id, s->conn->media_tag, 0)) continue; /* elsewhere: on receipt */
      remote_track_frame(r, TRACK_AUDIO, s->user_id, s->frame.sample_rate, s->frame.channels,
                         sizeof(int16_t) * (size_t)(s->frame.sample_rate / 100 * s->frame.channels));
      volume_observe(&r->user, s->user_id, &s->labels);
    }
    remote_track_tick(r);
    volume_tick(r);
    if (!r->user.audio_observer_set) continue;
    const source* own = NULL;
    for (int k = 0; k < nsrc; k++)
      if (sources[k].conn == r) own = &sources[k];
    plan_receiver(r, sources, nsrc, remote_sources, nremote, own);
  }
  deliver_plan();
  for (int i = 0; i < g_engine.conn_count; i++)
    if (g_engine.conns[i]->remotes) transport_reap(g_engine.conns[i]);
  /* Audio sinks get their tracks' frames (pulled in step 1 if published): last, as their callbacks
   * release the lock and may destroy what the steps above hold. */
  if (g_engine.sink_count) audio_sinks_tick();
}
