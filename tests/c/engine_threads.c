/* The engine driven from several threads at once, straight through its C API
 * (no Python): a sender thread pushes PCM, a control thread flips
 * subscriptions, observers, volume indication and parameters, a data thread
 * sends stream messages, a video thread sends RGBA frames (converted and
 * queued without the engine lock) while the control thread re-registers the
 * video observer, and the engine and transport threads deliver. With
 * "transport", a forked child process publishes video too: its frames come in
 * through the transport thread (a shared-memory file per frame) while all that
 * runs, and ours go out to it.
 * Built with -fsanitize=thread by `make tsan`; must finish with no report and
 * the expected deliveries. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agora_c/agora_base.h"
#include "agora_c/agora_local_track.h"
#include "agora_c/agora_local_user.h"
#include "agora_c/agora_media_base.h"
#include "agora_c/agora_media_node_factory.h"
#include "agora_c/agora_parameter.h"
#include "agora_c/agora_rtc_conn.h"
#include "agora_c/agora_service.h"
#include "agora_c/agora_video_track.h"

static atomic_int frames, messages, joined, stop, video_frames, remote_video_frames;

static void on_video_frame(AGORA_HANDLE o, const char* ch, user_id_t uid, const video_frame* f) {
  (void)o, (void)ch, (void)uid;
  if (f->width == 32 && f->height == 16 && f->y_buffer[0] == 16) atomic_fetch_add(&video_frames, 1);
  if (f->width == 48 && f->height == 16 && f->y_buffer[0] == 200 && strcmp(uid, "far") == 0)
    atomic_fetch_add(&remote_video_frames, 1);
}

/* The forked child: another process in the same channel, publishing 48x16 I420 frames. */
static AGORA_HANDLE new_service(void) {
  AGORA_HANDLE s = agora_service_create();
  agora_service_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.app_id = "tsan";
  cfg.use_string_uid = 1;
  return agora_service_initialize(s, &cfg) == 0 ? s : NULL;
}

static int far_publisher(void) {
  AGORA_HANDLE s = new_service();
  if (!s) return 1;
  rtc_conn_config cc;
  memset(&cc, 0, sizeof cc);
  cc.client_role_type = CLIENT_ROLE_BROADCASTER;
  AGORA_HANDLE c = agora_rtc_conn_create(s, &cc);
  agora_rtc_conn_connect(c, "", "room", "far");
  AGORA_HANDLE f = agora_service_create_media_node_factory(s);
  AGORA_HANDLE vs = agora_media_node_factory_create_video_frame_sender(f);
  AGORA_HANDLE vt = agora_service_create_custom_video_track_frame(s, vs);
  agora_local_video_track_set_enabled(vt, 1);
  agora_local_user_publish_video(agora_rtc_conn_get_local_user(c), vt);
  static uint8_t i420[48 * 16 * 3 / 2];
  memset(i420, 200, sizeof i420);
  usleep(300000); /* the parent's members say hello */
  for (int i = 0; i < 150; i++) {
    external_video_frame v;
    memset(&v, 0, sizeof v);
    v.type = VIDEO_BUFFER_RAW_DATA;
    v.format = VIDEO_PIXEL_I420;
    v.buffer = i420;
    v.stride = 48;
    v.height = 16;
    agora_video_frame_sender_send(vs, &v);
    usleep(5000);
  }
  usleep(300000);
  agora_service_release(s);
  agora_rtc_conn_destroy(c);
  agora_local_video_track_destroy(vt);
  agora_video_frame_sender_destroy(vs);
  agora_media_node_factory_destroy(f);
  return 0;
}

static int on_before_mixing(AGORA_HANDLE u, const char* ch, user_id_t uid, const audio_frame* f) {
  (void)u, (void)ch, (void)uid;
  if (f->samples_per_channel == 160) atomic_fetch_add(&frames, 1);
  return 1;
}

static void on_message(AGORA_HANDLE u, user_id_t uid, int stream, const char* data, size_t n) {
  (void)u, (void)uid, (void)stream, (void)data, (void)n;
  atomic_fetch_add(&messages, 1);
}

static void on_joined(AGORA_HANDLE c, user_id_t uid) {
  (void)c, (void)uid;
  atomic_fetch_add(&joined, 1);
}

static AGORA_HANDLE svc, a, b, sender, track, video_sender, video_track, video_observer;
static int stream_id;

static void* send_loop(void* arg) {
  (void)arg;
  int16_t pcm[160];
  for (int i = 0; i < 160; i++) pcm[i] = (int16_t)(i * 50);
  for (int i = 0; i < 2000 && !atomic_load(&stop); i++) {
    agora_audio_pcm_data_sender_send(sender, pcm, 0, 0, 160, 2, 1, 16000);
    if (i % 50 == 0) usleep(1000);
  }
  return NULL;
}

static void* video_loop(void* arg) {
  (void)arg;
  static uint8_t rgba[32 * 16 * 4]; /* black, opaque */
  for (int i = 3; i < (int)sizeof rgba; i += 4) rgba[i] = 255;
  external_video_frame f;
  memset(&f, 0, sizeof f);
  f.type = VIDEO_BUFFER_RAW_DATA;
  f.format = VIDEO_PIXEL_RGBA;
  f.buffer = rgba;
  f.stride = 32;
  f.height = 16;
  f.fill_alpha_buffer = 1;
  for (int i = 0; i < 300 && !atomic_load(&stop); i++) {
    agora_video_frame_sender_send(video_sender, &f);
    if (i % 10 == 0) usleep(1000);
  }
  return NULL;
}

static void* control_loop(void* arg) {
  (void)arg;
  AGORA_HANDLE user_b = agora_rtc_conn_get_local_user(b);
  AGORA_HANDLE param = agora_service_get_agora_parameter(svc);
  audio_frame_observer obs;
  memset(&obs, 0, sizeof obs);
  obs.on_playback_audio_frame_before_mixing = on_before_mixing;
  for (int i = 0; i < 300 && !atomic_load(&stop); i++) {
    agora_local_user_unsubscribe_audio(user_b, "a");
    agora_local_user_subscribe_audio(user_b, "a");
    agora_local_user_unregister_audio_frame_observer(user_b);
    agora_local_user_register_audio_frame_observer(user_b, &obs);
    agora_local_user_set_audio_volume_indication_parameters(user_b, i % 2 ? 50 : 0, 3, true);
    if (i % 10 == 5) agora_local_user_unregister_video_frame_observer(user_b, video_observer);
    if (i % 10 == 6) agora_local_user_register_video_frame_observer(user_b, video_observer);
    agora_parameter_set_parameters(param, i % 2 ? "{\"che.audio.label.enable\": true}" : "{\"che.audio.label.enable\": false}");
    usleep(500);
  }
  return NULL;
}

static void* data_loop(void* arg) {
  (void)arg;
  for (int i = 0; i < 300 && !atomic_load(&stop); i++) {
    char msg[32];
    int n = snprintf(msg, sizeof msg, "m%d", i);
    while (agora_rtc_conn_send_stream_message(a, stream_id, msg, (uint32_t)n) == -ERR_TOO_OFTEN) usleep(1000);
  }
  return NULL;
}

int main(int argc, char** argv) {
  /* "transport": also run the cross-process transport thread (its own rendezvous dir) */
  char dir[] = "/tmp/agora-rtc-tsan-XXXXXX";
  int transport = argc > 1 && strcmp(argv[1], "transport") == 0;
  if (transport && mkdtemp(dir)) setenv("AGORA_RTC_LOOPBACK_DIR", dir, 1);
  else setenv("AGORA_RTC_LOOPBACK_TRANSPORT", "off", 1);
  pid_t child = -1;
  if (transport && (child = fork()) == 0) _exit(far_publisher()); /* before any thread exists */
  if (!(svc = new_service())) return 1;
  agora_parameter_set_parameters(agora_service_get_agora_parameter(svc),
                                 "{\"loopback.clock_speed\": 20, \"loopback.fault.loss_percent\": 5}");
  rtc_conn_config cc;
  memset(&cc, 0, sizeof cc);
  cc.auto_subscribe_audio = 1;
  cc.auto_subscribe_video = 1;
  cc.client_role_type = CLIENT_ROLE_BROADCASTER;
  a = agora_rtc_conn_create(svc, &cc);
  b = agora_rtc_conn_create(svc, &cc);
  rtc_conn_observer co;
  memset(&co, 0, sizeof co);
  co.on_user_joined = on_joined;
  agora_rtc_conn_register_observer(b, &co);
  local_user_observer uo;
  memset(&uo, 0, sizeof uo);
  uo.on_stream_message = on_message;
  agora_local_user_register_observer(agora_rtc_conn_get_local_user(b), &uo);
  agora_rtc_conn_connect(a, "", "room", "a");
  agora_rtc_conn_connect(b, "", "room", "b");
  AGORA_HANDLE factory = agora_service_create_media_node_factory(svc);
  sender = agora_media_node_factory_create_audio_pcm_data_sender(factory);
  track = agora_service_create_custom_audio_track_pcm(svc, sender);
  agora_local_audio_track_set_max_bufferd_frame_number(track, 5000);
  agora_local_user_publish_audio(agora_rtc_conn_get_local_user(a), track);
  agora_rtc_conn_create_data_stream(a, &stream_id, 1, 1);
  video_sender = agora_media_node_factory_create_video_frame_sender(factory);
  video_track = agora_service_create_custom_video_track_frame(svc, video_sender);
  agora_local_user_publish_video(agora_rtc_conn_get_local_user(a), video_track);
  video_frame_observer2 vo = {on_video_frame};
  video_observer = agora_video_frame_observer2_create(&vo);
  agora_local_user_register_video_frame_observer(agora_rtc_conn_get_local_user(b), video_observer);

  pthread_t t[4];
  pthread_create(&t[0], NULL, send_loop, NULL);
  pthread_create(&t[1], NULL, control_loop, NULL);
  pthread_create(&t[2], NULL, data_loop, NULL);
  pthread_create(&t[3], NULL, video_loop, NULL);
  for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
  for (int i = 0; i < 200 && atomic_load(&messages) < 300; i++) usleep(10000);
  int child_status = 0;
  if (child > 0) {
    for (int i = 0; i < 300 && atomic_load(&remote_video_frames) == 0; i++) usleep(10000);
    waitpid(child, &child_status, 0);
  }

  /* Release in the official SDK's order: service first, children after. */
  agora_service_release(svc);
  agora_rtc_conn_destroy(a);
  agora_rtc_conn_destroy(b);
  agora_local_audio_track_destroy(track);
  agora_video_frame_observer2_destroy(video_observer);
  agora_local_video_track_destroy(video_track);
  agora_video_frame_sender_destroy(video_sender);
  agora_audio_pcm_data_sender_destroy(sender);
  agora_media_node_factory_destroy(factory);
  printf("engine_threads%s: joined %d, frames %d, messages %d/300, video frames %d, from the other process %d\n",
         transport ? " (transport on)" : "", atomic_load(&joined), atomic_load(&frames), atomic_load(&messages),
         atomic_load(&video_frames), atomic_load(&remote_video_frames));
  if (transport) rmdir(dir);
  int child_ok = child < 0 || (WIFEXITED(child_status) && WEXITSTATUS(child_status) == 0);
  return atomic_load(&joined) >= 1 && atomic_load(&frames) > 0 && atomic_load(&messages) == 300 &&
                 atomic_load(&video_frames) > 0 && (!transport || atomic_load(&remote_video_frames) > 0) && child_ok
             ? 0
             : 1;
}
