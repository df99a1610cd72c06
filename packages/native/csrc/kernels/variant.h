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

// exp(x) for |x| <= 88 by range reduction (x = n ln 2 + r) and a degree-6 polynomial, within
// 2 ulp; written without calls or branches so that the loops around it vectorise.
static inline float ht_expf(float x) {
  x = x < -87.0f ? -87.0f : (x > 88.0f ? 88.0f : x);
  float n = __builtin_floorf(x * 1.44269504088896341f + 0.5f);
  float r = x - n * 0.693359375f;
  r = r + n * 2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  union { float f; int32_t i; } scale;
  scale.i = ((int32_t)n + 127) << 23;
  return p * scale.f;
}

static inline float ht_sigmoid(float x) { return 1.0f / (1.0f + ht_expf(-x)); }

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
