/* stats.c -- statistics with counters that move: the remote audio/video track
 * and local video track getters (agora_*_get_statistics, the caller frees with
 * agora_*_destroy_statistics) and on_transport_stats (rtc_stats) every 2 s of
 * engine time for each connected connection with an observer, with the track
 * statistics and on_user_network_quality per remote user.
 *
 * Bytes count what a receiver gets: audio as the 16-bit PCM frames it hears
 * (or the encoded payloads), video as I420 frames or encoded images. Loss,
 * lateness, jitter-buffer depth and transit time exist only between processes
 * (in one process there is no network); frozen time is the time a track spent
 * FROZEN (500 ms without frames). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"

#define STATS_INTERVAL_MS 2000 /* Agora reports transport stats every 2 s */


static int percent(uint64_t part, uint64_t whole) { return whole ? (int)(part * 100 / whole) : 0; }

static int kbps(uint64_t bytes, int64_t ms) { return ms > 0 ? (int)(bytes * 8 / (uint64_t)ms) : 0; }

static remote_member* member_of(connection* c, const char* user_id) {
  for (remote_member* m = c->remotes; m; m = m->next)
    if (strcmp(m->user_id, user_id) == 0) return m;
  return NULL;
}

static int64_t frozen_ms(const remote_track* a, int64_t now) {
  return a->frozen_total_ms + (a->state == REMOTE_AUDIO_STATE_FROZEN ? now - a->frozen_since_ms : 0);
}

static remote_track* live_track(AGORA_HANDLE h, uint32_t magic) {
  remote_track* a = h;
  return a && a->magic == magic ? a : NULL;
}

/* g_engine.lock held. */
static void fill_remote_audio(const remote_track* a, remote_audio_track_stats* s) {
  int64_t now = engine_now_ms(), active = a->first_frame_ms ? now - a->first_frame_ms : 0;
  s->uid = (uid_t)strtoul(a->user_id, NULL, 10);
  s->num_channels = a->height;
  s->received_sample_rate = a->width;
  s->received_bytes = (int64_t)a->bytes;
  s->received_bitrate = kbps(a->bytes, active);
  s->total_frozen_time = (int)frozen_ms(a, now);
  s->frozen_rate = active > 0 ? (int)(frozen_ms(a, now) * 100 / active) : 0;
  remote_member* m = member_of(a->owner, a->user_id);
  if (m) { /* another process: a network to measure */
    s->audio_loss_rate = percent(m->lost, m->received + m->lost);
    s->jitter_buffer_delay = m->target * 10;
    s->network_transport_delay = (int)(m->transit_ms + 0.5);
  }
  s->quality = a->frames ? quality_of(s->audio_loss_rate, 0) : QUALITY_UNKNOWN;
}

static void fill_remote_video(const remote_track* a, remote_video_track_stats* s);

/* A copy (calloc'ed) of a live remote track's statistics, or NULL for a handle that is not one. */
static void* remote_stats(AGORA_HANDLE track, uint32_t magic, size_t size) {
  void* s = calloc(1, size);
  if (!s) return NULL;
  pthread_mutex_lock(&g_engine.lock);
  remote_track* a = live_track(track, magic);
  if (a && magic == MAGIC_REMOTE_AUDIO) fill_remote_audio(a, s);
  else if (a) fill_remote_video(a, s);
  pthread_mutex_unlock(&g_engine.lock);
  if (!a) {
    free(s);
    return NULL;
  }
  return s;
}

AGORA_API_C remote_audio_track_stats* AGORA_CALL_C agora_remote_audio_track_get_statistics(AGORA_HANDLE track) {
  return remote_stats(track, MAGIC_REMOTE_AUDIO, sizeof(remote_audio_track_stats));
}

AGORA_API_C_VOID agora_remote_audio_track_destroy_statistics(AGORA_HANDLE track, remote_audio_track_stats* stats) {
  (void)track;
  free(stats);
}

/* g_engine.lock held. */
static void fill_remote_video(const remote_track* a, remote_video_track_stats* s) {
  int64_t now = engine_now_ms(), active = a->first_frame_ms ? now - a->first_frame_ms : 0;
  int fps = active > 0 ? (int)(a->frames * 1000 / (uint64_t)active) : 0;
  s->uid = (uid_t)strtoul(a->user_id, NULL, 10);
  s->width = a->width;
  s->height = a->height;
  s->received_bitrate = kbps(a->bytes, active);
  s->decoder_output_frame_rate = s->renderer_output_frame_rate = fps;
  const video_subscription_options* sub = video_subscription_of(&a->owner->user, a->user_id);
  s->rx_stream_type = sub ? sub->type : VIDEO_STREAM_HIGH;
  s->total_frozen_time = (int)frozen_ms(a, now);
  s->frozen_rate = active > 0 ? (int)(frozen_ms(a, now) * 100 / active) : 0;
  s->total_decoded_frames = (uint32_t)a->frames;
  s->publish_duration = (uint64_t)active;
  s->total_active_time = (uint64_t)(active - frozen_ms(a, now));
}

AGORA_API_C remote_video_track_stats* AGORA_CALL_C agora_remote_video_track_get_statistics(AGORA_HANDLE track) {
  return remote_stats(track, MAGIC_REMOTE_VIDEO, sizeof(remote_video_track_stats));
}

AGORA_API_C_VOID agora_remote_video_track_destroy_statistics(AGORA_HANDLE track, remote_video_track_stats* stats) {
  (void)track;
  free(stats);
}

static void fill_local_video(video_track* t, local_video_track_stats* s) {
  pthread_mutex_lock(&t->lock);
  int64_t span = t->first_sent_ms ? t->last_sent_ms - t->first_sent_ms : 0;
  int fps = span > 0 ? (int)((t->frames_sent - 1) * 1000 / (uint64_t)span) : 0;
  s->number_of_streams = t->simulcast ? 2 : 1;
  s->bytes_major_stream = t->bytes_sent;
  s->frames_encoded = (uint32_t)t->frames_sent;
  s->capture_frame_rate = s->regulated_capture_frame_rate = s->input_frame_rate = fps;
  s->encode_frame_rate = s->render_frame_rate = fps;
  s->target_media_bitrate_bps = t->config.bitrate > 0 ? t->config.bitrate * 1000 : 0;
  s->media_bitrate_bps = s->total_bitrate_bps = span > 0 ? (int)(t->bytes_sent * 8000 / (uint64_t)span) : 0;
  s->capture_width = s->regulated_capture_width = s->width = t->last_width;
  s->capture_height = s->regulated_capture_height = s->height = t->last_height;
  s->encoder_type = t->encoded ? (uint32_t)t->options.codec_type : 0;
  pthread_mutex_unlock(&t->lock);
}

AGORA_API_C local_video_track_stats* AGORA_CALL_C agora_local_video_track_get_statistics(AGORA_HANDLE track) {
  video_track* t = track;
  if (!t || t->magic != MAGIC_VIDEO_TRACK) return NULL;
  local_video_track_stats* s = calloc(1, sizeof *s);
  if (!s) return NULL;
  fill_local_video(t, s);
  return s;
}

AGORA_API_C_VOID agora_local_video_track_destroy_statistics(AGORA_HANDLE track, local_video_track_stats* stats) {
  (void)track;
  free(stats);
}

/* ---- the local user's audio sender ---- */

AGORA_API_C local_audio_detailed_stats* AGORA_CALL_C agora_local_user_get_local_audio_statistics(AGORA_HANDLE agora_local_user) {
  local_user* u = local_user_from(agora_local_user);
  if (!u) return NULL;
  local_audio_detailed_stats* s = calloc(1, sizeof *s);
  if (!s) return NULL;
  pthread_mutex_lock(&g_engine.lock);
  const connection* c = u->conn;
  s->local_ssrc = c->internal_uid;
  s->bytes_sent = (int64_t)c->tx_audio_bytes;
  s->packets_sent = (int32_t)c->tx_audio_frames; /* one packet per 10 ms frame */
  s->ext_seqnum = (int32_t)c->tx_audio_frames;
  strcpy(s->codec_name, "L16"); /* the loopback sends 16-bit linear PCM (RFC 3551's name); no RTP payload type */
  s->audio_level = c->tx_audio_frames ? c->tx_audio_peak : 0;
  s->total_input_energy = c->tx_audio_energy;
  s->total_input_duration = (double)c->tx_audio_frames * 0.01;
  pthread_mutex_unlock(&g_engine.lock); /* loss, jitter, rtt: one host; the encoder and APM figures: none */
  return s;
}

AGORA_API_C_VOID agora_local_user_destroy_local_audio_statistics(AGORA_HANDLE agora_local_user, local_audio_detailed_stats* stats) {
  (void)agora_local_user;
  free(stats);
}

/* ---- on_transport_stats ---- */

static int64_t clock_ns(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int resident_kbytes(void) {
  long pages = 0, resident = 0;
  FILE* f = fopen("/proc/self/statm", "r");
  if (f) {
    int ok = fscanf(f, "%ld %ld", &pages, &resident) == 2;
    fclose(f);
    if (ok) return (int)(resident * (sysconf(_SC_PAGESIZE) / 1024));
  }
  struct rusage ru; /* no /proc (macOS): the peak, in bytes there */
  getrusage(RUSAGE_SELF, &ru);
#ifdef __APPLE__
  return (int)(ru.ru_maxrss / 1024);
#else
  return (int)ru.ru_maxrss;
#endif
}

static unsigned int members(const connection* c) {
  unsigned int n = 0;
  for (const connection* m = c->channel->members; m; m = m->next_in_channel) n++; /* ourselves included */
  for (const remote_member* m = c->remotes; m; m = m->next) n++;
  return n;
}

static struct stats_snapshot snapshot(const connection* c) {
  struct stats_snapshot s = {engine_now_ms(), clock_ns(CLOCK_PROCESS_CPUTIME_ID), clock_ns(CLOCK_MONOTONIC),
                             c->tx_audio_bytes, c->tx_video_bytes, c->rx_audio_bytes, c->rx_video_bytes,
                             c->rx_received, c->rx_lost, c->send_seq, c->fault_dropped + c->packets_dropped_send};
  return s;
}

/* on_{local,remote}_{audio,video}_track_statistics, with on_transport_stats: a copy per track. */
static void post_track_stats(connection* c, int which, void* track, const void* stats, size_t size) {
  void* copy = malloc(size);
  if (!copy) return;
  memcpy(copy, stats, size);
  event_post_track_stats(c, which, track, copy);
}

static void track_stats(connection* c, int64_t ms, uint64_t tx_audio_bytes) {
  local_user* u = &c->user;
  if (u->published_count) {
    local_audio_stats la = {.num_channels = c->tx_audio_channels, .sent_sample_rate = c->tx_audio_rate,
                            .sent_bitrate = kbps(tx_audio_bytes, ms), .internal_codec = 0,
                            .voice_pitch = c->tx_audio_pitch};
    post_track_stats(c, TRACK_STATS_LOCAL_AUDIO, NULL, &la, sizeof la);
  }
  for (int i = 0; i < u->published_video_count; i++) {
    local_video_track_stats lv;
    memset(&lv, 0, sizeof lv);
    fill_local_video(u->published_video[i], &lv);
    post_track_stats(c, TRACK_STATS_LOCAL_VIDEO, u->published_video[i], &lv, sizeof lv);
  }
  for (remote_track* a = u->remote_tracks; a; a = a->next) {
    if (a->state == REMOTE_AUDIO_STATE_STOPPED) continue; /* only streams that are playing */
    if (a->magic == MAGIC_REMOTE_AUDIO) {
      remote_audio_track_stats ra;
      memset(&ra, 0, sizeof ra);
      fill_remote_audio(a, &ra);
      post_track_stats(c, TRACK_STATS_REMOTE_AUDIO, a, &ra, sizeof ra);
    } else {
      remote_video_track_stats rv;
      memset(&rv, 0, sizeof rv);
      fill_remote_video(a, &rv);
      post_track_stats(c, TRACK_STATS_REMOTE_VIDEO, a, &rv, sizeof rv);
    }
  }
}

/* on_transport_stats for the interval from prev to cur. */
static void transport_stats(connection* c, const struct stats_snapshot* cur, const struct stats_snapshot* prev) {
  rtc_stats* s = calloc(1, sizeof *s);
  if (!s) return;
  int64_t ms = cur->at_ms - prev->at_ms;
  s->connection_id = c->id;
  s->duration = (unsigned int)((cur->at_ms - c->joined_ms) / 1000);
  s->tx_audio_bytes = (unsigned int)c->tx_audio_bytes;
  s->tx_video_bytes = (unsigned int)c->tx_video_bytes;
  s->rx_audio_bytes = (unsigned int)c->rx_audio_bytes;
  s->rx_video_bytes = (unsigned int)c->rx_video_bytes;
  s->tx_bytes = s->tx_audio_bytes + s->tx_video_bytes;
  s->rx_bytes = s->rx_audio_bytes + s->rx_video_bytes;
  s->tx_audio_k_bit_rate = (unsigned short)kbps(cur->tx_audio - prev->tx_audio, ms);
  s->tx_video_k_bit_rate = (unsigned short)kbps(cur->tx_video - prev->tx_video, ms);
  s->rx_audio_k_bit_rate = (unsigned short)kbps(cur->rx_audio - prev->rx_audio, ms);
  s->rx_video_k_bit_rate = (unsigned short)kbps(cur->rx_video - prev->rx_video, ms);
  s->tx_k_bit_rate = (unsigned short)(s->tx_audio_k_bit_rate + s->tx_video_k_bit_rate);
  s->rx_k_bit_rate = (unsigned short)(s->rx_audio_k_bit_rate + s->rx_video_k_bit_rate);
  s->user_count = members(c);
  int64_t wall = cur->wall_ns - prev->wall_ns;
  s->cpu_app_usage = wall > 0 ? (double)(cur->cpu_ns - prev->cpu_ns) * 100.0 / (double)wall : 0;
  s->memory_app_usage_in_kbytes = resident_kbytes();
  s->first_audio_packet_duration = c->first_audio_ms ? (int)(c->first_audio_ms - c->joined_ms) : 0;
  s->first_video_packet_duration = c->first_video_ms ? (int)(c->first_video_ms - c->joined_ms) : 0;
  s->rx_packet_loss_rate =
      percent(cur->rx_lost - prev->rx_lost, (cur->rx_received - prev->rx_received) + (cur->rx_lost - prev->rx_lost));
  s->tx_packet_loss_rate = percent(cur->tx_dropped - prev->tx_dropped, cur->tx_sent - prev->tx_sent);
  event_post_payload(EV_TRANSPORT_STATS, c, NULL, 0, s);
}

/* on_user_network_quality, per remote user with on_transport_stats. tx is the user's uplink: for a member
 * in this process the faults injected on its connection (fault_quality), for one elsewhere the loss and
 * lateness of its audio packets measured here over the interval. rx is its downlink: DOWN during its outage,
 * else EXCELLENT (what reaches a member is degraded by its senders' uplinks, reported as theirs). */
static void network_quality(connection* c) {
  for (connection* m = c->channel->members; m; m = m->next_in_channel)
    if (m != c)
      event_post_args(EV_USER_NETWORK_QUALITY, c, m->user_id, 0, NULL, fault_quality(m),
                      fault_outage_active(m) ? QUALITY_DOWN : QUALITY_EXCELLENT);
  for (remote_member* m = c->remotes; m; m = m->next) {
    uint64_t got = m->received - m->quality_received, lost = m->lost - m->quality_lost;
    uint64_t late = m->late - m->quality_late;
    m->quality_received = m->received;
    m->quality_lost = m->lost;
    m->quality_late = m->late;
    if (m->leaving) continue;
    double bad = got + lost ? (double)(lost + late) * 100.0 / (double)(got + lost) : 0;
    event_post_args(EV_USER_NETWORK_QUALITY, c, m->user_id, 0, NULL, quality_of(bad, 0), QUALITY_EXCELLENT);
  }
}

void stats_tick(connection* c) {
  if (!c->channel || c->state != CONNECTION_STATE_CONNECTED) {
    c->stats_prev.at_ms = 0;
    return;
  }
  int64_t now = engine_now_ms();
  if (!c->stats_prev.at_ms) { /* just connected: the first interval starts now */
    c->stats_prev = snapshot(c);
    return;
  }
  if (now - c->stats_prev.at_ms < STATS_INTERVAL_MS) return;
  struct stats_snapshot cur = snapshot(c), prev = c->stats_prev;
  c->stats_prev = cur;
  if (c->user.observer_set) track_stats(c, cur.at_ms - prev.at_ms, cur.tx_audio - prev.tx_audio);
  if (c->observer_set && c->observer.on_transport_stats) transport_stats(c, &cur, &prev);
  if (c->observer_set && c->observer.on_user_network_quality) network_quality(c);
}
