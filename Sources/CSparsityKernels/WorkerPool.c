// A small pool of worker threads that spin briefly between jobs, for kernels whose whole run
// takes microseconds: a compiled layer at batch 1 runs in 3-20 us, and handing half of it to a
// parked thread (futex wake-up) costs about as much as it saves. Workers spin for about
// SPIN_NANOSECONDS after a job, then sleep on a condition variable until the next one.
//
// Protocol: one job at a time (a caller that finds the pool busy, for instance a task that
// itself splits work, gets 0 and runs another way). The caller writes the job, bumps
// `generation` (release), runs piece 0, and waits until every worker has acknowledged the
// generation; worker i runs piece i + 1 when the job has that many pieces. As every worker
// acknowledges every job before the next one is written, no worker ever reads a half-written job.
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "CSparsityKernels.h"

#define MAXIMUM_WORKERS 255
#define SPIN_NANOSECONDS 200000

static struct {
  pthread_mutex_t mutex;
  pthread_cond_t wake;
  _Atomic uint64_t generation;
  _Atomic int32_t acknowledged;
  _Atomic int32_t busy;
  int32_t sleepers;  // under mutex
  int32_t workers;   // started so far; grows under mutex, only by a caller holding `busy`
  int32_t cannot_grow;  // set when a thread could not be started; never retried
  sparsity_pool_task task;
  void *context;
  int64_t pieces;
} pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, 0, 0, 0, 0, 0, 0};

static inline void relax(void) {
#if defined(__x86_64__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ volatile("yield");
#endif
}

static inline uint64_t nanoseconds(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

// Waits until `generation` differs from `seen`: spinning first, then asleep.
static uint64_t next_generation(uint64_t seen) {
  uint64_t deadline = 0;
  for (uint32_t spins = 0;; spins++) {
    uint64_t current = atomic_load_explicit(&pool.generation, memory_order_acquire);
    if (current != seen) return current;
    relax();
    if ((spins & 1023) != 1023) continue;
    uint64_t now = nanoseconds();
    if (deadline == 0) deadline = now + SPIN_NANOSECONDS;
    if (now < deadline) continue;
    pthread_mutex_lock(&pool.mutex);
    pool.sleepers++;
    while (atomic_load_explicit(&pool.generation, memory_order_acquire) == seen) pthread_cond_wait(&pool.wake, &pool.mutex);
    pool.sleepers--;
    pthread_mutex_unlock(&pool.mutex);
    deadline = 0;
  }
}

// A worker's piece (its number + 1) and the generation before its first job.
struct worker_start {
  int64_t piece;
  uint64_t generation;
};

static void *worker_main(void *argument) {
  const struct worker_start start = *(struct worker_start *)argument;
  free(argument);
  const int64_t piece = start.piece;
  uint64_t seen = start.generation;
  for (;;) {
    seen = next_generation(seen);
    if (piece < pool.pieces) pool.task(pool.context, piece);
    atomic_fetch_add_explicit(&pool.acknowledged, 1, memory_order_release);
  }
  return 0;
}

// Starts workers up to `wanted`; returns how many run. Once a thread cannot be started (an
// address-space limit such as `ulimit -v` leaves no room for its stack, or a thread limit),
// no more are tried: every attempt would cost an mmap that fails.
static int32_t grow(int32_t wanted) {
  if (wanted > MAXIMUM_WORKERS) wanted = MAXIMUM_WORKERS;
  while (pool.workers < wanted && !pool.cannot_grow) {
    struct worker_start *start = malloc(sizeof *start);
    if (!start) {
      pool.cannot_grow = 1;
      break;
    }
    start->piece = pool.workers + 1;
    start->generation = atomic_load_explicit(&pool.generation, memory_order_relaxed);
    pthread_t thread;
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    int failed = pthread_create(&thread, &attributes, worker_main, start);
    pthread_attr_destroy(&attributes);
    if (failed) {
      free(start);
      pool.cannot_grow = 1;
      break;
    }
    pthread_mutex_lock(&pool.mutex);
    pool.workers++;
    pthread_mutex_unlock(&pool.mutex);
  }
  return pool.workers;
}

int32_t sparsity_pool_run(int64_t pieces, sparsity_pool_task task, void *context) {
  if (pieces <= 1) {
    if (pieces == 1) task(context, 0);
    return 1;
  }
  int32_t expected = 0;
  if (!atomic_compare_exchange_strong(&pool.busy, &expected, 1)) return 0;
  if (grow((int32_t)(pieces - 1)) < pieces - 1) {
    // Not enough threads can be started: run every piece here, one after another (Dispatch,
    // the caller's other way, could not start threads either).
    for (int64_t i = 0; i < pieces; i++) task(context, i);
    atomic_store(&pool.busy, 0);
    return 1;
  }
  pool.task = task;
  pool.context = context;
  pool.pieces = pieces;
  atomic_store_explicit(&pool.acknowledged, 0, memory_order_relaxed);
  atomic_fetch_add_explicit(&pool.generation, 1, memory_order_release);
  pthread_mutex_lock(&pool.mutex);
  if (pool.sleepers > 0) pthread_cond_broadcast(&pool.wake);
  const int32_t workers = pool.workers;
  pthread_mutex_unlock(&pool.mutex);
  task(context, 0);
  while (atomic_load_explicit(&pool.acknowledged, memory_order_acquire) < workers) relax();
  atomic_store_explicit(&pool.busy, 0, memory_order_release);
  return 1;
}

// The thread count limit of `Parallel.withThreadCount`, per thread (0: none). A C thread-local:
// reading a Swift task-local costs a runtime call, and setting one allocates, at every compiled
// layer of a batch-1 inference.
static _Thread_local int32_t thread_limit = 0;

int32_t sparsity_thread_limit(void) { return thread_limit; }

int32_t sparsity_set_thread_limit(int32_t limit) {
  const int32_t previous = thread_limit;
  thread_limit = limit;
  return previous;
}
