#include "parallel.h"
#include <pthread.h>
#include <stdatomic.h>

#define HT_MAX_THREADS 64

// Per thread: the main thread runs its kernels on every core while worker threads (one per core
// in data-parallel training) run theirs on one, in the same process.
static _Thread_local int kernel_threads = 1;

void ht_set_kernel_threads(int threads) {
  kernel_threads = threads < 1 ? 1 : (threads > HT_MAX_THREADS ? HT_MAX_THREADS : threads);
}

int ht_kernel_threads(void) { return kernel_threads; }

typedef struct {
  ht_block_fn fn;
  void *context;
  size_t blocks;
  atomic_size_t next;
} shared_work;

static void *worker(void *arg) {
  shared_work *work = arg;
  for (;;) {
    size_t block = atomic_fetch_add(&work->next, 1);
    if (block >= work->blocks) return NULL;
    work->fn(work->context, block);
  }
}

void ht_parallel_blocks(size_t blocks, size_t min_blocks_per_thread, ht_block_fn fn, void *context) {
  size_t threads = (size_t)kernel_threads;
  if (min_blocks_per_thread < 1) min_blocks_per_thread = 1;
  if (threads > blocks / min_blocks_per_thread) threads = blocks / min_blocks_per_thread;
  if (threads <= 1) {
    for (size_t b = 0; b < blocks; b++) fn(context, b);
    return;
  }
  shared_work work = {fn, context, blocks, 0};
  pthread_t helpers[HT_MAX_THREADS];
  size_t started = 0;
  for (size_t t = 1; t < threads; t++) {
    if (pthread_create(&helpers[started], NULL, worker, &work) == 0) started++;
  }
  worker(&work);  // the calling thread works too; a helper that failed to start is not needed
  for (size_t t = 0; t < started; t++) pthread_join(helpers[t], NULL);
}
