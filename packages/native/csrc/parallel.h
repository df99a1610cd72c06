// A parallel loop over row blocks for the kernels: `threads` pthreads (the caller's included), each
// taking whole blocks in turn. A kernel whose blocks write disjoint rows, or partial sums per block
// that the caller adds in block order, gives bitwise the same result for every thread count.
#ifndef HT_PARALLEL_H
#define HT_PARALLEL_H
#include <stddef.h>

typedef void (*ht_block_fn)(void *context, size_t block);

// Runs fn(context, b) for b in [0, blocks); single-threaded below `min_blocks_per_thread` blocks
// per thread, since starting a thread costs tens of microseconds.
void ht_parallel_blocks(size_t blocks, size_t min_blocks_per_thread, ht_block_fn fn, void *context);
// The threads the kernels called from this thread may use (1 by default; set with the BLAS threads).
void ht_set_kernel_threads(int threads);
int ht_kernel_threads(void);
#endif
