/* video_transport.c -- a video frame as it travels to another process.
 *
 * A frame does not fit a datagram (a 1080p I420 frame is 3 MB), and cutting
 * it into pieces would mean reassembly, loss and reordering for no gain on one
 * host. Instead the sender writes the frame once into an anonymous
 * shared-memory file (sealed on Linux: it cannot shrink or change after) and
 * passes the descriptor with SCM_RIGHTS to every member in another process,
 * with a video_wire saying what is inside. A receiver maps the file privately
 * and delivers from the mapping: one copy on the sending side, none on the
 * receiving side, the same cost for 1 or 10 receivers.
 *
 * File layout: the high stream (I420 planes, alpha, metadata; or the encoded
 * bytes), then the raw low stream when the sender has simulcast on. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine.h"

static size_t high_bytes(const video_wire* w) {
  return w->encoded ? (size_t)w->length : video_i420_bytes(w->width, w->height, w->has_alpha, w->metadata_size);
}

static size_t low_bytes(const video_wire* w) { /* encoded frames carry no low stream of their own */
  return !w->encoded && w->low_width ? video_i420_bytes(w->low_width, w->low_height, w->has_alpha, w->metadata_size) : 0;
}

static const uint8_t* blob_of(const video_payload* p) { return p->encoded ? p->data : p->y; }

static int shared_file(size_t size) {
#ifdef __linux__
  int fd = memfd_create("agora-rtc-video", MFD_CLOEXEC | MFD_ALLOW_SEALING);
#else
  static unsigned counter;
  char name[64];
  snprintf(name, sizeof name, "/agora-rtc-%d-%u", (int)getpid(), __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED));
  int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
  if (fd >= 0) {
    shm_unlink(name); /* anonymous from here on */
    fcntl(fd, F_SETFD, FD_CLOEXEC);
  }
#endif
  if (fd < 0) return -1;
  if (ftruncate(fd, (off_t)size) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

/* Linux: pwrite fills the file's pages in the kernel, without a page fault per
 * 4 kB that writing through a fresh mapping costs (1080p send -> observer in
 * another process: p50 4.4 -> 2.3 ms, bench_video_cross_process.py).
 * macOS cannot write() to a shm_open file: there it goes through a mapping. */
static int write_all(int fd, const uint8_t* data, size_t size, size_t offset) {
#ifdef __linux__
  while (size) {
    ssize_t n = pwrite(fd, data, size, (off_t)offset);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return -1;
    data += n;
    size -= (size_t)n;
    offset += (size_t)n;
  }
  return 0;
#else
  size_t page = (size_t)sysconf(_SC_PAGESIZE), start = offset / page * page;
  uint8_t* map = mmap(NULL, size + (offset - start), PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)start);
  if (map == MAP_FAILED) return -1;
  memcpy(map + (offset - start), data, size);
  munmap(map, size + (offset - start));
  return 0;
#endif
}

/* Engine thread: p written to a new shared file, described by *out. Returns the fd, or -1. */
int video_wire_file(const video_payload* p, int simulcast, video_wire* out) {
  memset(out, 0, sizeof *out);
  out->encoded = p->encoded;
  out->width = p->width;
  out->height = p->height;
  out->rotation = p->rotation;
  out->timestamp_ms = p->timestamp_ms;
  out->sender_simulcast = simulcast;
  if (p->encoded) {
    out->length = p->length;
    out->info = p->info;
  } else {
    out->has_alpha = p->alpha != NULL;
    out->metadata_size = p->metadata_size;
    if (p->low) {
      out->low_width = p->low->width;
      out->low_height = p->low->height;
    }
  }
  size_t high = high_bytes(out), low = low_bytes(out);
  int fd = shared_file(high + low);
  if (fd < 0) return -1;
  if (write_all(fd, blob_of(p), high, 0) != 0 || (low && write_all(fd, p->low->y, low, high) != 0)) {
    close(fd);
    return -1;
  }
#ifdef __linux__
  fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
#endif
  return fd;
}

static int valid_size(int width, int height) {
  return width > 0 && height > 0 && width <= VIDEO_MAX_DIMENSION && height <= VIDEO_MAX_DIMENSION;
}

/* One payload over [offset, offset + size) of the file: its own private mapping. */
static video_payload* view(const video_wire* w, int fd, size_t offset, size_t size, int width, int height) {
  video_payload* p = calloc(1, sizeof *p);
  if (!p) return NULL;
  size_t page = (size_t)sysconf(_SC_PAGESIZE), start = offset / page * page;
  /* private: an observer writing into a plane changes its own copy, never the sender's file */
  uint8_t* map = mmap(NULL, size + (offset - start), PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, (off_t)start);
  if (map == MAP_FAILED) {
    free(p);
    return NULL;
  }
  p->mapping = map;
  p->mapping_length = size + (offset - start);
  p->refs = 1;
  p->encoded = w->encoded;
  p->width = width;
  p->height = height;
  p->rotation = w->rotation;
  p->timestamp_ms = w->timestamp_ms;
  p->sender_simulcast = w->sender_simulcast ? 1 : 0;
  if (w->encoded) {
    p->data = map + (offset - start);
    p->length = size;
    p->info = w->info;
  } else {
    p->metadata_size = w->metadata_size;
    video_i420_layout(p, map + (offset - start), w->has_alpha);
  }
  return p;
}

/* Transport thread: the frame described by w in fd, checked against the file, or NULL. */
video_payload* video_wire_open(const video_wire* w, int fd) {
  /* An encoded frame's size only describes it (0: not said, as senders may leave it); raw sizes are exact. */
  int size_ok = w->encoded ? w->width >= 0 && w->height >= 0 && w->width <= VIDEO_MAX_DIMENSION &&
                                 w->height <= VIDEO_MAX_DIMENSION
                           : valid_size(w->width, w->height);
  if (!size_ok || (w->rotation != 0 && w->rotation != 90 && w->rotation != 180 && w->rotation != 270))
    return NULL;
  if (w->encoded ? (w->length == 0 || w->length > LOOPBACK_VIDEO_MAX_ENCODED ||
                    (w->info.stream_type != VIDEO_STREAM_HIGH && w->info.stream_type != VIDEO_STREAM_LOW))
                 : (w->metadata_size < 0 || w->metadata_size > LOOPBACK_VIDEO_MAX_METADATA ||
                    (w->low_width && !valid_size(w->low_width, w->low_height))))
    return NULL;
  size_t high = high_bytes(w), low = low_bytes(w);
  struct stat st;
  if (fstat(fd, &st) != 0 || (size_t)st.st_size < high + low) return NULL;
#ifdef __linux__
  /* Unsealed, the sender could shrink the file under our mapping (SIGBUS on read). */
  int seals = fcntl(fd, F_GET_SEALS);
  if (seals < 0 || !(seals & F_SEAL_SHRINK)) return NULL;
#endif
  video_payload* p = view(w, fd, 0, high, w->width, w->height);
  if (p && low && !(p->low = view(w, fd, high, low, w->low_width, w->low_height))) {
    video_payload_release(p);
    return NULL;
  }
  return p;
}
