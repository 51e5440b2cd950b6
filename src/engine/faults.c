/* faults.c -- injected network faults, set as parameters on the service (every
 * connection) or on one connection (agora_rtc_conn_get_agora_parameter):
 *
 *   loopback.fault.loss_percent     packets a connection sends to other processes, and its data
 *                                   stream messages, are lost with this probability
 *   loopback.fault.jitter_ms        its audio packets to other processes are held back a uniform
 *                                   0..jitter_ms of engine time (they arrive late, out of order)
 *   loopback.fault.reorder_percent  this share of its audio packets is held 20-30 ms more
 *   loopback.fault.bandwidth_kbps   audio beyond this rate (token bucket, 100 ms burst) is dropped
 *   loopback.fault.outage_ms        one-shot: the connection loses its network for this long
 *                                   (RECONNECTING at once, on_connection_lost after 10 s, then
 *                                   RECONNECTED and back in the channel)
 *
 * Receivers see what a network would show them: gaps, late and reordered
 * packets (the jitter buffer reorders and grows), frozen tracks, members that
 * drop and come back. Everything here runs under g_engine.lock. */
#include <stdlib.h>
#include <string.h>

#include "engine.h"

#define LOST_AFTER_MS 10000 /* Agora: on_connection_lost after 10 s without the network */

static unsigned int fault_seed = 777;

double fault_value(const connection* c, int which) {
  if (c && c->faults.set[which]) return c->faults.value[which];
  return g_engine.faults.value[which];
}

int fault_lost(const connection* c) {
  double loss = fault_value(c, FAULT_LOSS);
  return loss > 0 && rand_r(&fault_seed) % 10000 < loss * 100;
}

int fault_audio_delay(connection* c, size_t bytes) {
  double kbps = fault_value(c, FAULT_BANDWIDTH);
  if (kbps > 0) {
    int64_t now = engine_now_ms();
    double per_ms = kbps / 8.0; /* bytes per millisecond */
    c->bandwidth_tokens += (double)(now - c->bandwidth_refill_ms) * per_ms;
    if (c->bandwidth_tokens > per_ms * 100) c->bandwidth_tokens = per_ms * 100;
    c->bandwidth_refill_ms = now;
    if (c->bandwidth_tokens < (double)bytes) {
      c->fault_dropped++;
      return -1;
    }
    c->bandwidth_tokens -= (double)bytes;
  }
  int ticks = 0;
  int jitter_ticks = (int)(fault_value(c, FAULT_JITTER) / 10);
  if (jitter_ticks > 0) ticks += (int)(rand_r(&fault_seed) % (unsigned)(jitter_ticks + 1));
  double reorder = fault_value(c, FAULT_REORDER);
  if (reorder > 0 && rand_r(&fault_seed) % 10000 < reorder * 100) ticks += 2 + (int)(rand_r(&fault_seed) % 2);
  return ticks;
}

int fault_outage_active(const connection* c) { return c->outage_until_ms != 0; }

int quality_of(double loss_percent, double jitter_ms) {
  if (loss_percent < 1 && jitter_ms < 20) return QUALITY_EXCELLENT;
  if (loss_percent < 3 && jitter_ms < 50) return QUALITY_GOOD;
  if (loss_percent < 8 && jitter_ms < 100) return QUALITY_POOR;
  if (loss_percent < 15 && jitter_ms < 200) return QUALITY_BAD;
  return QUALITY_VBAD;
}

int fault_quality(const connection* c) {
  if (fault_outage_active(c)) return QUALITY_DOWN;
  double jitter = fault_value(c, FAULT_JITTER) + (fault_value(c, FAULT_REORDER) > 0 ? 30 : 0);
  return quality_of(fault_value(c, FAULT_LOSS), jitter);
}

static void outage_start(connection* c, double ms) {
  if (!c->channel || (c->state != CONNECTION_STATE_CONNECTED && !fault_outage_active(c))) return;
  int64_t now = engine_now_ms();
  if (!fault_outage_active(c)) {
    c->outage_started_ms = now;
    c->outage_lost_reported = 0;
    c->state = CONNECTION_STATE_RECONNECTING;
    event_post(EV_RECONNECTING, c, NULL, CONNECTION_CHANGED_INTERRUPTED, NULL);
  }
  c->outage_until_ms = now + (int64_t)ms;
}

void fault_tick(connection* c) {
  if (!fault_outage_active(c)) return;
  int64_t now = engine_now_ms();
  if (!c->channel) { /* left the channel meanwhile */
    c->outage_until_ms = 0;
    return;
  }
  if (now >= c->outage_until_ms) {
    c->outage_until_ms = 0;
    c->state = CONNECTION_STATE_CONNECTED;
    event_post(EV_RECONNECTED, c, NULL, CONNECTION_CHANGED_REJOIN_SUCCESS, NULL);
    transport_rejoin(c);
  } else if (!c->outage_lost_reported && now - c->outage_started_ms >= LOST_AFTER_MS) {
    c->outage_lost_reported = 1;
    event_post(EV_CONNECTION_LOST, c, NULL, CONNECTION_CHANGED_LOST, NULL);
  }
}

/* ---- the parameter keys ---- */

static const char* const KEYS[FAULT_COUNT] = {"loopback.fault.loss_percent", "loopback.fault.jitter_ms",
                                              "loopback.fault.reorder_percent", "loopback.fault.bandwidth_kbps"};
static const double MAXIMA[FAULT_COUNT] = {100, 1000, 100, 1e7};
static const char* const RANGES[FAULT_COUNT] = {"0..100", "0..1000 ms", "0..100", "0..1e7"};
#define KEY_OUTAGE "loopback.fault.outage_ms"

static int key_index(const char* key) {
  for (int i = 0; i < FAULT_COUNT; i++)
    if (strcmp(key, KEYS[i]) == 0) return i;
  return -1;
}

/* 1: a fault key with a valid value; 0: a fault key out of range; -1: not a fault key. */
int faults_check(const char* key, double value) {
  int i = key_index(key);
  if (i >= 0) return value >= 0 && value <= MAXIMA[i];
  if (strcmp(key, KEY_OUTAGE) == 0) return value > 0 && value <= 3600000;
  return -1;
}

/* What a fault key takes, for a refusal. */
const char* faults_range(const char* key) {
  int i = key_index(key);
  return i >= 0 ? RANGES[i] : strcmp(key, KEY_OUTAGE) == 0 ? "1..3600000 ms" : NULL;
}

int faults_set(parameter* scope, const char* key, double value) {
  int i = key_index(key);
  connection* c = scope ? scope->conn : NULL;
  pthread_mutex_lock(&g_engine.lock);
  if (i >= 0) {
    fault_config* f = c ? &c->faults : &g_engine.faults;
    f->value[i] = value;
    f->set[i] = 1;
  } else if (c) {
    if (!c->channel || (c->state != CONNECTION_STATE_CONNECTED && !fault_outage_active(c))) {
      pthread_mutex_unlock(&g_engine.lock);
      return -ERR_NOT_IN_CHANNEL; /* an outage of what? */
    }
    outage_start(c, value);
  } else {
    for (int k = 0; k < g_engine.conn_count; k++) outage_start(g_engine.conns[k], value);
  }
  pthread_mutex_unlock(&g_engine.lock);
  return ERR_OK;
}

/* g_engine.lock held. */
int faults_get(parameter* scope, const char* key, double* value) {
  int i = key_index(key);
  connection* c = scope ? scope->conn : NULL;
  if (i >= 0) {
    *value = fault_value(c, i);
    return ERR_OK;
  }
  if (strcmp(key, KEY_OUTAGE) == 0) {
    int64_t left = c && fault_outage_active(c) ? c->outage_until_ms - engine_now_ms() : 0;
    *value = (double)(left > 0 ? left : 0);
    return ERR_OK;
  }
  if (strcmp(key, "loopback.stats.fault_dropped") == 0) {
    uint64_t sum = 0;
    for (int k = 0; k < g_engine.conn_count; k++)
      if (!c || g_engine.conns[k] == c) sum += g_engine.conns[k]->fault_dropped;
    *value = (double)sum;
    return ERR_OK;
  }
  return -ERR_NOT_SUPPORTED;
}
