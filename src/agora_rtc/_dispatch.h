/* _dispatch.h -- dispatched delivery for _core: engine threads copy each frame
 * or event once into a bounded queue and wake its consumer through a pipe;
 * they never take the GIL. The consumer (a Python thread or an asyncio loop,
 * woken by the pipe's read end) drains the queue with the GIL.
 *
 * Overflow drops the oldest item and counts it: an engine thread never blocks
 * on a slow consumer. The queue lock is held only to move one item. */
#pragma once

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agora_c/agora_media_base.h"

#define DQ_STR 256

typedef struct dq_item {
  int kind;
  uintptr_t handle;
  int i1, i2;
  unsigned int u1, u2; /* connection events: the connection's id and internal uid */
  int64_t queued_ns; /* CLOCK_MONOTONIC when the engine thread queued it */
  audio_frame frame;  /* frame.buffer is owned by the item (malloc) when set */
  char s1[DQ_STR];    /* user id */
  char s2[DQ_STR];    /* channel id */
} dq_item;

typedef struct dqueue {
  pthread_mutex_t lock;
  dq_item* items;
  int capacity, head, count;
  uint64_t pushed, dropped;
  int fds[2];         /* pipe: [0] read by the consumer, [1] written on empty -> non-empty */
  int closed;
} dqueue;

static void dq_copy_str(char* dst, const char* src) {
  size_t n = src ? strlen(src) : 0;
  if (n >= DQ_STR) n = DQ_STR - 1;
  memcpy(dst, src ? src : "", n);
  dst[n] = 0;
}

static dqueue* dq_new(int capacity) {
  dqueue* q = (dqueue*)calloc(1, sizeof *q);
  if (!q) return NULL;
  q->items = (dq_item*)calloc((size_t)capacity, sizeof(dq_item));
  if (!q->items || pipe(q->fds) != 0) {
    free(q->items);
    free(q);
    return NULL;
  }
  for (int i = 0; i < 2; i++) {
    fcntl(q->fds[i], F_SETFL, fcntl(q->fds[i], F_GETFL) | O_NONBLOCK);
    fcntl(q->fds[i], F_SETFD, FD_CLOEXEC);
  }
  q->capacity = capacity;
  pthread_mutex_init(&q->lock, NULL);
  return q;
}

static void dq_item_clear(dq_item* it) {
  free(it->frame.buffer);
  it->frame.buffer = NULL;
}

static void dq_free(dqueue* q) {
  if (!q) return;
  for (int i = 0; i < q->count; i++) dq_item_clear(&q->items[(q->head + i) % q->capacity]);
  free(q->items);
  close(q->fds[0]);
  close(q->fds[1]);
  pthread_mutex_destroy(&q->lock);
  free(q);
}

/* Engine thread: enqueue one item whose frame.buffer is `owned` (malloc'd, or
 * NULL); the queue owns it from here, and frees it when the item is dropped. */
static int dq_push_owned(dqueue* q, int kind, uintptr_t handle, int i1, int i2, unsigned int u1, unsigned int u2,
                         const char* s1, const char* s2, const audio_frame* frame, void* owned) {
  pthread_mutex_lock(&q->lock);
  if (q->closed) {
    pthread_mutex_unlock(&q->lock);
    free(owned);
    return -1;
  }
  if (q->count == q->capacity) { /* full: the oldest goes, counted */
    dq_item_clear(&q->items[q->head]);
    q->head = (q->head + 1) % q->capacity;
    q->count--;
    q->dropped++;
  }
  dq_item* it = &q->items[(q->head + q->count) % q->capacity];
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  it->queued_ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
  it->kind = kind;
  it->handle = handle;
  it->i1 = i1;
  it->i2 = i2;
  it->u1 = u1;
  it->u2 = u2;
  dq_copy_str(it->s1, s1);
  dq_copy_str(it->s2, s2);
  if (frame)
    it->frame = *frame;
  else
    memset(&it->frame, 0, sizeof it->frame);
  it->frame.buffer = owned;
  int was_empty = q->count == 0;
  q->count++;
  q->pushed++;
  pthread_mutex_unlock(&q->lock);
  if (was_empty) {
    char b = 1;
    ssize_t r = write(q->fds[1], &b, 1); /* a full pipe already means "wake up" */
    (void)r;
  }
  return 0;
}

/* Engine thread: enqueue one item (audio copied once into a new buffer). */
static int dq_push(dqueue* q, int kind, uintptr_t handle, int i1, int i2, const char* s1, const char* s2,
                   const audio_frame* frame) {
  void* data = NULL;
  if (frame) {
    size_t nbytes = (size_t)frame->samples_per_channel * (size_t)frame->channels * (size_t)frame->bytes_per_sample;
    data = malloc(nbytes ? nbytes : 1);
    if (!data) return -1;
    memcpy(data, frame->buffer, nbytes);
  }
  return dq_push_owned(q, kind, handle, i1, i2, 0, 0, s1, s2, frame, data);
}

/* Consumer: move the oldest item out (ownership of its buffer moves too). */
static int dq_pop(dqueue* q, dq_item* out) {
  int got = 0;
  pthread_mutex_lock(&q->lock);
  if (q->count) {
    dq_item* it = &q->items[q->head];
    *out = *it;
    it->frame.buffer = NULL;
    q->head = (q->head + 1) % q->capacity;
    q->count--;
    got = 1;
  }
  pthread_mutex_unlock(&q->lock);
  return got;
}

static void dq_drain_wakeups(dqueue* q) {
  char buf[64];
  while (read(q->fds[0], buf, sizeof buf) > 0) {
  }
}

/* A reader leaving items behind wakes itself again: producers write only when the queue was empty. */
static void dq_wake_if_pending(dqueue* q) {
  pthread_mutex_lock(&q->lock);
  int pending = q->count > 0;
  pthread_mutex_unlock(&q->lock);
  if (pending) {
    char b = 1;
    ssize_t r = write(q->fds[1], &b, 1); /* a full pipe already means "wake up" */
    (void)r;
  }
}

/* Registry: which queue a handle's dispatched callbacks go to. */
typedef struct dq_route {
  uintptr_t handle;
  int kind_mask;  /* which observer families route here */
  dqueue* q;
} dq_route;

static pthread_mutex_t dq_routes_lock = PTHREAD_MUTEX_INITIALIZER;
static dq_route* dq_routes;
static int dq_route_count, dq_route_capacity;

/* dq_routes_lock held: the index of the route for (handle, family), or -1. */
static int dq_route_index(uintptr_t handle, int family) {
  for (int i = 0; i < dq_route_count; i++)
    if (dq_routes[i].handle == handle && dq_routes[i].kind_mask == family) return i;
  return -1;
}

static int dq_route_set(uintptr_t handle, int family, dqueue* q) {
  int rc = 0;
  pthread_mutex_lock(&dq_routes_lock);
  int i = dq_route_index(handle, family);
  if (i < 0) {
    if (dq_route_count == dq_route_capacity) {
      int cap = dq_route_capacity ? dq_route_capacity * 2 : 16;
      dq_route* grown = (dq_route*)realloc(dq_routes, sizeof(dq_route) * (size_t)cap);
      if (!grown) {
        rc = -1;
        goto out;
      }
      dq_routes = grown;
      dq_route_capacity = cap;
    }
    i = dq_route_count++;
  }
  dq_routes[i].handle = handle;
  dq_routes[i].kind_mask = family;
  dq_routes[i].q = q;
out:
  pthread_mutex_unlock(&dq_routes_lock);
  return rc;
}

static void dq_route_clear(uintptr_t handle, int family) {
  pthread_mutex_lock(&dq_routes_lock);
  int i = dq_route_index(handle, family);
  if (i >= 0) dq_routes[i] = dq_routes[--dq_route_count];
  pthread_mutex_unlock(&dq_routes_lock);
}

/* Engine thread: push to the queue routed for (handle, family), if any. The
 * routes lock is held across the push so a queue cannot be freed under it. */
static int dq_route_push(int family, int kind, uintptr_t handle, int i1, int i2, const char* s1, const char* s2,
                         const audio_frame* frame) {
  pthread_mutex_lock(&dq_routes_lock);
  int i = dq_route_index(handle, family);
  int rc = i < 0 ? -1 : dq_push(dq_routes[i].q, kind, handle, i1, i2, s1, s2, frame);
  pthread_mutex_unlock(&dq_routes_lock);
  return rc;
}

/* A connection event: two ints and the connection's id and internal uid (u1, u2) with its strings. */
static int dq_route_push_conn(int family, int kind, uintptr_t handle, int i1, int i2, unsigned int u1, unsigned int u2,
                              const char* s1, const char* s2) {
  pthread_mutex_lock(&dq_routes_lock);
  int i = dq_route_index(handle, family);
  int rc = i < 0 ? -1 : dq_push_owned(dq_routes[i].q, kind, handle, i1, i2, u1, u2, s1, s2, NULL, NULL);
  pthread_mutex_unlock(&dq_routes_lock);
  return rc;
}

/* The same for an item that owns `blob` (a video frame copied once by the
 * caller): no second copy; freed here when nothing routes the handle. */
static int dq_route_push_blob(int family, int kind, uintptr_t handle, const char* s1, const char* s2, void* blob) {
  pthread_mutex_lock(&dq_routes_lock);
  int i = dq_route_index(handle, family);
  int rc = i < 0 ? -1 : dq_push_owned(dq_routes[i].q, kind, handle, 0, 0, 0, 0, s1, s2, NULL, blob);
  pthread_mutex_unlock(&dq_routes_lock);
  if (i < 0) free(blob);
  return rc;
}

static int dq_uses(dqueue* q) {
  int n = 0;
  pthread_mutex_lock(&dq_routes_lock);
  for (int i = 0; i < dq_route_count; i++) n += dq_routes[i].q == q;
  pthread_mutex_unlock(&dq_routes_lock);
  return n;
}
