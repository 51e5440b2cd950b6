/* transport.c -- channels shared by every process on the host: peer-to-peer
 * Unix datagram sockets with a membership directory.
 *
 * Why peer to peer: no extra process to spawn, supervise and clean up; a member
 * that dies is noticed at once (sendto gets ECONNREFUSED) or by heartbeat
 * timeout; the last member out removes the directory. Each joined connection
 * binds one socket in <root>/<hash(app id, channel)>/, where root is
 * $AGORA_RTC_LOOPBACK_DIR or ${XDG_RUNTIME_DIR:-/tmp}/agora-rtc-loopback-<uid>,
 * mode 0700 and owned by this user: other local users can neither join nor
 * read. Members in the same process use the in-process path (channel.c) and
 * skip each other's sockets.
 *
 * Threads: the transport thread polls the sockets and handles packets under
 * g_engine.lock; the engine thread sends audio from the clock tick, and video
 * (a shared-memory file per frame, video_transport.c) as it delivers. */
#include <dirent.h>
#include <stddef.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"

#define PKT_MAGIC 0x41524C42u /* "ARLB" */
#define HEARTBEAT_NS 500000000LL
#define DROP_AFTER_NS 2500000000LL
#define HELLO_WAIT_NS 300000000LL /* connect waits this long at most for members elsewhere to answer */
#define JITTER_TARGET 2        /* frames buffered before playing a remote user (on a clean network) */
#define JITTER_TARGET_MAX 30   /* late packets grow the target up to 300 ms */
#define JITTER_CALM_TICKS 300  /* 3 s without a late packet: the target shrinks by one frame */
#define JITTER_MAX 50          /* more than this: drop the oldest, counted */

enum { PKT_HELLO = 1, PKT_HELLO_ACK, PKT_BYE, PKT_HEARTBEAT, PKT_AUDIO, PKT_DATA, PKT_REFUSED, PKT_VIDEO, PKT_VIDEO_STOP,
       PKT_INTRA_REQUEST, PKT_MEDIA };
#define MAX_PAYLOAD 8192 /* a token (<= 4096), a data stream message, 10 ms of audio, a video_wire or a media_message */
#ifdef MSG_CMSG_CLOEXEC
#define MSG_CMSG_CLOEXEC_IF_ANY MSG_CMSG_CLOEXEC /* a passed descriptor never leaks into exec'd children */
#else
#define MSG_CMSG_CLOEXEC_IF_ANY 0
#endif

typedef struct pkt_header {
  uint32_t magic;
  uint8_t type;
  uint8_t channels;
  uint16_t samples;        /* per channel, audio only */
  uint32_t seq;
  uint32_t sample_rate;
  int64_t sent_ns;
  int64_t presentation_ms;
  uint64_t key_tag;        /* the sender's encryption tag (encryption.c) */
  char user_id[MAX_ID_LEN + 1];
} pkt_header;

static pthread_t transport_thread;
static int transport_running;
static int wake_pipe[2] = {-1, -1};

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int transport_disabled(void) {
  const char* v = getenv("AGORA_RTC_LOOPBACK_TRANSPORT");
  return v && strcmp(v, "off") == 0;
}

/* Creates (if needed) and checks the private rendezvous root. */
static int root_dir(char* out, size_t cap) {
  const char* env = getenv("AGORA_RTC_LOOPBACK_DIR");
  if (env && env[0]) {
    snprintf(out, cap, "%s", env);
  } else {
    const char* base = getenv("XDG_RUNTIME_DIR");
    snprintf(out, cap, "%s/agora-rtc-loopback-%u", base && base[0] ? base : "/tmp", (unsigned)getuid());
  }
  if (mkdir(out, 0700) != 0 && errno != EEXIST) return -1;
  struct stat st;
  if (lstat(out, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != getuid() || (st.st_mode & 077)) return -1;
  return 0;
}

static uint64_t fnv1a(const char* a, const char* b) {
  uint64_t h = 1469598103934665603ULL;
  for (const char* p = a; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ULL;
  h = (h ^ 0xff) * 1099511628211ULL; /* separator: ("ab","c") != ("a","bc") */
  for (const char* p = b; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ULL;
  return h;
}

static int channel_dir(connection* c, char* out, size_t cap) {
  char root[160];
  if (root_dir(root, sizeof root) != 0) return -1;
  snprintf(out, cap, "%s/%016llx", root, (unsigned long long)fnv1a(c->service->app_id, c->channel_id));
  if (mkdir(out, 0700) != 0 && errno != EEXIST) return -1;
  return 0;
}

/* Once per process, at its first join: sockets left by members that died without leaving
 * (kill -9, a crash) and the channel directories they leave empty. A socket file is stale
 * when connecting to it is refused; connect() on a datagram socket sends nothing, so live
 * members see no probe. (Not a PID check: processes in other PID namespaces may share the
 * directory.) Channels joined again were already cleaned by say_hello; this reaches the rest. */
/* Names this engine makes: channel directories are 16 hex digits, sockets <pid>.<id>.sock. Nothing
 * else in the root (AGORA_RTC_LOOPBACK_DIR may point anywhere) is touched. */
static int channel_dir_name(const char* name) {
  size_t n = strlen(name);
  return n == 16 && strspn(name, "0123456789abcdef") == 16;
}

static int member_socket_name(const char* name) {
  size_t pid = strspn(name, "0123456789");
  if (!pid || name[pid] != '.') return 0;
  size_t id = strspn(name + pid + 1, "0123456789");
  return id && strcmp(name + pid + 1 + id, ".sock") == 0;
}

static void sweep_stale_channels(const char* root) {
  int probe = socket(AF_UNIX, SOCK_DGRAM, 0);
  DIR* top = probe >= 0 ? opendir(root) : NULL;
  if (!top) {
    if (probe >= 0) close(probe);
    return;
  }
  struct dirent* e;
  time_t now = time(NULL);
  while ((e = readdir(top))) {
    if (!channel_dir_name(e->d_name)) continue;
    char dir[200];
    if ((size_t)snprintf(dir, sizeof dir, "%s/%s", root, e->d_name) >= sizeof dir) continue;
    DIR* d = opendir(dir);
    if (!d) continue;
    struct dirent* f;
    while ((f = readdir(d))) {
      if (!member_socket_name(f->d_name)) continue;
      struct sockaddr_un addr;
      memset(&addr, 0, sizeof addr);
      addr.sun_family = AF_UNIX;
      if ((size_t)snprintf(addr.sun_path, sizeof addr.sun_path, "%s/%s", dir, f->d_name) >= sizeof addr.sun_path)
        continue;
      struct stat st; /* a file bound this moment may refuse for an instant: only old ones are judged */
      if (lstat(addr.sun_path, &st) != 0 || !S_ISSOCK(st.st_mode) || now - st.st_mtime < 10) continue;
      if (connect(probe, (struct sockaddr*)&addr, sizeof addr) != 0 && errno == ECONNREFUSED) unlink(addr.sun_path);
    }
    closedir(d);
    rmdir(dir); /* only if nothing live is left in it */
  }
  closedir(top);
  close(probe);
}

static void cleanup_dirs(const char* dir) {
  rmdir(dir); /* fails while others are still in it: that is the point */
  char root[160];
  if (root_dir(root, sizeof root) == 0 && !getenv("AGORA_RTC_LOOPBACK_DIR")) rmdir(root);
}

/* fd >= 0 travels with the packet (SCM_RIGHTS): a video frame's shared file. */
static int send_packet_fd(connection* c, const char* path, pkt_header* h, const void* payload, size_t len, int fd) {
  struct sockaddr_un addr;
  memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path);
  if (h->magic != PKT_MAGIC) { /* a backlogged packet keeps its header */
    h->magic = PKT_MAGIC;
    h->sent_ns = now_ns();
    h->key_tag = h->type == PKT_DATA ? c->data_tag : c->media_tag;
    strcpy(h->user_id, c->user_id);
  }
  struct iovec iov[2] = {{h, sizeof *h}, {(void*)payload, len}};
  struct msghdr msg;
  memset(&msg, 0, sizeof msg);
  msg.msg_name = &addr;
  msg.msg_namelen = sizeof addr;
  msg.msg_iov = iov;
  msg.msg_iovlen = payload ? 2 : 1;
  union {
    struct cmsghdr align;
    char bytes[CMSG_SPACE(sizeof(int))];
  } control;
  if (fd >= 0) {
    memset(&control, 0, sizeof control);
    msg.msg_control = control.bytes;
    msg.msg_controllen = sizeof control.bytes;
    struct cmsghdr* cm = CMSG_FIRSTHDR(&msg);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cm), &fd, sizeof fd);
  }
  return sendmsg(c->sock, &msg, MSG_DONTWAIT) < 0 ? -errno : 0;
}

static int send_packet(connection* c, const char* path, pkt_header* h, const void* payload, size_t len) {
  return send_packet_fd(c, path, h, payload, len, -1);
}

/* An audio packet waiting for room in a peer's socket queue (Linux caps a
 * Unix datagram queue at net.unix.max_dgram_qlen packets, often 10). */
typedef struct outgoing {
  size_t len;
  int fd;                  /* a video frame's shared file (our own duplicate), or -1 */
  union {
    pkt_header h;
    char bytes[sizeof(pkt_header) + MAX_PAYLOAD];
  } u;
} outgoing;

void transport_send_data(connection* c, const char* path, const ds_packet* p) {
  if (c->sock < 0 || fault_outage_active(c)) return;
  pkt_header h;
  memset(&h, 0, sizeof h);
  h.type = PKT_DATA;
  /* A full peer queue drops it: reliable streams resend, unreliable ones report the gap. */
  send_packet(c, path, &h, p, offsetof(ds_packet, data) + p->len);
}

static int say_hello(connection* c, int only_unknown);

static remote_member* find_remote(connection* c, const char* path) {
  for (remote_member* m = c->remotes; m; m = m->next)
    if (strcmp(m->path, path) == 0) return m;
  return NULL;
}

static void free_remote(remote_member* m) {
  for (int i = 0; i < JITTER_RING; i++) {
    free(m->ring[i]);
    if (m->backlog[i] && m->backlog[i]->fd >= 0) close(m->backlog[i]->fd); /* a frame never sent */
    free(m->backlog[i]);
  }
  for (int i = 0; i < m->video_count; i++) video_payload_release(m->video[(m->video_head + i) % JITTER_RING]);
  free(m);
}

static void remove_remote(connection* c, remote_member* m, int reason) {
  for (remote_member** p = &c->remotes; *p; p = &(*p)->next) {
    if (*p == m) {
      *p = m->next;
      break;
    }
  }
  if (!c->joining) event_post(EV_USER_LEFT, c, m->user_id, reason, NULL);
  local_user_forget(&c->user, m->user_id);
  ds_forget_member(c, m->user_id, m->path);
  remote_tracks_offline(c, m->user_id);
  free_remote(m);
}

static remote_member* add_remote(connection* c, const char* path, const char* user_id) {
  remote_member* m = calloc(1, sizeof *m);
  if (!m) return NULL;
  voice_detector_reset(&m->voice);
  snprintf(m->path, sizeof m->path, "%s", path);
  snprintf(m->user_id, sizeof m->user_id, "%s", user_id);
  m->last_heard_ns = now_ns();
  m->target = JITTER_TARGET;
  m->next = c->remotes;
  c->remotes = m;
  if (!c->joining) event_post(EV_USER_JOINED, c, m->user_id, 0, NULL); /* else: connection_joined tells */
  return m;
}

int transport_join(connection* c) {
  if (transport_disabled()) return ERR_OK;
  static int swept; /* g_engine.lock held */
  if (!swept) {
    swept = 1;
    char root[160];
    if (root_dir(root, sizeof root) == 0) sweep_stale_channels(root);
  }
  char dir[200];
  int fd = socket(AF_UNIX, SOCK_DGRAM, 0); /* flags set below: macOS has no SOCK_CLOEXEC */
  if (fd < 0) return -ERR_RESOURCE_LIMITED;
  fcntl(fd, F_SETFD, FD_CLOEXEC);
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  struct sockaddr_un addr;
  memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  /* The last member of a channel (in another process) removes its directory and the root when it
   * leaves: one that goes between our mkdir and our bind is made again. */
  for (int attempt = 0;; attempt++) {
    if (channel_dir(c, dir, sizeof dir) != 0) {
      if (errno == ENOENT && attempt < 3) continue; /* the root went between its mkdir and ours */
      close(fd);
      return -ERR_NO_PERMISSION;
    }
    int n = snprintf(addr.sun_path, sizeof addr.sun_path, "%s/%d.%u.sock", dir, (int)getpid(), c->id);
    if (n < 0 || (size_t)n >= sizeof addr.sun_path) { /* a socket path must fit in 108 bytes */
      close(fd);
      return -ERR_INVALID_ARGUMENT;
    }
    unlink(addr.sun_path);
    if (bind(fd, (struct sockaddr*)&addr, sizeof addr) == 0) break;
    if (errno != ENOENT || attempt == 3) {
      close(fd);
      return -ERR_RESOURCE_LIMITED;
    }
  }
  int buf = 1 << 20; /* room for bursts of audio */
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
  c->sock = fd;
  snprintf(c->sock_path, sizeof c->sock_path, "%s", addr.sun_path);
  snprintf(c->channel_dir, sizeof c->channel_dir, "%s", dir);
  c->last_heartbeat_ns = now_ns();
  c->pending_hellos = say_hello(c, 0);
  c->hello_deadline_ns = now_ns() + HELLO_WAIT_NS;
  return ERR_OK;
}

/* Hello to every member of other processes (only_unknown: those not among c->remotes); they answer
 * with theirs. Returns how many were sent. A member whose queue was full (EAGAIN) would never learn
 * of us, nor we of it: c->hello_unsent has the heartbeat try again. */
static int say_hello(connection* c, int only_unknown) {
  int sent = 0, unsent = 0;
  const char* dir = c->channel_dir;
  char own_prefix[32];
  snprintf(own_prefix, sizeof own_prefix, "%d.", (int)getpid());
  DIR* d = opendir(dir);
  if (d) {
    struct dirent* e;
    while ((e = readdir(d))) {
      size_t n = strlen(e->d_name);
      if (n < 6 || strcmp(e->d_name + n - 5, ".sock") != 0 || strncmp(e->d_name, own_prefix, strlen(own_prefix)) == 0)
        continue;
      char path[sizeof c->sock_path];
      if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= sizeof path) continue;
      if (only_unknown && find_remote(c, path)) continue;
      pkt_header h;
      memset(&h, 0, sizeof h);
      h.type = PKT_HELLO; /* carries our token: the members we join decide whether to admit us */
      const char* token = c->token ? c->token : "";
      int rc = send_packet(c, path, &h, token, strlen(token) + 1);
      if (rc == -ECONNREFUSED || rc == -ENOENT) unlink(path); /* its owner died */
      else if (rc == 0) sent++;
      else if (rc == -EAGAIN) unsent = 1;
    }
    closedir(d);
  }
  c->hello_unsent = unsent;
  char b = 1;
  if (wake_pipe[1] >= 0 && write(wake_pipe[1], &b, 1) < 0) {
  }
  return sent;
}

#define LEAVING_MAX_NS 1000000000LL /* a departed member's buffered audio plays for at most 1 s */

void transport_reap(connection* c) {
  int64_t now = now_ns();
  for (remote_member* m = c->remotes; m;) {
    remote_member* next = m->next;
    if (m->leaving && (m->end_seq == m->play_seq || now - m->leaving_since_ns > LEAVING_MAX_NS))
      remove_remote(c, m, USER_OFFLINE_QUIT);
    m = next;
  }
}

/* Back from an outage: members that dropped us meanwhile admit us again. */
void transport_rejoin(connection* c) {
  if (c->sock < 0) return;
  int64_t now = now_ns();
  for (remote_member* m = c->remotes; m; m = m->next) m->last_heard_ns = now; /* we were deaf, not they */
  c->last_heartbeat_ns = now;
  say_hello(c, 0);
}

void transport_leave(connection* c) {
  for (int i = 0; i < c->delayed_count; i++) free(c->delayed[i].bytes);
  free(c->delayed);
  c->delayed = NULL;
  c->delayed_count = c->delayed_capacity = 0;
  c->outage_until_ms = 0;
  if (c->sock < 0) return;
  while (c->remotes) {
    remote_member* m = c->remotes;
    pkt_header h;
    memset(&h, 0, sizeof h);
    h.type = PKT_BYE;
    send_packet(c, m->path, &h, NULL, 0);
    c->remotes = m->next; /* the one leaving is not told others left */
    local_user_forget(&c->user, m->user_id);
    free_remote(m);
  }
  close(c->sock);
  c->sock = -1;
  unlink(c->sock_path);
  cleanup_dirs(c->channel_dir);
}

/* A send to m failed because its process is gone: report it now (1), else 0. */
static int dropped_if_gone(connection* c, remote_member* m, int rc) {
  if (rc != -ECONNREFUSED && rc != -ENOENT) return 0;
  unlink(m->path);
  remove_remote(c, m, USER_OFFLINE_DROPPED);
  return 1;
}

/* Engine thread, each tick: this connection's frame to every remote member. */
/* To m, older backlogged packets first: a peer whose socket queue is full gets audio and encoded
 * audio late but in order (64 packets per member; beyond that the oldest is dropped and counted in
 * *dropped). May remove m (its process is gone). */
static void backlog_pop(remote_member* m) {
  outgoing* o = m->backlog[m->backlog_head];
  if (o->fd >= 0) close(o->fd);
  o->fd = -1;
  m->backlog_head = (m->backlog_head + 1) % JITTER_RING;
  m->backlog_count--;
}

/* Which count a packet lost on the way out goes to, by its type. */
static uint64_t* drop_count(connection* c, int type) {
  return type == PKT_VIDEO ? &c->video_dropped_send : type == PKT_MEDIA ? &c->media_messages_dropped
                                                                        : &c->packets_dropped_send;
}

static void send_in_order(connection* c, remote_member* m, pkt_header* h, const void* payload, size_t len, int fd,
                          uint64_t* dropped) {
  int rc = 0;
  while (m->backlog_count) {
    outgoing* o = m->backlog[m->backlog_head];
    rc = send_packet_fd(c, m->path, &o->u.h, o->u.bytes + sizeof(pkt_header), o->len, o->fd);
    if (rc == -EAGAIN) break;
    if (rc < 0 && rc != -ECONNREFUSED && rc != -ENOENT) (*drop_count(c, o->u.h.type))++; /* refused for good */
    backlog_pop(m);
  }
  if (rc != -EAGAIN) rc = send_packet_fd(c, m->path, h, payload, len, fd);
  if (dropped_if_gone(c, m, rc)) return;
  if (rc != -EAGAIN) {
    if (rc < 0) (*dropped)++; /* ENOBUFS, EMSGSIZE...: not sent, not retried */
    return;
  }
  if (m->backlog_count == JITTER_RING) { /* the peer stopped reading: the oldest goes */
    (*drop_count(c, m->backlog[m->backlog_head]->u.h.type))++;
    backlog_pop(m);
  }
  int slot = (m->backlog_head + m->backlog_count) % JITTER_RING;
  if (!m->backlog[slot] && (m->backlog[slot] = malloc(sizeof(outgoing)))) m->backlog[slot]->fd = -1;
  int copy = fd >= 0 ? fcntl(fd, F_DUPFD_CLOEXEC, 0) : -1; /* the caller closes its own */
  if (!m->backlog[slot] || len > MAX_PAYLOAD || (fd >= 0 && copy < 0)) {
    if (copy >= 0) close(copy);
    (*dropped)++;
    return;
  }
  outgoing* o = m->backlog[slot];
  o->u.h = *h; /* send_packet filled magic, time, key tag and user id: the copy keeps them */
  memcpy(o->u.bytes + sizeof(pkt_header), payload, len);
  o->len = len;
  o->fd = copy;
  m->backlog_count++;
}

/* Injected jitter: a copy of the packet, sent when due (transport_flush_delayed). */
static void hold_packet(connection* c, const char* path, const pkt_header* h, const void* payload, size_t len,
                        int ticks) {
  if (c->delayed_count == c->delayed_capacity) {
    int cap = c->delayed_capacity ? c->delayed_capacity * 2 : 64;
    delayed_packet* grown = realloc(c->delayed, sizeof(delayed_packet) * (size_t)cap);
    if (!grown) return;
    c->delayed = grown;
    c->delayed_capacity = cap;
  }
  uint8_t* bytes = malloc(sizeof *h + len);
  if (!bytes) return;
  pkt_header copy = *h;
  copy.magic = PKT_MAGIC;
  copy.sent_ns = now_ns();
  copy.key_tag = c->media_tag;
  strcpy(copy.user_id, c->user_id);
  memcpy(bytes, &copy, sizeof copy);
  memcpy(bytes + sizeof copy, payload, len);
  delayed_packet* d = &c->delayed[c->delayed_count++];
  d->due_tick = g_engine.ticks + ticks;
  d->order = c->delayed_order++;
  snprintf(d->path, sizeof d->path, "%s", path);
  d->len = len;
  d->bytes = bytes;
}

void transport_flush_delayed(connection* c) {
  for (;;) { /* the earliest due first; equal due times in the order they were held */
    int best = -1;
    for (int i = 0; i < c->delayed_count; i++) {
      delayed_packet* d = &c->delayed[i];
      if (d->due_tick > g_engine.ticks) continue;
      if (best < 0 || d->due_tick < c->delayed[best].due_tick ||
          (d->due_tick == c->delayed[best].due_tick && d->order < c->delayed[best].order))
        best = i;
    }
    if (best < 0) return;
    delayed_packet d = c->delayed[best];
    c->delayed[best] = c->delayed[--c->delayed_count];
    if (c->sock >= 0 && !fault_outage_active(c) &&
        send_packet(c, d.path, (pkt_header*)(void*)d.bytes, d.bytes + sizeof(pkt_header), d.len) != 0)
      c->packets_dropped_send++; /* a full queue (or a member gone) meets a late packet: counted, not retried */
    free(d.bytes);
  }
}

void transport_send_audio(connection* c, const pcm_frame* f) {
  if (c->sock < 0 || !c->remotes || fault_outage_active(c)) return;
  pkt_header h;
  memset(&h, 0, sizeof h);
  h.type = PKT_AUDIO;
  h.channels = (uint8_t)f->channels;
  h.samples = (uint16_t)(f->sample_rate / 100);
  h.sample_rate = (uint32_t)f->sample_rate;
  h.presentation_ms = f->presentation_ms;
  h.seq = c->send_seq++;
  size_t len = sizeof(int16_t) * (size_t)h.samples * h.channels;
  for (remote_member* m = c->remotes; m;) {
    remote_member* next = m->next;
    int delay = fault_lost(c) ? -1 : fault_audio_delay(c, sizeof h + len);
    if (delay != 0) { /* injected loss, or over the bandwidth cap: this packet never leaves; or jitter */
      if (delay > 0) hold_packet(c, m->path, &h, f->data, len, delay);
      m = next;
      continue;
    }
    h.magic = 0;
    send_in_order(c, m, &h, f->data, len, -1, &c->packets_dropped_send);
    m = next;
  }
}

/* Encoded audio and meta data to every member elsewhere; a full socket queue drops it (counted). */
void transport_send_media(connection* c, const media_message* msg) {
  if (c->sock < 0 || fault_outage_active(c)) return;
  for (remote_member* m = c->remotes; m;) {
    remote_member* next = m->next;
    if (!fault_lost(c)) { /* else: injected loss */
      pkt_header h;
      memset(&h, 0, sizeof h);
      h.type = PKT_MEDIA;
      send_in_order(c, m, &h, msg, sizeof *msg + msg->length, -1, &c->media_messages_dropped);
    }
    m = next;
  }
}

/* Engine thread: one shared file for the frame, its descriptor to every member
 * elsewhere. A member whose socket queue is full misses this frame (counted):
 * video is not backlogged, the next frame supersedes it. */
void transport_send_video(connection* c, int simulcast, const video_payload* p) {
  if (c->sock < 0 || !c->remotes || fault_outage_active(c)) return;
  video_wire w;
  int fd = video_wire_file(p, simulcast, &w);
  if (fd < 0) {
    c->video_dropped_send++;
    return;
  }
  for (remote_member* m = c->remotes; m;) {
    remote_member* next = m->next;
    pkt_header h;
    memset(&h, 0, sizeof h);
    h.type = PKT_VIDEO;
    send_in_order(c, m, &h, &w, sizeof w, fd, &c->video_dropped_send); /* in order with its audio */
    m = next;
  }
  close(fd); /* the receivers hold their own descriptors */
}

void transport_send_video_stop(connection* c) {
  for (remote_member* m = c->sock >= 0 ? c->remotes : NULL; m; m = m->next) {
    pkt_header h;
    memset(&h, 0, sizeof h);
    h.type = PKT_VIDEO_STOP;
    send_packet(c, m->path, &h, NULL, 0);
  }
}

int transport_send_intra_request(connection* c, const char* user_id) {
  for (remote_member* m = c->sock >= 0 ? c->remotes : NULL; m; m = m->next) {
    if (strcmp(m->user_id, user_id) == 0) {
      pkt_header h;
      memset(&h, 0, sizeof h);
      h.type = PKT_INTRA_REQUEST;
      return send_packet(c, m->path, &h, NULL, 0) == 0 ? 0 : -1;
    }
  }
  return -1;
}

/* Engine thread, one call per tick: the frame due now, if it came. */
int transport_pull(connection* c, remote_member* m, pcm_frame* out) {
  if (m->target > JITTER_TARGET && ++m->calm_ticks >= JITTER_CALM_TICKS) { /* the network calmed down */
    m->target--;
    m->calm_ticks = 0;
  }
  uint32_t span = m->end_seq - m->play_seq;
  if (!m->started || (m->leaving && span == 0)) return 0;
  if (!m->primed) {
    if (span < (uint32_t)m->target && !m->leaving) return 0;
    m->primed = 1;
  }
  if (m->hold > 0) { /* growing the cushion after late packets */
    m->hold--;
    return 0;
  }
  if (span == 0) {
    m->primed = 0; /* underrun: rebuild the cushion before playing again */
    m->underruns++;
    c->rx_underruns++;
    return 0;
  }
  int slot = (int)(m->play_seq % JITTER_RING);
  m->play_seq++;
  if (!m->ring_full[slot] || m->ring_seq[slot] != m->play_seq - 1) {
    m->lost++; /* never came (or not yet: it will be late) */
    c->rx_lost++;
    return 0;
  }
  m->ring_full[slot] = 0;
  pcm_frame* f = m->ring[slot];
  memcpy(out, f, pcm_frame_bytes(f));
  return 1;
}

/* Tokens are checked where members are admitted: with an app certificate set,
 * a member in another process is heard only if the token it says hello with
 * is valid for this channel and its user id. */
static int admits(connection* c, const char* user_id, const void* payload, size_t len) {
  if (!g_engine.app_certificate[0]) return ERR_OK;
  const char* token = payload;
  if (len == 0 || memchr(token, 0, len) == NULL) return CONNECTION_CHANGED_INVALID_TOKEN;
  int64_t expires_at;
  return token_verify(token, g_engine.app_certificate, c->service->app_id, c->channel_id, user_id, &expires_at);
}

/* *fd: a descriptor that came with the packet, or -1; set to -1 when kept. */
static void handle_packet(connection* c, const char* from, const pkt_header* h, const int16_t* payload, size_t len,
                          int* fd) {
  if (fault_outage_active(c)) return; /* no network: nothing arrives */
  remote_member* m = find_remote(c, from);
  if (m && m->leaving) { /* it said BYE: only its buffered audio is left to play */
    if (h->type != PKT_HELLO) return;
    remove_remote(c, m, USER_OFFLINE_QUIT); /* back already (disconnect, connect): it joins anew */
    m = NULL;
  }
  if (m) m->last_heard_ns = now_ns();
  switch (h->type) {
    case PKT_HELLO: {
      int reason = admits(c, h->user_id, payload, len);
      if (!reason && strcmp(h->user_id, c->user_id) == 0) {
        /* Our user id joined again from another process: the newcomer takes the seat, as in-process. */
        connection_fail(c, CONNECTION_CHANGED_SAME_UID_LOGIN);
        break;
      }
      if (reason) {
        pkt_header no;
        memset(&no, 0, sizeof no);
        no.type = PKT_REFUSED;
        no.seq = (uint32_t)reason;
        send_packet(c, from, &no, NULL, 0);
        break;
      }
      if (!m) m = add_remote(c, from, h->user_id);
      pkt_header ack;
      memset(&ack, 0, sizeof ack);
      ack.type = PKT_HELLO_ACK;
      const char* token = c->token ? c->token : "";
      send_packet(c, from, &ack, token, strlen(token) + 1);
      break;
    }
    case PKT_HELLO_ACK:
      if (!m && admits(c, h->user_id, payload, len) == ERR_OK) add_remote(c, from, h->user_id);
      if (c->joining && --c->pending_hellos <= 0) connection_joined(c);
      break;
    case PKT_REFUSED: /* a member's engine would not admit our token */
      if (c->channel && (h->seq == CONNECTION_CHANGED_INVALID_TOKEN || h->seq == CONNECTION_CHANGED_TOKEN_EXPIRED))
        connection_fail(c, (int)h->seq);
      break;
    case PKT_BYE: /* what it sent before leaving plays out first (transport_reap) */
      if (m && m->started && m->end_seq != m->play_seq && !m->leaving) {
        m->leaving = 1;
        m->leaving_since_ns = now_ns();
      } else if (m) {
        remove_remote(c, m, USER_OFFLINE_QUIT);
      }
      break;
    case PKT_DATA: {
      const ds_packet* p = (const ds_packet*)(const void*)payload;
      if (!m || len < offsetof(ds_packet, data) || len < offsetof(ds_packet, data) + p->len || p->len > DS_MAX_MESSAGE)
        break;
      ds_packet copy; /* aligned, NUL-terminated sender; only the bytes p->len says (len may be more) */
      memcpy(&copy, p, offsetof(ds_packet, data) + p->len);
      copy.from[MAX_ID_LEN] = 0;
      if (copy.is_ack)
        ds_ack(c, &copy, from);
      else if (!encryption_blocks(c, m->user_id, h->key_tag, 1))
        ds_receive(c, &copy, from, NULL);
      break;
    }
    case PKT_AUDIO: {
      if (!m || encryption_blocks(c, m->user_id, h->key_tag, 0)) break;
      size_t need = sizeof(int16_t) * (size_t)h->samples * h->channels;
      if (len < need || !audio_rate_supported((int)h->sample_rate) || h->samples != h->sample_rate / 100 ||
          (h->channels != 1 && h->channels != 2))
        break;
      if (!m->started) {
        m->started = 1;
        m->play_seq = m->end_seq = h->seq;
      }
      if ((int32_t)(h->seq - m->play_seq) < 0) { /* its time to play has passed */
        m->late++;
        c->rx_late++;
        if (m->target < JITTER_TARGET_MAX) { /* wait longer from now on */
          int grow = (int)(m->play_seq - h->seq);
          if (grow > JITTER_TARGET_MAX - m->target) grow = JITTER_TARGET_MAX - m->target;
          m->target += grow;
          m->hold += grow;
        }
        m->calm_ticks = 0;
        break;
      }
      int slot = (int)(h->seq % JITTER_RING);
      if (m->ring_full[slot] && m->ring_seq[slot] == h->seq) break; /* a duplicate */
      m->received++;
      c->rx_received++;
      if ((int32_t)(h->seq + 1 - m->end_seq) > 0) m->end_seq = h->seq + 1;
      if (m->end_seq - m->play_seq > JITTER_MAX && m->end_seq - m->play_seq - JITTER_MAX >= JITTER_RING) {
        /* a jump (a peer's sequence far ahead): all held is older than the new window, in one step */
        for (int k = 0; k < JITTER_RING; k++)
          if (m->ring_full[k]) {
            m->ring_full[k] = 0;
            m->overflows++;
            c->rx_overflows++;
          }
        m->play_seq = m->end_seq - JITTER_MAX;
      }
      while (m->end_seq - m->play_seq > JITTER_MAX) { /* too far behind the sender: the oldest go */
        int old = (int)(m->play_seq % JITTER_RING);
        if (m->ring_full[old]) {
          m->ring_full[old] = 0;
          m->overflows++;
          c->rx_overflows++;
        }
        m->play_seq++;
      }
      double transit = (double)(now_ns() - h->sent_ns) / 1e6;
      m->transit_ms = m->received == 1 ? transit : 0.95 * m->transit_ms + 0.05 * transit;
      if (!m->ring[slot] && !(m->ring[slot] = malloc(sizeof(pcm_frame)))) break;
      m->ring_full[slot] = 1;
      m->ring_seq[slot] = h->seq;
      pcm_frame* f = m->ring[slot];
      f->sample_rate = (int)h->sample_rate;
      f->channels = h->channels;
      f->presentation_ms = h->presentation_ms;
      f->capture_timestamp = 0;
      memcpy(f->data, payload, need);
      break;
    }
    case PKT_VIDEO: {
      if (!m || *fd < 0 || len < sizeof(video_wire) || encryption_blocks(c, m->user_id, h->key_tag, 0)) break;
      video_wire w;
      memcpy(&w, payload, sizeof w);
      video_payload* p = video_wire_open(&w, *fd);
      if (p) {
        c->rx_video_received++;
        video_remote_received(c, m, p);
      } else {
        c->rx_video_dropped++; /* a description its file does not match: counted, not delivered */
      }
      break;
    }
    case PKT_MEDIA: {
      media_message head;
      if (!m || len < sizeof head) break;
      memcpy(&head, payload, sizeof head);
      if (head.length > LOOPBACK_AUDIO_MAX_ENCODED || len < sizeof head + head.length) break;
      media_message_received(c, m->user_id, h->key_tag, (const media_message*)(const void*)payload);
      break;
    }
    case PKT_INTRA_REQUEST:
      if (m && c->user.published_video_count) event_post(EV_INTRA_REQUEST, c, m->user_id, 0, NULL);
      break;
    case PKT_VIDEO_STOP:
      if (m) remote_track_stopped(c, TRACK_VIDEO, m->user_id, REMOTE_VIDEO_STATE_REASON_REMOTE_MUTED);
      break;
    default:
      break;
  }
}

#ifdef AGORA_RTC_FUZZING
/* fuzz/fuzz_packets.c: one datagram from member 0 or 1 (addresses in the channel's directory, user
 * "a" or "b"), handled as the transport thread handles what it receives. The fuzzer gives the header's
 * fields compactly (type, channels, samples, seq, sample rate: 12 bytes) and the payload after them;
 * payloads longer than the receive buffer are cut, as recvmsg cuts them. */
void transport_fuzz_packet(AGORA_HANDLE conn, int member, const uint8_t* bytes, size_t len) {
  static union {
    pkt_header h;
    char bytes[sizeof(pkt_header) + MAX_PAYLOAD];
  } buf;
  connection* c = connection_from(conn);
  if (!c || len < 12) return;
  memset(&buf.h, 0, sizeof buf.h);
  buf.h.magic = PKT_MAGIC;
  buf.h.type = bytes[0];
  buf.h.channels = bytes[1];
  memcpy(&buf.h.samples, bytes + 2, 2);
  memcpy(&buf.h.seq, bytes + 4, 4);
  memcpy(&buf.h.sample_rate, bytes + 8, 4);
  buf.h.sent_ns = now_ns();
  snprintf(buf.h.user_id, sizeof buf.h.user_id, "%s", member ? "b" : "a");
  size_t payload = len - 12 > MAX_PAYLOAD ? MAX_PAYLOAD : len - 12;
  memcpy(buf.bytes + sizeof(pkt_header), bytes + 12, payload);
  pthread_mutex_lock(&g_engine.lock);
  if (c->sock >= 0) {
    char from[sizeof c->channel_dir + 16];
    snprintf(from, sizeof from, "%s/member-%d.sock", c->channel_dir, member);
    int fd = -1;
    handle_packet(c, from, &buf.h, (const int16_t*)(const void*)(buf.bytes + sizeof(pkt_header)), payload, &fd);
  }
  pthread_mutex_unlock(&g_engine.lock);
}
#endif

static void heartbeat_and_expire(void) {
  int64_t now = now_ns();
  for (int i = 0; i < g_engine.conn_count; i++) {
    connection* c = g_engine.conns[i];
    if (c->joining && now >= c->hello_deadline_ns) connection_joined(c); /* a member that never answered */
    if (c->sock < 0 || fault_outage_active(c)) continue; /* no network: silent, and deaf (not judging others) */
    for (remote_member* m = c->remotes; m;) {
      remote_member* next = m->next;
      if (now - m->last_heard_ns > DROP_AFTER_NS) remove_remote(c, m, USER_OFFLINE_DROPPED);
      m = next;
    }
    if (now - c->last_heartbeat_ns >= HEARTBEAT_NS) {
      c->last_heartbeat_ns = now;
      if (c->hello_unsent) say_hello(c, 1);
      for (remote_member* m = c->remotes; m;) {
        remote_member* next = m->next;
        pkt_header h;
        memset(&h, 0, sizeof h);
        h.type = PKT_HEARTBEAT;
        int rc = send_packet(c, m->path, &h, NULL, 0);
        if (rc == -ECONNREFUSED || rc == -ENOENT) remove_remote(c, m, USER_OFFLINE_DROPPED);
        m = next;
      }
    }
  }
}

static void* transport_main(void* arg) {
  (void)arg;
  struct pollfd* fds = NULL;
  int cap = 0;
  static union {
    pkt_header h;
    char bytes[sizeof(pkt_header) + MAX_PAYLOAD];
  } buf;
  pthread_mutex_lock(&g_engine.lock);
  while (transport_running) {
    int n = 1;
    if (g_engine.conn_count + 1 > cap) {
      cap = g_engine.conn_count + 16;
      struct pollfd* grown = realloc(fds, sizeof(struct pollfd) * (size_t)cap);
      if (!grown) break;
      fds = grown;
    }
    fds[0].fd = wake_pipe[0];
    fds[0].events = POLLIN;
    for (int i = 0; i < g_engine.conn_count; i++) {
      if (g_engine.conns[i]->sock >= 0) {
        fds[n].fd = g_engine.conns[i]->sock;
        fds[n++].events = POLLIN;
      }
    }
    pthread_mutex_unlock(&g_engine.lock);
    poll(fds, (nfds_t)n, 100);
    char drain[64];
    while (read(wake_pipe[0], drain, sizeof drain) > 0) {
    }
    pthread_mutex_lock(&g_engine.lock);
    for (int k = 1; k < n; k++) {
      if (!(fds[k].revents & POLLIN)) continue;
      connection* c = NULL; /* the fd may have been closed (and reused) meanwhile */
      for (int i = 0; i < g_engine.conn_count; i++)
        if (g_engine.conns[i]->sock == fds[k].fd) c = g_engine.conns[i];
      for (int budget = 0; c && c->sock >= 0 && budget < 256; budget++) {
        struct sockaddr_un from;
        memset(&from, 0, sizeof from);
        struct iovec iov = {buf.bytes, sizeof buf.bytes};
        union {
          struct cmsghdr align;
          char bytes[CMSG_SPACE(sizeof(int) * 4)]; /* a frame's one; more from a faulty peer are closed */
        } control;
        struct msghdr msg;
        memset(&msg, 0, sizeof msg);
        msg.msg_name = &from;
        msg.msg_namelen = sizeof from;
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control.bytes;
        msg.msg_controllen = sizeof control.bytes;
        ssize_t got = recvmsg(c->sock, &msg, MSG_CMSG_CLOEXEC_IF_ANY);
        if (got < 0) break;
        int fd = -1;
        for (struct cmsghdr* cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
          if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS || cm->cmsg_len < CMSG_LEN(0)) continue;
          size_t count = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
          for (size_t k = 0; k < count; k++) { /* the first is the frame's; every other one is closed */
            int one;
            memcpy(&one, CMSG_DATA(cm) + k * sizeof(int), sizeof one);
            if (fd < 0)
              fd = one;
            else
              close(one);
          }
        }
        if ((size_t)got >= sizeof(pkt_header) && buf.h.magic == PKT_MAGIC && msg.msg_namelen > sizeof(sa_family_t)) {
          buf.h.user_id[MAX_ID_LEN] = 0;
          char path[sizeof from.sun_path + 1];
          memcpy(path, from.sun_path, sizeof from.sun_path);
          path[sizeof from.sun_path] = 0;
          handle_packet(c, path, &buf.h, (const int16_t*)(buf.bytes + sizeof(pkt_header)),
                        (size_t)got - sizeof(pkt_header), &fd);
        }
        if (fd >= 0) close(fd); /* a frame's file is mapped by now, or was refused */
      }
    }
    heartbeat_and_expire();
  }
  pthread_mutex_unlock(&g_engine.lock);
  free(fds);
  return NULL;
}

/* Sums a receive counter over this process's connections: packets received
 * from other processes, lost (sequence gaps), jitter-buffer underruns and
 * overflows, and the number of members currently known in other processes. */
int transport_stat(const char* name, double* value) {
  static const char* names[] = {"received", "lost", "late", "underruns", "overflows", "members", "video_received",
                                "video_dropped", "decryption_failures", "media_dropped", "send_dropped"};
  int known = 0;
  for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) known |= strcmp(name, names[k]) == 0;
  if (!known) return -ERR_NOT_SUPPORTED;
  double sum = 0;
  for (int i = 0; i < g_engine.conn_count; i++) {
    connection* c = g_engine.conns[i];
    if (strcmp(name, "received") == 0) sum += (double)c->rx_received;
    else if (strcmp(name, "lost") == 0) sum += (double)c->rx_lost;
    else if (strcmp(name, "late") == 0) sum += (double)c->rx_late;
    else if (strcmp(name, "underruns") == 0) sum += (double)c->rx_underruns;
    else if (strcmp(name, "overflows") == 0) sum += (double)c->rx_overflows;
    else if (strcmp(name, "video_received") == 0) sum += (double)c->rx_video_received;
    else if (strcmp(name, "video_dropped") == 0) sum += (double)(c->rx_video_dropped + c->video_dropped_send);
    else if (strcmp(name, "decryption_failures") == 0) sum += (double)c->decryption_failures;
    else if (strcmp(name, "media_dropped") == 0) sum += (double)c->media_messages_dropped;
    else if (strcmp(name, "send_dropped") == 0) sum += (double)c->packets_dropped_send;
    else
      for (remote_member* m = c->remotes; m; m = m->next) sum += 1;
  }
  *value = sum;
  return ERR_OK;
}

int transport_start(void) {
  if (transport_disabled()) return ERR_OK;
  if (wake_pipe[0] < 0) {
    if (pipe(wake_pipe) != 0) return -ERR_RESOURCE_LIMITED;
    for (int i = 0; i < 2; i++) {
      fcntl(wake_pipe[i], F_SETFL, O_NONBLOCK);
      fcntl(wake_pipe[i], F_SETFD, FD_CLOEXEC);
    }
  }
  transport_running = 1;
  if (pthread_create(&transport_thread, NULL, transport_main, NULL) != 0) {
    transport_running = 0;
    return -ERR_RESOURCE_LIMITED;
  }
  return ERR_OK;
}

/* g_engine.lock held; dropped while joining. */
void transport_stop(void) {
  if (!transport_running) return;
  transport_running = 0;
  char b = 1;
  if (write(wake_pipe[1], &b, 1) < 0) {
  }
  pthread_mutex_unlock(&g_engine.lock);
  pthread_join(transport_thread, NULL);
  pthread_mutex_lock(&g_engine.lock);
}
