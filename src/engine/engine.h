/* engine.h -- private declarations shared by the loopback engine's C files.
 *
 * Threads: one engine thread per initialized service (audio_clock.c) runs the
 * 10 ms clock and delivers every observer callback. API calls come from any
 * thread. One global mutex (g_engine.lock) guards channels, connections and
 * observers; each track has its own mutex for its jitter buffer so that PCM
 * sends never wait for a clock tick. Lock order: g_engine.lock -> sender.lock
 * -> track.lock. Callbacks run with no engine lock held. */
#pragma once

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "agora_c/agora_base.h"
#include "agora_c/agora_local_track.h"
#include "agora_c/agora_local_user.h"
#include "agora_c/agora_loopback.h"
#include "agora_c/agora_media_base.h"
#include "agora_c/agora_media_node_factory.h"
#include "agora_c/agora_parameter.h"
#include "agora_c/agora_rtc_conn.h"
#include "agora_c/agora_service.h"
#include "agora_c/agora_video_track.h"

#define ENGINE_VERSION "agora_rtc loopback engine 0.1.0"
#define MAX_ID_LEN 255
#define MAX_CHANNEL_LEN 64
#define FRAME_MAX_SAMPLES (480 * 2) /* 10 ms of 48 kHz stereo */

enum object_magic {
  MAGIC_SERVICE = 0x53525643,
  MAGIC_FACTORY = 0x46414354,
  MAGIC_PARAMETER = 0x50415241,
  MAGIC_CONNECTION = 0x434f4e4e,
  MAGIC_LOCAL_USER = 0x4c555352,
  MAGIC_PCM_SENDER = 0x50534e44,
  MAGIC_AUDIO_ENCODED_SENDER = 0x41454e53,
  MAGIC_AUDIO_TRACK = 0x41545243,
  MAGIC_REMOTE_AUDIO = 0x52415544,
  MAGIC_VIDEO_SENDER = 0x5653454e,
  MAGIC_ENCODED_SENDER = 0x4553454e,
  MAGIC_VIDEO_TRACK = 0x56545243,
  MAGIC_REMOTE_VIDEO = 0x52564944,
  MAGIC_VIDEO_OBSERVER = 0x564f4253,
  MAGIC_ENCODED_OBSERVER = 0x454f4253,
  MAGIC_AUDIO_SINK = 0x41534e4b,
  MAGIC_DEAD = 0x44454144,
};

/* ---- resampler.c ---- */
typedef struct resampler resampler;
int audio_rate_supported(int rate);
resampler* resampler_new(int in_rate, int out_rate, int channels);
void resampler_free(resampler* r);
/* Converts exactly one 10 ms frame; out holds out_rate/100*channels samples. */
void resampler_process(resampler* r, const int16_t* in, int16_t* out);
int resampler_matches(const resampler* r, int in_rate, int out_rate, int channels);
void audio_convert_channels(const int16_t* in, int in_channels, int16_t* out, int out_channels, int samples_per_channel);

/* ---- audio_track.c: the media node factory, PCM sender, custom PCM track and its jitter buffer ---- */
typedef struct factory {
  uint32_t magic;
} factory;

typedef struct pcm_frame {
  int sample_rate;
  int channels;
  int64_t presentation_ms;
  uint32_t capture_timestamp;
  int slot_samples;         /* track queue slots: samples allocated (a 16 kHz mono slot holds 160) */
  int16_t data[FRAME_MAX_SAMPLES]; /* full size except in track queue slots */
} pcm_frame;

/* The bytes of f that hold something: its header and one 10 ms of its format (what a copy takes). */
static inline size_t pcm_frame_bytes(const pcm_frame* f) {
  return offsetof(pcm_frame, data) + sizeof(int16_t) * (size_t)(f->sample_rate / 100 * f->channels);
}
/* resampler.c: one 10 ms frame to `channels`, then through r to its rate (r NULL: same rate). */
void audio_convert_frame(const pcm_frame* f, int channels, resampler* r, int16_t* out);

typedef struct audio_track {
  uint32_t magic;
  int refs;                 /* guarded by g_engine.lock */
  int encoded;              /* fed by an encoded audio sender (audio_encoded.c) */
  pthread_mutex_t lock;     /* guards everything below */
  pcm_frame** ring;
  int capacity, head, count;
  int staged;               /* samples per channel in the partial frame at the tail */
  int enabled;
  int publish_volume;       /* 0..400, 100 = as sent (adjust_publish_volume) */
  int send_delay_ms;        /* accepted and reported; the loopback has no send buffer to delay */
  uint64_t extra_send_ms;
  uint64_t frames_queued, frames_played, frames_dropped;
  int playing;              /* a frame was played and the queue has not been cleared since */
  int gap_ticks;            /* ticks the queue was empty while playing */
  uint64_t underruns, starved_ticks; /* gaps of <= UNDERRUN_MAX_GAP ticks that more audio followed */
  uint64_t encoded_sent, encoded_discarded; /* encoded frames delivered / sent while unpublished or disabled */
  struct pcm_sender* sender;
#define TRACK_SPARE_SLOTS 16
  pcm_frame* spare[TRACK_SPARE_SLOTS]; /* played slots kept for the next pushes */
  int spare_count;
  /* audio sinks (audio_sink.c); the engine thread only, except sink_count and the filter flags (lock) */
  int sink_count;
  int apm_enabled, agc_enabled;     /* filter audio_processing_pcm_source and its apm_config */
  double agc_gain;
  int64_t sink_tick, agc_tick;      /* the tick sink_frame was pulled / gain-controlled in */
  int64_t played_tick;              /* the tick that played the last frame (-1: none yet) */
  int sink_have;                    /* sink_frame holds audio for sink_tick */
  pcm_frame sink_frame;
} audio_track;

typedef struct pcm_sender {   /* also the encoded audio sender (MAGIC_AUDIO_ENCODED_SENDER) */
  uint32_t magic;
  pthread_mutex_t lock;     /* guards track */
  audio_track* track;
} pcm_sender;

#define UNDERRUN_MAX_GAP 50 /* a longer silence before more audio is a new stream, not an underrun */
pcm_sender* audio_sender_new(uint32_t magic);
void audio_sender_destroy(pcm_sender* s);
audio_track* audio_track_new(pcm_sender* s); /* the sender's track from now on */
/* Queues samples (track lock held); 0 or -ERR_RESOURCE_LIMITED (refused whole, counted). */
int audio_track_push(audio_track* t, const int16_t* pcm, int samples, int channels, int rate, uint32_t capture_ts,
                     int64_t pts);
void audio_track_retain(audio_track* t);   /* g_engine.lock held */
void audio_track_release(audio_track* t);  /* g_engine.lock held */
/* Scales samples by volume/100 with saturation (volume 0..400). */
void audio_apply_volume(int16_t* samples, size_t count, int volume);
/* Pops the next 10 ms frame into out; returns 1 if there was one. */
int audio_track_pull(audio_track* t, pcm_frame* out);
audio_track* audio_track_from(AGORA_HANDLE h); /* the track behind a handle, or NULL */

/* ---- audio_sink.c: sinks on local audio tracks (the external audio processor) ---- */
enum { AUDIO_FILTER_POSITION_REMOTE_PLAYBACK = 2, AUDIO_FILTER_POSITION_PCM_SOURCE = 3 };
struct audio_sink_obj;
void audio_sinks_tick(void);                 /* after the clock pulled the published tracks */
void audio_sinks_detach_track(audio_track* t); /* the track is being destroyed */
int audio_sinks_listening(void);             /* some sink is on a track: the clock must run */

/* ---- audio_labels.c: rms / voice_prob / pitch per sender and tick ---- */
#define VOICE_HISTORY 120        /* 30 ms at 4 kHz */
#define VOICE_HISTORY_FRAMES 3
#define FLOOR_SUB_FRAMES 15      /* noise floor: minima of 150 ms sub-windows... */
#define FLOOR_SUBWINDOWS 10      /* ...over the last 1.5 s */
typedef struct voice_detector {
  float history[VOICE_HISTORY];
  double noise_floor_db;
  double minima[FLOOR_SUBWINDOWS], sub_min;
  int minima_used, minima_next, sub_count;
  int hangover;
  int frames;
} voice_detector;

typedef struct audio_labels {
  int rms, voice_prob, music_prob, pitch;
  int peak;                 /* loudest sample, 0..32767 (volume indication) */
} audio_labels;

void voice_detector_reset(voice_detector* d);
void audio_labels_compute(voice_detector* d, const pcm_frame* f, audio_labels* out);
/* A frame's loudest sample (0..32767) and mean square of samples / 32767, over all channels: one pass. */
void audio_frame_level(const pcm_frame* f, int* peak, double* mean_square);

/* ---- transport.c: members in other processes ---- */
#define JITTER_RING 64
typedef struct remote_member {
  char user_id[MAX_ID_LEN + 1];
  char path[108];           /* the peer's socket */
  int64_t last_heard_ns;
  uint64_t received, lost, late, underruns, overflows;
  double transit_ms;        /* smoothed send-to-receive time of its audio packets */
  /* Receive jitter buffer, indexed by sequence number: packets may arrive out
   * of order; play_seq is the next to play, end one past the newest. */
  pcm_frame* ring[JITTER_RING];
  uint32_t ring_seq[JITTER_RING];
  uint8_t ring_full[JITTER_RING];
  uint32_t play_seq, end_seq;
  int started, primed;
  int target;               /* frames buffered before playing: grows when packets come late */
  int hold;                 /* ticks to wait (growing the cushion) before playing on */
  int64_t calm_ticks;       /* ticks since the last late packet (the target shrinks back) */
  int leaving;              /* said BYE: its buffered audio still plays, then it is removed */
  int64_t leaving_since_ns;
  struct outgoing* backlog[JITTER_RING]; /* audio the peer's full socket refused, resent first */
  int backlog_head, backlog_count;
  voice_detector voice;
  struct video_payload* video[JITTER_RING]; /* frames received, for the engine thread to deliver */
  int video_head, video_count;
  uint64_t quality_received, quality_lost, quality_late; /* counters at the last network quality report */
  struct remote_member* next;
} remote_member;

/* ---- data_stream.c ---- */
#define DS_MAX_STREAMS 5
#define DS_MAX_MESSAGE 1024
#define DS_WINDOW 256            /* reliable messages in flight per member */
enum { HAVE_DELIVERED = 1, HAVE_HELD = 2 }; /* ds_rx.have: a reliable message arrived, and where it is */

typedef struct ds_packet {       /* a message or an ACK, between members */
  uint32_t seq;                  /* message: its number; ACK: every message below it arrived */
  uint8_t stream_id, reliable, ordered, is_ack;
  uint16_t len;
  char from[MAX_ID_LEN + 1];     /* the sending user */
  uint8_t data[DS_MAX_MESSAGE];
} ds_packet;

typedef struct ds_peer {         /* one stream's messages to one member */
  char key[120];                 /* "local:<connection id>" or the member's socket path */
  uint32_t next_seq, acked;
  ds_packet* unacked[DS_WINDOW];
  int64_t sent_ms[DS_WINDOW];
  struct ds_peer* next;
} ds_peer;

typedef struct data_stream {
  int used, reliable, ordered;
  double tokens;                 /* rate limit: bytes that may be sent now */
  int64_t refill_ms;
  uint64_t sent, resent;
  ds_peer* peers;
} data_stream;

typedef struct ds_rx {           /* one member's stream, as received */
  char from[MAX_ID_LEN + 1];
  int stream_id;
  uint32_t expected;
  uint8_t have[DS_WINDOW];       /* 0, or HAVE_DELIVERED (unordered), HAVE_HELD (ordered, in held) */
  ds_packet* held[DS_WINDOW];    /* ordered: arrived early, waiting for the gap */
  struct ds_rx* next;
} ds_rx;

typedef struct stream_payload {  /* the payload of EV_STREAM_MESSAGE */
  size_t length;
  uint8_t data[];
} stream_payload;

struct connection;
void ds_receive(struct connection* r, const ds_packet* p, const char* reply_path, struct connection* sender);
void ds_ack(struct connection* s, const ds_packet* ack, const char* key);
void ds_tick(struct connection* c);   /* engine thread: resends */
void ds_reset(struct connection* c);  /* leaving the channel: messages in flight go (streams stay) */
void ds_forget_member(struct connection* r, const char* user_id, const char* key); /* that member left */
void ds_forget_local_member(struct connection* r, const struct connection* gone); /* ... in this process */

/* ---- connection.c / local_user.c ---- */
typedef struct resampler_slot {
  char user_id[MAX_ID_LEN + 1];
  int kind;
  resampler* r;
} resampler_slot;

/* ---- remote_track.c: a remote user's audio or video as one local user receives it ---- */
#define REMOTE_TRACK_FROZEN_MS 500
enum { TRACK_AUDIO, TRACK_VIDEO };
typedef struct remote_track {   /* also the remote audio/video track handle given to observers */
  uint32_t magic;               /* MAGIC_REMOTE_AUDIO or MAGIC_REMOTE_VIDEO */
  char user_id[MAX_ID_LEN + 1];
  struct connection* owner;     /* the receiving connection (outlives the entry) */
  int state;                    /* REMOTE_AUDIO_STATE_* (REMOTE_VIDEO_STATE_* has the same values) */
  int64_t last_frame_ms;
  int width, height;            /* video: last frame's size; audio: sample rate, channels */
  uint64_t frames, bytes;       /* statistics (stats.c) */
  int64_t first_frame_ms, frozen_since_ms, frozen_total_ms;
  int64_t subscribe_state_ms;   /* engine time of the last subscribe state change */
  int published;                /* the user publishes this kind, as far as this user knows (on_user_info_updated) */
  int shown_width, shown_height, shown_rotation; /* video: the size last reported (on_video_size_changed) */
  int size_reported, rendered;  /* video, since the stream (re)started: size reported, frame handed to an observer */
  struct remote_track* next;
} remote_track;

/* Volume indication (agora_local_user_set_audio_volume_indication_parameters). */
typedef struct speaker_level {
  char user_id[MAX_ID_LEN + 1];
  int peak;                 /* loudest sample this interval, 0..32767 */
  int voiced, pitch;        /* voice seen this interval (labels), last pitch */
  double smoothed;          /* volume after smoothing, 0..255 */
} speaker_level;

typedef struct volume_indication {
  int interval_ms;          /* 0 = off */
  int smooth;
  int report_vad;
  int64_t next_ms;          /* engine time of the next report */
  speaker_level* levels;
  int count, capacity;
  char active_speaker[MAX_ID_LEN + 1];
} volume_indication;

typedef struct frame_params {
  int set;
  int channels;
  int sample_rate;
} frame_params;

typedef struct local_user {
  uint32_t magic;
  struct connection* conn;
  int observer_set;
  local_user_observer observer;
  int audio_observer_set;
  audio_frame_observer audio_observer;
  frame_params playback, record, mixed, before_mixing;
  audio_track* published[4];
  int published_count;
  int subscribe_all;
  char** subscribed;        /* explicit subscriptions when !subscribe_all */
  int subscribed_count;
  resampler_slot* resamplers;
  int resampler_count;
  int role;
  int playback_volume;      /* 0..400, 100 = as received (adjust_playback_signal_volume) */
  volume_indication volume;
  remote_track* remote_tracks; /* kept until the connection goes: handles stay valid */
  /* video (video_delivery.c) */
  struct video_track* published_video[4];
  int published_video_count;
  int video_subscribe_all;
  video_subscription_options video_all_options;
  struct video_subscription* video_subscribed;
  int video_subscribed_count;
  struct video_observer** video_observers; /* raw and encoded frame observers, registered */
  int video_observer_count;
  int audio_scenario;
  int encoded_audio_observer_set;
  loopback_audio_encoded_frame_observer encoded_audio_observer;
  int64_t publish_state_ms[2];  /* TRACK_AUDIO, TRACK_VIDEO: engine time of the last publish state change */
} local_user;

enum { TRACK_STATS_LOCAL_AUDIO, TRACK_STATS_REMOTE_AUDIO, TRACK_STATS_LOCAL_VIDEO, TRACK_STATS_REMOTE_VIDEO };

/* ---- faults.c: injected network faults (loopback.fault.*), engine-wide or per connection ---- */
enum { FAULT_LOSS, FAULT_JITTER, FAULT_REORDER, FAULT_BANDWIDTH, FAULT_COUNT };
typedef struct fault_config {
  double value[FAULT_COUNT];
  int set[FAULT_COUNT];           /* per connection: overrides the engine-wide value */
} fault_config;
struct connection;
double fault_value(const struct connection* c, int which); /* c may be NULL: engine-wide */
int fault_lost(const struct connection* c);                 /* this packet is lost (loss_percent) */
/* Audio packet to another process: ticks to hold it (jitter, reorder), or -1 to drop it (bandwidth). */
int fault_audio_delay(struct connection* c, size_t bytes);
int fault_outage_active(const struct connection* c);        /* the connection has no network now */
/* QUALITY_TYPE: EXCELLENT < 1% loss and < 20 ms jitter, GOOD < 3% / 50 ms, POOR < 8% / 100 ms,
 * BAD < 15% / 200 ms, else VBAD */
int quality_of(double loss_percent, double jitter_ms);
/* c's uplink from its faults (loss, jitter; reorder counts as 30 ms of jitter); DOWN during an outage */
int fault_quality(const struct connection* c);
void fault_tick(struct connection* c);                      /* clock: outage lost / over */
struct parameter;
int faults_check(const char* key, double value); /* 1 valid, 0 out of range, -1 not a fault key */
const char* faults_range(const char* key);        /* what a fault key takes, in words */
int faults_set(struct parameter* scope, const char* key, double value);
int faults_get(struct parameter* scope, const char* key, double* value); /* g_engine.lock held */

typedef struct delayed_packet {  /* an audio packet held back by injected jitter */
  int64_t due_tick;
  uint64_t order;
  char path[108];
  size_t len;
  uint8_t* bytes;                 /* header + payload */
} delayed_packet;

typedef struct parameter {
  uint32_t magic;
  struct connection* conn;        /* a connection's own parameters, or NULL: the engine's */
} parameter;

typedef struct connection {
  uint32_t magic;
  int refs;
  int destroyed;
  int state;
  conn_id_t id;
  rtc_conn_config config;
  int observer_set;
  rtc_conn_observer observer;
  struct channel* channel;
  char channel_id[MAX_CHANNEL_LEN + 1];
  char user_id[MAX_ID_LEN + 1];
  uid_t internal_uid;
  struct connection* next_in_channel;
  struct service* service;
  local_user user;
  struct parameter* parameter;
  int sock;                 /* transport socket, -1 when not joined */
  char sock_path[108];
  char channel_dir[200];
  remote_member* remotes;
  uint32_t send_seq;
  int64_t last_heartbeat_ns;
  uint64_t packets_dropped_send;
  uint64_t rx_received, rx_lost, rx_underruns, rx_overflows; /* from other processes, all members ever */
  uint64_t rx_video_received, rx_video_dropped;               /* video frames from other processes */
  uint64_t video_dropped_send;                                /* video a member's full socket refused */
  char* token;              /* the token admitted with (when verified), for will-expire */
  int64_t token_expires_at; /* unix seconds on the token clock; 0 = not verified */
  int token_warned;         /* on_token_privilege_will_expire sent for this token */
  char sid[33];             /* session id, new for every connect */
  int64_t joined_ms;        /* engine time of the last connect (elapsed in first-frame callbacks) */
  voice_detector voice;     /* labels of what this connection publishes */
  data_stream streams[DS_MAX_STREAMS];
  ds_rx* rx;
  /* encryption.c: a tag of (mode, key, salt) stands for the key; 0 = not encrypted */
  uint64_t media_tag, data_tag;
  uint64_t decryption_failures;     /* packets from members whose key differs */
  uint32_t reported[16];            /* senders already reported (hashes), cleared at connect */
  int reported_count;
  uint64_t media_messages_dropped;  /* encoded audio / meta data a member's full socket refused */
  parameter own_parameter;          /* agora_rtc_conn_get_agora_parameter: loopback.fault.* for this connection */
  fault_config faults;
  double bandwidth_tokens;          /* bytes that may leave now (bandwidth_kbps) */
  int64_t bandwidth_refill_ms;
  delayed_packet* delayed;          /* held back by jitter / reorder */
  int delayed_count, delayed_capacity;
  uint64_t delayed_order;
  uint64_t fault_dropped;           /* packets dropped by the bandwidth cap */
  int extra_send_frames;            /* che.audio.extra_send_frames_per_interval_for_fake_adm set here; 0: not set */
  int64_t outage_until_ms;          /* engine time: no network until then (0: none) */
  int64_t outage_started_ms;
  int outage_lost_reported;
  uint64_t rx_late;                 /* audio packets that came after their play time */
  /* Joining: CONNECTING until the members in other processes answered our hello (or a
   * deadline), so that on_connected means "everyone already here can hear you". */
  int joining;
  int pending_hellos;
  int hello_unsent;             /* a HELLO met a full queue: the heartbeat says hello again to those unknown */
  int64_t hello_deadline_ns;
  /* stats.c: bytes sent and received (audio frames as PCM, video as sent), on_transport_stats every 2 s */
  uint64_t tx_audio_bytes, tx_video_bytes, rx_audio_bytes, rx_video_bytes;
  int tx_audio_rate, tx_audio_channels, tx_audio_pitch; /* the last frame this user sent (local audio stats) */
  uint64_t tx_audio_frames;               /* 10 ms frames sent (detailed local audio stats) */
  int tx_audio_peak;                      /* of the last frame sent, 0..32767 */
  double tx_audio_energy;                 /* sum of (rms / 32767)^2 * 0.01 s over frames sent */
  int64_t first_audio_ms, first_video_ms; /* engine time of the first frame received, 0: none yet */
  struct stats_snapshot {
    int64_t at_ms, cpu_ns, wall_ns;
    uint64_t tx_audio, tx_video, rx_audio, rx_video, rx_received, rx_lost, tx_sent, tx_dropped;
  } stats_prev;
} connection;

int transport_start(void);
void transport_stop(void);
int transport_join(connection* c);
void transport_leave(connection* c);
void transport_send_audio(connection* c, const pcm_frame* f);
int transport_pull(connection* c, remote_member* m, pcm_frame* out);
int transport_stat(const char* name, double* value); /* g_engine.lock held */
void transport_send_data(connection* c, const char* path, const ds_packet* p);
void transport_send_video(connection* c, int simulcast, const struct video_payload* p); /* engine thread */
void transport_send_video_stop(connection* c);  /* c unpublished its video */
void transport_flush_delayed(connection* c);    /* engine thread, each tick: held packets now due */
void transport_rejoin(connection* c);           /* back from an outage: hello to every member again */
void transport_reap(connection* c);             /* engine thread, each tick: members that left and played out */
int transport_send_intra_request(connection* c, const char* user_id); /* 0 if user_id is a member elsewhere */

/* ---- audio_encoded.c: encoded audio frames and audio meta data, sender to every member ---- */
enum { MEDIA_ENCODED_AUDIO = 1, MEDIA_AUDIO_META_DATA = 2 };
typedef struct media_message {    /* the payload of EV_MEDIA_MESSAGE, and the wire form */
  uint32_t kind;                  /* MEDIA_* */
  uint32_t length;
  encoded_audio_frame_info info;  /* encoded audio only */
  uint8_t data[];
} media_message;
void transport_send_media(connection* c, const media_message* m); /* to every member elsewhere */
/* A message from user_id (sent with tag) for r: checks subscription and key, posts the event. g_engine.lock held. */
void media_message_received(connection* r, const char* user_id, uint64_t tag, const media_message* m);

/* ---- encryption.c ---- */
/* 1 if r cannot decrypt what user_id sent with tag (counted; on_encryption_error once per sender). */
int encryption_blocks(connection* r, const char* user_id, uint64_t tag, int data_stream);
void encryption_reset_reports(connection* c);

/* A live object behind an API handle, or NULL (wrong kind, destroyed). */
connection* connection_from(AGORA_HANDLE h);
local_user* local_user_from(AGORA_HANDLE h);

void connection_retain(connection* c);   /* g_engine.lock held */
void connection_release(connection* c);  /* g_engine.lock held */
void connection_fail(connection* c, int reason); /* g_engine.lock held */
/* g_engine.lock held: CONNECTED, on_connected, then on_user_joined for every member already there. */
void connection_joined(connection* c);
int local_user_is_subscribed(const local_user* u, const char* user_id);
resampler* local_user_resampler(local_user* u, const char* user_id, int kind, int in_rate, int out_rate, int channels);
void local_user_forget(local_user* u, const char* user_id);
void local_user_mix_key(const void* track, char* out, size_t cap); /* audio_clock.c's slot for mixing it */
void local_user_forget_mix(local_user* u, const void* track);      /* unpublished: that slot goes */
void local_user_clear(local_user* u);

/* ---- channel.c ---- */
typedef struct channel {
  char app_id[MAX_ID_LEN + 1];
  char name[MAX_CHANNEL_LEN + 1];
  connection* members;
  struct channel* next;
} channel;

int channel_join(connection* c, const char* channel_name, const char* user_id);
void channel_leave(connection* c, int reason);

/* ---- log.c: the log file (agora_service_set_log_file, service config log_file_path) ---- */
int engine_log_open(const char* path, uint64_t max_bytes); /* replaces any open log */
void engine_log_close(void);
void engine_log(const char* fmt, ...) __attribute__((format(printf, 1, 2))); /* one line; no-op without a file */

/* ---- events.c: posted under g_engine.lock, delivered by the engine thread ---- */
enum event_type {
  EV_CONNECTING,
  EV_CONNECTED,
  EV_DISCONNECTED,
  EV_CONNECTION_FAILURE,
  EV_USER_JOINED,
  EV_USER_LEFT,
  EV_AUDIO_PUBLISH_SUCCESS,
  EV_AUDIO_UNPUBLISHED,
  EV_TOKEN_WILL_EXPIRE,
  EV_TOKEN_DID_EXPIRE,
  EV_VOLUME_INDICATION,     /* payload: a volume_report */
  EV_ACTIVE_SPEAKER,
  EV_STREAM_MESSAGE,        /* payload: a stream_payload; reason: stream id */
  EV_STREAM_ERROR,          /* reason: stream id; payload: int missed */
  EV_REMOTE_TRACK_SUBSCRIBED,   /* track: the remote_track (audio or video by its magic) */
  EV_REMOTE_TRACK_STATE,        /* track; arg1: state, arg2: reason, reason: elapsed ms */
  EV_FIRST_REMOTE_FRAME,        /* track; reason: elapsed ms */
  EV_FIRST_REMOTE_DECODED,
  EV_VIDEO_PUBLISH_SUCCESS,
  EV_VIDEO_UNPUBLISHED,
  EV_INTRA_REQUEST,             /* a subscriber asked this publisher for a key frame */
  EV_MEDIA_MESSAGE,             /* payload: a media_message */
  EV_ENCRYPTION_ERROR,          /* reason: ENCRYPTION_ERROR_TYPE */
  EV_RECONNECTING,              /* reason: CONNECTION_CHANGED_* */
  EV_RECONNECTED,
  EV_CONNECTION_LOST,
  EV_TRANSPORT_STATS,           /* payload: an rtc_stats */
  EV_AUDIO_PUBLISH_STATE,       /* arg1: old, arg2: new STREAM_PUBLISH_STATE; reason: elapsed ms */
  EV_VIDEO_PUBLISH_STATE,
  EV_AUDIO_SUBSCRIBE_STATE,     /* user_id; arg1: old, arg2: new STREAM_SUBSCRIBE_STATE; reason: elapsed ms */
  EV_VIDEO_SUBSCRIBE_STATE,
  EV_TRACK_STATS,               /* arg1: TRACK_STATS_*; track; payload: the stats struct */
  EV_LOCAL_TRACK_STATE,         /* track; arg1: TRACK_AUDIO / TRACK_VIDEO, arg2: LOCAL_*_STREAM_STATE; reason: error */
  EV_TRACK_PUBLISH_START,       /* track; arg1: TRACK_AUDIO / TRACK_VIDEO */
  EV_CHANGE_ROLE_SUCCESS,       /* arg1: old, arg2: new CLIENT_ROLE_TYPE */
  EV_NETWORK_TYPE,              /* reason: NETWORK_TYPE */
  EV_USER_NETWORK_QUALITY,      /* user_id; arg1: tx, arg2: rx QUALITY_TYPE */
  EV_USER_INFO,                 /* user_id; arg1: USER_MEDIA_INFO, arg2: value */
  EV_USER_STATE,                /* user_id; arg1: REMOTE_USER_STATE bits */
  EV_VIDEO_SIZE,                /* user_id; arg1: width, arg2: height; reason: rotation */
  EV_FIRST_VIDEO_RENDERED,      /* user_id; arg1: width, arg2: height; reason: elapsed ms */
  EV_REMOTE_VIDEO_STREAM_INFO,  /* user_id */
};

typedef struct event {
  int type;
  connection* conn;         /* holds a reference */
  void* track;              /* for publish events (handle value only) */
  int reason;
  int state;
  char user_id[MAX_ID_LEN + 1];
  void* payload;            /* owned (free) */
  int arg1, arg2;
  struct event* next;
} event;

void event_post(int type, connection* c, const char* user_id, int reason, void* track);
/* As event_post, handing over a malloc'd payload (freed after delivery, or at once on failure). */
void event_post_payload(int type, connection* c, const char* user_id, int reason, void* payload);
void event_post_args(int type, connection* c, const char* user_id, int reason, void* track, int arg1, int arg2);
void event_post_track_stats(connection* c, int which, void* track, void* stats); /* takes stats */

/* A frame of `bytes` from user_id reached r (audio: the clock, a = rate, b = channels; video: delivery, a x b). */
void remote_track_frame(connection* r, int kind, const char* user_id, int a, int b, size_t bytes);
void remote_track_tick(connection* r);                                   /* clock: frozen after 500 ms without frames */
void remote_track_stopped(connection* r, int kind, const char* user_id, int reason); /* unpublished or left */
void remote_tracks_offline(connection* r, const char* user_id); /* user_id left: audio and video STOPPED */
void remote_track_clear(local_user* u);
void local_user_publish_state(local_user* u, int kind, int published); /* posts the publish state changes */
/* A track of `kind` was published (on_local_*_track_state_changed ENCODING, on_*_track_publish_start; the
 * caller posts publish success next) or unpublished (STOPPED). */
void local_user_track_published(local_user* u, int kind, void* track, int published);
void remote_video_size(connection* r, const char* user_id, int width, int height, int rotation); /* delivery */
void remote_video_rendered(connection* r, const char* user_id, int width, int height); /* a frame to an observer */
void stats_tick(connection* c);   /* clock: on_transport_stats every 2 s of engine time */

/* ---- video_track.c, video_convert.c, video_delivery.c ---- */
#define VIDEO_QUEUE_FRAMES 64     /* frames a published track holds for the engine thread... */
#define VIDEO_QUEUE_BYTES (64 << 20) /* ...and bytes (ten 1080p RGBA-sized frames of I420 and more) */
#define VIDEO_MAX_DIMENSION 7680
typedef struct video_payload {    /* one sent frame; immutable once queued, shared by its receivers */
  int refs;                       /* atomic */
  int encoded;
  int width, height, rotation;    /* raw: I420, strides width and (width + 1) / 2 */
  int64_t timestamp_ms;
  uint8_t *y, *u, *v, *alpha, *metadata;
  int metadata_size;
  struct video_payload* low;      /* raw, simulcast on: the low stream */
  int sender_simulcast;           /* from another process: its track declared a low stream */
  void* mapping;                  /* from another process: the shared file's pages, unmapped on release */
  size_t mapping_length;
  uint8_t* data;                  /* encoded */
  size_t length;
  encoded_video_frame_info info;
} video_payload;

typedef struct video_track {
  uint32_t magic;
  int refs;                       /* guarded by g_engine.lock */
  int encoded;                    /* fed by an encoded image sender */
  pthread_mutex_t lock;           /* guards everything below */
  int enabled, published;
  video_encoder_config config;
  int simulcast;
  simulcast_stream_config simulcast_config;
  sender_options options;
  video_payload* queue[VIDEO_QUEUE_FRAMES];
  int head, count;
  size_t queued_bytes;
  uint64_t frames_sent, frames_dropped, frames_discarded, bytes_sent;
  int64_t first_sent_ms, last_sent_ms;  /* engine time (statistics) */
  int last_width, last_height;
  struct video_sender* sender;
} video_track;

typedef struct video_sender {
  uint32_t magic;                 /* MAGIC_VIDEO_SENDER or MAGIC_ENCODED_SENDER */
  pthread_mutex_t lock;           /* guards track */
  video_track* track;
} video_sender;

typedef struct video_subscription {
  char* user_id;
  video_subscription_options options;
} video_subscription;

typedef struct video_observer {   /* a raw (video_frame_observer2) or encoded frame observer */
  uint32_t magic;
  int refs;                       /* g_engine.lock: the creator, each registration, deliveries in flight */
  int destroyed;
  video_frame_observer2 raw;
  video_encoded_frame_observer encoded;
} video_observer;

void video_payload_release(video_payload* p);
size_t video_i420_bytes(int width, int height, int with_alpha, int metadata_size); /* planes, alpha, metadata */
void video_i420_layout(video_payload* p, uint8_t* base, int with_alpha); /* points planes into base */
/* video_transport.c: a frame as a shared-memory file (fd, or -1) and its description, for other processes */
typedef struct video_wire {
  int32_t encoded, width, height, rotation;
  int32_t has_alpha, metadata_size, sender_simulcast, low_width, low_height;
  int32_t reserved;
  int64_t timestamp_ms;
  uint64_t length;                /* encoded: bytes */
  encoded_video_frame_info info;
} video_wire;
int video_wire_file(const video_payload* p, int simulcast, video_wire* out);
video_payload* video_wire_open(const video_wire* w, int fd); /* takes nothing: the caller closes fd */
void video_remote_received(connection* c, remote_member* m, video_payload* p); /* transport thread, lock held */
void video_track_release(video_track* t);       /* g_engine.lock held */
video_payload* video_track_pop(video_track* t); /* engine thread */
void video_track_discard_queued(video_track* t); /* unpublished everywhere; g_engine.lock held */
void video_deliver(void);                       /* engine thread, g_engine.lock held */
void video_observer_release(video_observer* o); /* g_engine.lock held */
void video_user_clear(local_user* u);           /* g_engine.lock held */
void video_unpublished(connection* c);          /* members stop seeing c's video */
const video_subscription_options* video_subscription_of(const local_user* u, const char* user_id);
void remote_video_info(const connection* c, const char* user_id, const char* channel_id, video_track_info* info);
/* The engine thread is woken for queued video without g_engine.lock on the send path. */
void engine_kick(void);
/* Conversions to I420 (BT.601 limited range for RGB). Return 0 or -ERR_*. */
void video_i420_copy(const uint8_t* src, int stride, int width, int height, uint8_t* y, uint8_t* u, uint8_t* v);
void video_nv12_to_i420(const uint8_t* src, int stride, int width, int height, int swap_uv, uint8_t* y, uint8_t* u,
                        uint8_t* v);
void video_rgba_to_i420(const uint8_t* src, int stride, int width, int height, int bgra, uint8_t* y, uint8_t* u,
                        uint8_t* v, uint8_t* alpha);
void video_plane_scale(const uint8_t* src, int sw, int sh, uint8_t* dst, int dw, int dh);
void video_i420_scale(const uint8_t* sy, const uint8_t* su, const uint8_t* sv, int sw, int sh, uint8_t* dy,
                      uint8_t* du, uint8_t* dv, int dw, int dh);

/* ---- volume.c ---- */
typedef struct volume_report { /* the payload of EV_VOLUME_INDICATION */
  int total_volume;
  unsigned int count;
  audio_volume_info speakers[]; /* followed by count user ids of MAX_ID_LEN + 1 bytes */
} volume_report;
int volume_indication_active(void);  /* any user asked for it: the clock measures peaks */
void volume_observe(local_user* u, const char* user_id, const audio_labels* labels);
void volume_tick(connection* c);     /* reports when an interval ended */
void volume_clear(local_user* u);
void events_deliver(void);   /* engine thread, g_engine.lock held */
void events_discard(void);   /* g_engine.lock held */

/* ---- service.c ---- */
typedef struct service {
  uint32_t magic;
  int refs;
  int initialized;
  int released;
  agora_service_config config;
  char app_id[MAX_ID_LEN + 1];
  parameter parameter;
} service;

typedef struct engine {
  pthread_mutex_t lock;
  pthread_cond_t wake;       /* engine thread: events posted or stop asked */
  pthread_cond_t cb_done;    /* a callback returned */
  pthread_t thread;
  int running;
  int stop;
  int in_callback;
  service* active;           /* the initialized service, if any */
  channel* channels;
  event* events_head;
  event* events_tail;
  double clock_speed;        /* parameter loopback.clock_speed; 1 = real time */
  fault_config faults;       /* loopback.fault.* set on the service: every connection without its own */
  char app_certificate[65];  /* parameter loopback.app_certificate; "" = tokens not verified */
  double time_offset_s;      /* parameter loopback.time_offset_s: shifts the token clock (tests) */
  int labels_enabled;        /* parameter che.audio.label.enable: label received frames */
  /* Fast start (the official SendExternalAudioParameters): stored and reported; with no network to send
   * ahead into, the loopback plays every track at real-time pace whatever they say. */
  int extra_send_frames;     /* che.audio.extra_send_frames_per_interval_for_fake_adm, 1..5; 0: not set */
  int mute_data_off;         /* che.audio.deliver_mute_data_for_fake_adm set false */
  int volume_users;          /* local users with volume indication on */
  int64_t ticks;
  uint64_t late_ticks;
  conn_id_t next_conn_id;
  uint32_t next_uid;
  int live_tracks, live_senders, live_factories; /* object counts, for leak checks */
  int live_video_tracks, live_video_senders, live_video_observers;
  int idle;                  /* engine thread waits with nothing queued (engine_kick) */
  int video_pending;         /* frames queued on some track (atomic) */
  struct audio_sink_obj** sinks; /* audio sinks (audio_sink.c) */
  int sink_count, sink_capacity;
  unsigned sinks_changed;           /* bumped on every add and remove: a tick rescans after a callback changed it */
  connection** conns;        /* every live connection, for the clock */
  int conn_count, conn_capacity;
} engine;

extern engine g_engine;

int engine_on_engine_thread(void);
/* Waits, with g_engine.lock held, until no callback is running, unless the
 * caller is that callback (then it returns at once). */
void engine_wait_callbacks(void);
void engine_wake(void);
int engine_start_thread(void);
void engine_stop_thread(void);
void audio_clock_tick(void);      /* engine thread, g_engine.lock held */
int64_t engine_now_ms(void);

/* Calls an observer slot with g_engine.lock dropped for the call. */
#define ENGINE_CALLBACK(slot, ...)                          \
  do {                                                      \
    __typeof__(slot) fn__ = (slot);                         \
    if (fn__) {                                             \
      g_engine.in_callback++;                               \
      pthread_mutex_unlock(&g_engine.lock);                 \
      fn__(__VA_ARGS__);                                    \
      pthread_mutex_lock(&g_engine.lock);                   \
      g_engine.in_callback--;                               \
      pthread_cond_broadcast(&g_engine.cb_done);            \
    }                                                       \
  } while (0)

int params_apply_json(parameter* scope, const char* json);
int params_set_string(const char* key, const char* value);
int params_valid_array(const char* json);
int params_bad_call(void);                  /* -ERR_INVALID_ARGUMENT, with its refusal reason */
int params_accepted(void);                  /* ERR_OK, no refusal left from before */
int params_refuse_array(const char* key);

/* ---- token.c ---- */
#define TOKEN_WILL_EXPIRE_S 30
int64_t token_now(void);
void token_hmac_sha256(const uint8_t* key, size_t key_len, const uint8_t* msg, size_t msg_len, uint8_t out[32]);
/* ERR_OK with *expires_at set, or CONNECTION_CHANGED_INVALID_TOKEN / _TOKEN_EXPIRED. */
int token_verify(const char* token, const char* certificate, const char* app_id, const char* channel,
                 const char* user_id, int64_t* expires_at);
void token_check_expiry(void); /* engine thread, g_engine.lock held */
int params_set_number(parameter* scope, const char* key, double value);
int params_get_number(parameter* scope, const char* key, double* value);
