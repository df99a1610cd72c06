// Each kernel file is compiled once per instruction-set variant (scripts/build-addon.mjs):
// HT_VARIANT is avx2 (with -mavx2 -mfma) or generic, and HT_FN gives each copy its own name.
#ifndef HT_VARIANT
#error "compile the kernels with -DHT_VARIANT=avx2 or -DHT_VARIANT=generic"
#endif
#include "../hypertrack_native.h"
#include "../parallel.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#define HT_CAT2(a, b) a##_##b
#define HT_CAT(a, b) HT_CAT2(a, b)
#define HT_FN(name) HT_CAT(name, HT_VARIANT)

// Rows summed in float32 before the totals move to float64: short enough that the float sums
// lose nothing that matters, long enough that the inner loops vectorise over the features.
#define HT_SUM_CHUNK 256
// Thread start-up costs tens of microseconds: a thread takes at least this many chunks (or edge
// blocks) of work.
#define HT_MIN_CHUNKS_PER_THREAD 16
#define HT_EDGE_BLOCK 1024

#include "../fastmath.h"

// The end of block `block` of `size` items out of `total` (its start is block * size).
static inline size_t ht_block_end(size_t block, size_t size, size_t total) {
  size_t end = (block + 1) * size;
  return end < total ? end : total;
}

// sum over c < chunks of partial[c * stride + index], in float64 and in chunk order: the same for
// every thread count, whichever thread summed which chunk.
static inline double ht_sum_chunks(const float *partial, size_t chunks, size_t stride, size_t index) {
  double sum = 0.0;
  for (size_t c = 0; c < chunks; c++) sum += partial[c * stride + index];
  return sum;
}

// Index checks in one pass before the work: the kernels then run without branches.
static inline int ht_check_index(const int32_t *index, size_t count, size_t rows, size_t *bad) {
  for (size_t e = 0; e < count; e++) {
    if ((uint32_t)index[e] >= rows) {
      *bad = e;
      return HT_BAD_INDEX;
    }
  }
  return HT_OK;
}
