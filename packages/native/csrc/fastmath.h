// Vectorisable exp and sigmoid for the kernels (no calls, no branches: the loops around them
// vectorise with -fno-trapping-math).
#ifndef HT_FASTMATH_H
#define HT_FASTMATH_H
#include <stddef.h>
#include <stdint.h>

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
// The per-edge products of a pair of rows: out[k] = a[k] b[k] (when out is not NULL), and the dot
// product and squared distance. Sums in 16 lanes, then the lanes in order: the loops vectorise (a
// single running sum would be a chain of dependent adds), and the order is fixed.
static inline void ht_pair_products(const float *a, const float *b, float *out, size_t d, float *dot_out,
                                    float *sq_out) {
  float dot[16] = {0}, sq[16] = {0};
  size_t k = 0;
  for (; k + 16 <= d; k += 16) {
    for (int j = 0; j < 16; j++) {
      float p = a[k + j] * b[k + j], diff = a[k + j] - b[k + j];
      if (out != NULL) out[k + j] = p;
      dot[j] += p;
      sq[j] += diff * diff;
    }
  }
  for (; k < d; k++) {
    float p = a[k] * b[k], diff = a[k] - b[k];
    if (out != NULL) out[k] = p;
    dot[0] += p;
    sq[0] += diff * diff;
  }
  float total_dot = 0.0f, total_sq = 0.0f;
  for (int j = 0; j < 16; j++) {
    total_dot += dot[j];
    total_sq += sq[j];
  }
  *dot_out = total_dot;
  *sq_out = total_sq;
}
#endif
