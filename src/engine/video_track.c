/* video_track.c -- video frame and encoded image senders, custom video tracks
 * and their send queues.
 *
 * A send runs on the caller's thread (Python releases the GIL around it): it
 * checks the frame, converts it to I420 (raw) or copies it (encoded) into one
 * immutable payload, and queues it on the track without g_engine.lock. The
 * engine thread is kicked and delivers at once, so frames reach receivers at
 * the sender's pace. A queue that is full (engine thread behind) drops its
 * oldest frame and counts it; frames sent while the track is unpublished or
 * disabled are discarded and counted. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "engine.h"


static video_sender* sender_new(AGORA_HANDLE agora_media_node_factory, uint32_t magic) {
  factory* f = agora_media_node_factory;
  if (!f || f->magic != MAGIC_FACTORY) return NULL;
  video_sender* s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->magic = magic;
  pthread_mutex_init(&s->lock, NULL);
  pthread_mutex_lock(&g_engine.lock);
  g_engine.live_video_senders++;
  pthread_mutex_unlock(&g_engine.lock);
  return s;
}

static void sender_destroy(AGORA_HANDLE h, uint32_t magic) {
  video_sender* s = h;
  if (!s || s->magic != magic) return;
  pthread_mutex_lock(&g_engine.lock);
  pthread_mutex_lock(&s->lock);
  video_track* t = s->track;
  s->track = NULL;
  s->magic = MAGIC_DEAD;
  pthread_mutex_unlock(&s->lock);
  if (t) {
    t->sender = NULL;
    video_track_release(t); /* the sender's link */
  }
  g_engine.live_video_senders--;
  pthread_mutex_unlock(&g_engine.lock);
  pthread_mutex_destroy(&s->lock);
  free(s);
}

AGORA_API_C_HDL agora_media_node_factory_create_video_frame_sender(AGORA_HANDLE agora_media_node_factory) {
  return sender_new(agora_media_node_factory, MAGIC_VIDEO_SENDER);
}

AGORA_API_C_VOID agora_video_frame_sender_destroy(AGORA_HANDLE agora_video_frame_sender) {
  sender_destroy(agora_video_frame_sender, MAGIC_VIDEO_SENDER);
}

AGORA_API_C_HDL agora_media_node_factory_create_video_encoded_image_sender(AGORA_HANDLE agora_media_node_factory) {
  return sender_new(agora_media_node_factory, MAGIC_ENCODED_SENDER);
}

AGORA_API_C_VOID agora_video_encoded_image_sender_destroy(AGORA_HANDLE agora_video_encoded_image_sender) {
  sender_destroy(agora_video_encoded_image_sender, MAGIC_ENCODED_SENDER);
}

static AGORA_HANDLE track_new(AGORA_HANDLE agora_svc, AGORA_HANDLE sender, uint32_t sender_magic,
                              const sender_options* options) {
  service* svc = agora_svc;
  video_sender* s = sender;
  if (!svc || svc->magic != MAGIC_SERVICE || !s || s->magic != sender_magic) return NULL;
  video_track* t = calloc(1, sizeof *t);
  if (!t) return NULL;
  t->magic = MAGIC_VIDEO_TRACK;
  t->refs = 2; /* the handle and the sender's link */
  t->encoded = sender_magic == MAGIC_ENCODED_SENDER;
  t->enabled = 1;
  if (options) t->options = *options;
  pthread_mutex_init(&t->lock, NULL);
  pthread_mutex_lock(&g_engine.lock);
  pthread_mutex_lock(&s->lock);
  video_track* old = s->track; /* one track per sender: the newest takes its frames */
  s->track = t;
  t->sender = s;
  pthread_mutex_unlock(&s->lock);
  if (old) {
    old->sender = NULL;
    video_track_release(old);
  }
  g_engine.live_video_tracks++;
  pthread_mutex_unlock(&g_engine.lock);
  return t;
}

AGORA_API_C_HDL agora_service_create_custom_video_track_frame(AGORA_HANDLE agora_svc, AGORA_HANDLE agora_video_frame_sender) {
  return track_new(agora_svc, agora_video_frame_sender, MAGIC_VIDEO_SENDER, NULL);
}

AGORA_API_C_HDL agora_service_create_custom_video_track_encoded(AGORA_HANDLE agora_svc,
                                                                AGORA_HANDLE agora_video_encoded_image_sender,
                                                                const sender_options* options) {
  return track_new(agora_svc, agora_video_encoded_image_sender, MAGIC_ENCODED_SENDER, options);
}

void video_payload_release(video_payload* p) {
  if (!p || __atomic_sub_fetch(&p->refs, 1, __ATOMIC_ACQ_REL) > 0) return;
  video_payload_release(p->low);
  if (p->mapping) munmap(p->mapping, p->mapping_length);
  free(p);
}

void video_track_release(video_track* t) {
  if (--t->refs > 0) return;
  for (int i = 0; i < t->count; i++) video_payload_release(t->queue[(t->head + i) % VIDEO_QUEUE_FRAMES]);
  t->magic = MAGIC_DEAD;
  pthread_mutex_destroy(&t->lock);
  g_engine.live_video_tracks--;
  free(t);
}

static size_t payload_bytes(const video_payload* p) {
  return p->encoded ? p->length : (size_t)p->width * p->height * 3 / 2;
}

/* The oldest queued frame, taken off the queue (t->lock held, t->count > 0). */
static video_payload* dequeue_locked(video_track* t) {
  video_payload* p = t->queue[t->head];
  t->head = (t->head + 1) % VIDEO_QUEUE_FRAMES;
  t->count--;
  t->queued_bytes -= payload_bytes(p);
  return p;
}

video_payload* video_track_pop(video_track* t) {
  video_payload* p = NULL;
  pthread_mutex_lock(&t->lock);
  if (t->count) {
    p = dequeue_locked(t);
    t->last_sent_ms = engine_now_ms(); /* engine time is the engine thread's: stamped here, not on send */
    if (!t->first_sent_ms) t->first_sent_ms = t->last_sent_ms ? t->last_sent_ms : 1;
  }
  pthread_mutex_unlock(&t->lock);
  return p;
}

/* Unpublished everywhere: what is still queued goes (counted as discarded). g_engine.lock held. */
void video_track_discard_queued(video_track* t) {
  video_payload* stale[VIDEO_QUEUE_FRAMES];
  int nstale = 0;
  pthread_mutex_lock(&t->lock);
  while (t->count) {
    stale[nstale++] = dequeue_locked(t);
    t->frames_discarded++;
  }
  pthread_mutex_unlock(&t->lock);
  for (int k = 0; k < nstale; k++) video_payload_release(stale[k]);
}

/* Queues p (taking its reference), or discards it when the track is not live.
 * Returns 1 if queued: the caller kicks the engine thread once it holds no
 * sender lock (engine_kick may take g_engine.lock, which precedes it). */
static int track_push(video_track* t, video_payload* p) {
  video_payload* dropped[VIDEO_QUEUE_FRAMES + 1];
  int ndropped = 0;
  size_t size = payload_bytes(p);
  pthread_mutex_lock(&t->lock);
  if (!t->published || !t->enabled) {
    t->frames_discarded++;
    dropped[ndropped++] = p;
  } else {
    /* The engine thread is behind: the oldest frames go. */
    while (t->count && (t->count == VIDEO_QUEUE_FRAMES || t->queued_bytes + size > VIDEO_QUEUE_BYTES)) {
      dropped[ndropped++] = dequeue_locked(t);
      t->frames_dropped++;
    }
    t->queue[(t->head + t->count) % VIDEO_QUEUE_FRAMES] = p;
    t->count++;
    t->queued_bytes += size;
    t->frames_sent++;
    t->bytes_sent += size;
    if (!p->encoded) {
      t->last_width = p->width;
      t->last_height = p->height;
    }
  }
  pthread_mutex_unlock(&t->lock);
  int queued = !(ndropped && dropped[0] == p);
  for (int i = 0; i < ndropped; i++) video_payload_release(dropped[i]);
  return queued;
}

size_t video_i420_bytes(int width, int height, int with_alpha, int metadata_size) {
  size_t luma = (size_t)width * height, chroma = (size_t)((width + 1) / 2) * ((height + 1) / 2);
  return luma + 2 * chroma + (with_alpha ? luma : 0) + (size_t)metadata_size;
}

void video_i420_layout(video_payload* p, uint8_t* base, int with_alpha) {
  size_t luma = (size_t)p->width * p->height, chroma = (size_t)((p->width + 1) / 2) * ((p->height + 1) / 2);
  p->y = base;
  p->u = p->y + luma;
  p->v = p->u + chroma;
  p->alpha = with_alpha ? p->v + chroma : NULL;
  p->metadata = p->metadata_size ? p->v + chroma + (with_alpha ? luma : 0) : NULL;
}

static video_payload* i420_payload(int width, int height, int with_alpha, int metadata_size) {
  video_payload* p = malloc(sizeof(video_payload) + video_i420_bytes(width, height, with_alpha, metadata_size));
  if (!p) return NULL;
  memset(p, 0, sizeof *p);
  p->refs = 1;
  p->width = width;
  p->height = height;
  p->metadata_size = metadata_size;
  video_i420_layout(p, (uint8_t*)(p + 1), with_alpha);
  return p;
}

/* The largest even size within (max_w, max_h) with the frame's aspect ratio, or 0 if it already fits. */
static int fit(int w, int h, int max_w, int max_h, int* out_w, int* out_h) {
  if (max_w <= 0 || max_h <= 0 || (w <= max_w && h <= max_h)) return 0;
  double scale = (double)max_w / w < (double)max_h / h ? (double)max_w / w : (double)max_h / h;
  *out_w = (int)(w * scale) & ~1;
  *out_h = (int)(h * scale) & ~1;
  if (*out_w < 2) *out_w = 2;
  if (*out_h < 2) *out_h = 2;
  return 1;
}

/* src at w x h, with its alpha (scaled) and metadata. */
static video_payload* scaled(const video_payload* src, int w, int h) {
  video_payload* p = i420_payload(w, h, src->alpha != NULL, src->metadata_size);
  if (!p) return NULL;
  video_i420_scale(src->y, src->u, src->v, src->width, src->height, p->y, p->u, p->v, w, h);
  if (src->alpha) video_plane_scale(src->alpha, src->width, src->height, p->alpha, w, h);
  if (src->metadata_size) memcpy(p->metadata, src->metadata, (size_t)src->metadata_size);
  p->rotation = src->rotation;
  p->timestamp_ms = src->timestamp_ms;
  return p;
}

static int check_raw(const external_video_frame* f, int* width, int* height) {
  if (f->type == VIDEO_BUFFER_TEXTURE) return -ERR_NOT_SUPPORTED;
  if (f->type != VIDEO_BUFFER_RAW_DATA && f->type != VIDEO_BUFFER_ARRAY) return -ERR_INVALID_ARGUMENT;
  int yuv = f->format == VIDEO_PIXEL_I420 || f->format == VIDEO_PIXEL_NV12 || f->format == VIDEO_PIXEL_NV21;
  if (!yuv && f->format != VIDEO_PIXEL_RGBA && f->format != VIDEO_PIXEL_BGRA) return -ERR_NOT_SUPPORTED;
  if (!f->buffer || f->stride <= 0 || f->height <= 0 || f->stride > VIDEO_MAX_DIMENSION ||
      f->height > VIDEO_MAX_DIMENSION)
    return -ERR_INVALID_ARGUMENT;
  if (f->crop_left < 0 || f->crop_top < 0 || f->crop_right < 0 || f->crop_bottom < 0) return -ERR_INVALID_ARGUMENT;
  /* In 64 bits: crops near INT_MAX would wrap an int difference back into range. */
  int64_t visible_width = (int64_t)f->stride - f->crop_left - f->crop_right;
  int64_t visible_height = (int64_t)f->height - f->crop_top - f->crop_bottom;
  if (visible_width <= 0 || visible_height <= 0) return -ERR_INVALID_ARGUMENT;
  *width = (int)visible_width; /* <= stride, height: ints */
  *height = (int)visible_height;
  /* 4:2:0 planes: the whole buffer and the visible window on even pixels. */
  if (yuv && ((f->stride | f->height | f->crop_left | f->crop_top | *width | *height) & 1)) return -ERR_INVALID_ARGUMENT;
  if (f->rotation != 0 && f->rotation != 90 && f->rotation != 180 && f->rotation != 270) return -ERR_INVALID_ARGUMENT;
  if (f->metadata_size < 0 || f->metadata_size > LOOPBACK_VIDEO_MAX_METADATA || (f->metadata_size && !f->metadata_buffer))
    return -ERR_INVALID_ARGUMENT;
  return ERR_OK;
}

static video_payload* convert(const external_video_frame* f, int width, int height) {
  int rgb = f->format == VIDEO_PIXEL_RGBA || f->format == VIDEO_PIXEL_BGRA;
  int with_alpha = f->alpha_buffer || (rgb && f->fill_alpha_buffer);
  video_payload* p = i420_payload(width, height, with_alpha, f->metadata_size);
  if (!p) return NULL;
  const uint8_t* base = f->buffer;
  int stride = f->stride;
  switch (f->format) {
    case VIDEO_PIXEL_I420: {
      /* Crop by converting the window: offsets into each plane. */
      const uint8_t* y = base + (size_t)f->crop_top * stride + f->crop_left;
      const uint8_t* u = base + (size_t)stride * f->height + (size_t)(f->crop_top / 2) * (stride / 2) + f->crop_left / 2;
      const uint8_t* v = base + (size_t)stride * f->height + (size_t)(stride / 2) * (f->height / 2) +
                         (size_t)(f->crop_top / 2) * (stride / 2) + f->crop_left / 2;
      for (int row = 0; row < height; row++) memcpy(p->y + (size_t)row * width, y + (size_t)row * stride, (size_t)width);
      for (int row = 0; row < height / 2; row++) {
        memcpy(p->u + (size_t)row * (width / 2), u + (size_t)row * (stride / 2), (size_t)width / 2);
        memcpy(p->v + (size_t)row * (width / 2), v + (size_t)row * (stride / 2), (size_t)width / 2);
      }
      break;
    }
    case VIDEO_PIXEL_NV12:
    case VIDEO_PIXEL_NV21:
      if (f->crop_left || f->crop_top || f->crop_right || f->crop_bottom) {
        /* A cropped NV12 window: convert the whole frame, then take the window's planes. */
        video_payload* whole = i420_payload(stride, f->height, 0, 0);
        if (!whole) break;
        video_nv12_to_i420(base, stride, stride, f->height, f->format == VIDEO_PIXEL_NV21, whole->y, whole->u, whole->v);
        external_video_frame w = *f;
        w.format = VIDEO_PIXEL_I420;
        w.buffer = whole->y; /* y, u, v are contiguous with the same geometry as an I420 buffer */
        video_payload_release(p);
        p = convert(&w, width, height);
        video_payload_release(whole);
        return p;
      }
      video_nv12_to_i420(base, stride, width, height, f->format == VIDEO_PIXEL_NV21, p->y, p->u, p->v);
      break;
    default: { /* RGBA, BGRA */
      const uint8_t* window = base + ((size_t)f->crop_top * stride + f->crop_left) * 4;
      video_rgba_to_i420(window, stride, width, height, f->format == VIDEO_PIXEL_BGRA, p->y, p->u, p->v,
                         f->alpha_buffer ? NULL : p->alpha);
    }
  }
  if (f->alpha_buffer) { /* given alpha: width x height bytes, row-contiguous */
    memcpy(p->alpha, f->alpha_buffer, (size_t)width * height);
  }
  if (f->metadata_size) memcpy(p->metadata, f->metadata_buffer, (size_t)f->metadata_size);
  p->rotation = f->rotation;
  p->timestamp_ms = f->timestamp;
  return p;
}

/* Whether frames sent now would go out (published and enabled); when not, the frame is counted as
 * discarded. track_push checks again under the same lock: the state may change in between. */
static int track_live(video_track* t) {
  pthread_mutex_lock(&t->lock);
  int live = t->published && t->enabled;
  if (!live) t->frames_discarded++;
  pthread_mutex_unlock(&t->lock);
  return live;
}

AGORA_API_C_INT agora_video_frame_sender_send(AGORA_HANDLE agora_video_frame_sender, const external_video_frame* frame) {
  video_sender* s = agora_video_frame_sender;
  if (!s || s->magic != MAGIC_VIDEO_SENDER || !frame) return -ERR_INVALID_ARGUMENT;
  int width, height;
  int rc = check_raw(frame, &width, &height);
  if (rc != ERR_OK) return rc;
  pthread_mutex_lock(&s->lock); /* held while converting: the sender stays attached to its track */
  video_track* t = s->track;
  if (!t) {
    pthread_mutex_unlock(&s->lock);
    return -ERR_NOT_READY; /* no track made from this sender yet */
  }
  pthread_mutex_lock(&t->lock);
  int live = t->published && t->enabled;
  video_encoder_config config = t->config;
  int simulcast = t->simulcast;
  simulcast_stream_config low = t->simulcast_config;
  if (!live) t->frames_discarded++;
  pthread_mutex_unlock(&t->lock);
  int queued = 0;
  if (live) {
    video_payload* p = convert(frame, width, height);
    int w, h;
    if (p && fit(p->width, p->height, config.dimensions.width, config.dimensions.height, &w, &h)) {
      /* The encoder configuration caps the resolution (aspect kept), as Agora's encoder does. */
      video_payload* small = scaled(p, w, h);
      video_payload_release(p);
      p = small;
    }
    if (p && simulcast && fit(p->width, p->height, low.dimensions.width, low.dimensions.height, &w, &h))
      p->low = scaled(p, w, h);
    if (!p) {
      rc = -ERR_RESOURCE_LIMITED;
    } else {
      queued = track_push(t, p);
    }
  }
  pthread_mutex_unlock(&s->lock);
  if (queued) engine_kick();
  return rc;
}

AGORA_API_C_INT agora_video_encoded_image_sender_send(AGORA_HANDLE agora_video_encoded_image_sender,
                                                      const uint8_t* image_buffer, uint32_t length,
                                                      const encoded_video_frame_info* info) {
  video_sender* s = agora_video_encoded_image_sender;
  if (!s || s->magic != MAGIC_ENCODED_SENDER || !image_buffer || !info || length == 0 || length > LOOPBACK_VIDEO_MAX_ENCODED)
    return -ERR_INVALID_ARGUMENT;
  if (info->stream_type != VIDEO_STREAM_HIGH && info->stream_type != VIDEO_STREAM_LOW) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&s->lock); /* held while copying: the sender stays attached to its track */
  video_track* t = s->track;
  if (!t) {
    pthread_mutex_unlock(&s->lock);
    return -ERR_NOT_READY; /* no track made from this sender yet */
  }
  int queued = 0;
  if (track_live(t)) { /* else counted as discarded, without copying the image only to free it */
    video_payload* p = malloc(sizeof *p + length);
    if (!p) {
      pthread_mutex_unlock(&s->lock);
      return -ERR_RESOURCE_LIMITED;
    }
    memset(p, 0, sizeof *p);
    p->refs = 1;
    p->encoded = 1;
    p->data = (uint8_t*)(p + 1);
    p->length = length;
    memcpy(p->data, image_buffer, length);
    p->info = *info;
    p->width = info->width;
    p->height = info->height;
    p->rotation = info->rotation;
    queued = track_push(t, p);
  }
  pthread_mutex_unlock(&s->lock);
  if (queued) engine_kick();
  return 1; /* Agora's sendEncodedVideoImage returns a C++ bool */
}

static video_track* track_from(AGORA_HANDLE h) {
  video_track* t = h;
  return (t && t->magic == MAGIC_VIDEO_TRACK) ? t : NULL;
}

AGORA_API_C_HDL agora_local_video_track_destroy(AGORA_HANDLE agora_local_video_track) {
  video_track* t = track_from(agora_local_video_track);
  if (!t) return NULL;
  pthread_mutex_lock(&g_engine.lock);
  for (int i = 0; i < g_engine.conn_count; i++) { /* unpublish from every local user still holding it */
    connection* c = g_engine.conns[i];
    local_user* u = &c->user;
    for (int k = 0; k < u->published_video_count; k++) {
      if (u->published_video[k] == t) {
        u->published_video[k] = u->published_video[--u->published_video_count];
        pthread_mutex_lock(&t->lock);
        t->published--;
        pthread_mutex_unlock(&t->lock);
        video_track_release(t);
        if (u->published_video_count == 0) video_unpublished(c);
        k--;
      }
    }
  }
  video_sender* s = t->sender;
  if (s) {
    pthread_mutex_lock(&s->lock);
    if (s->track == t) {
      s->track = NULL;
      t->refs--;
    }
    pthread_mutex_unlock(&s->lock);
    t->sender = NULL;
  }
  video_track_release(t);
  pthread_mutex_unlock(&g_engine.lock);
  return NULL;
}

AGORA_API_C_INT agora_local_video_track_set_enabled(AGORA_HANDLE agora_local_video_track, int enable) {
  video_track* t = track_from(agora_local_video_track);
  if (!t) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&g_engine.lock);
  pthread_mutex_lock(&t->lock);
  int was = t->enabled;
  t->enabled = enable ? 1 : 0;
  pthread_mutex_unlock(&t->lock);
  if (was && !enable) /* members stop seeing every user that published it */
    for (int i = 0; i < g_engine.conn_count; i++)
      for (int k = 0; k < g_engine.conns[i]->user.published_video_count; k++)
        if (g_engine.conns[i]->user.published_video[k] == t) video_unpublished(g_engine.conns[i]);
  pthread_mutex_unlock(&g_engine.lock);
  return ERR_OK;
}

AGORA_API_C_INT agora_local_video_track_get_state(AGORA_HANDLE agora_local_video_track) {
  video_track* t = track_from(agora_local_video_track);
  if (!t) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&t->lock);
  int state = !t->enabled ? LOCAL_VIDEO_STREAM_STATE_STOPPED
              : t->published ? LOCAL_VIDEO_STREAM_STATE_ENCODING
                             : LOCAL_VIDEO_STREAM_STATE_CAPTURING;
  pthread_mutex_unlock(&t->lock);
  return state;
}

static int valid_dimensions(const video_dimensions* d) {
  return d->width >= 0 && d->height >= 0 && d->width <= VIDEO_MAX_DIMENSION && d->height <= VIDEO_MAX_DIMENSION;
}

AGORA_API_C_INT agora_local_video_track_set_video_encoder_config(AGORA_HANDLE agora_local_video_track,
                                                                 const video_encoder_config* config) {
  video_track* t = track_from(agora_local_video_track);
  if (!t || !config || !valid_dimensions(&config->dimensions) || config->frame_rate < 0 || config->bitrate < -1)
    return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&t->lock);
  t->config = *config;
  pthread_mutex_unlock(&t->lock);
  return ERR_OK;
}

AGORA_API_C_INT agora_local_video_track_enable_simulcast_stream(AGORA_HANDLE agora_local_video_track, int enabled,
                                                                const simulcast_stream_config* config) {
  video_track* t = track_from(agora_local_video_track);
  if (!t || (enabled && (!config || !valid_dimensions(&config->dimensions) || config->dimensions.width == 0 ||
                         config->dimensions.height == 0)))
    return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&t->lock);
  t->simulcast = enabled ? 1 : 0;
  if (enabled) t->simulcast_config = *config;
  pthread_mutex_unlock(&t->lock);
  return ERR_OK;
}

AGORA_API_C_INT agora_loopback_video_track_get_stats(AGORA_HANDLE agora_local_video_track, loopback_video_track_stats* stats) {
  video_track* t = track_from(agora_local_video_track);
  if (!t || !stats) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&t->lock);
  stats->sent_frames = t->frames_sent;
  stats->dropped_frames = t->frames_dropped;
  stats->discarded_frames = t->frames_discarded;
  stats->sent_bytes = t->bytes_sent;
  stats->queued_frames = (uint64_t)t->count;
  stats->last_width = t->last_width;
  stats->last_height = t->last_height;
  pthread_mutex_unlock(&t->lock);
  return ERR_OK;
}
