// Vectorisable exp and sigmoid for the kernels (no calls, no branches: the loops around them
// vectorise with -fno-trapping-math).
#ifndef HT_FASTMATH_H
#define HT_FASTMATH_H
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
#endif
