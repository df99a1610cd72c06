// Evaluation-mode BatchNorm after an optional SiLU with given (running) statistics:
//   y = (act(x) - mean) / sqrt(var + eps) * w + b.
#include "variant.h"

void HT_FN(ht_act_batchnorm_eval)(const float *x, float *y, const float *w, const float *b, const float *mean,
                                  const float *var, size_t rows, size_t features, int act, float eps) {
  size_t F = features;
  float *scale = calloc(2 * F + 1, sizeof(float)), *shift = scale + F;
  for (size_t f = 0; f < F; f++) {
    scale[f] = w[f] / sqrtf(var[f] + eps);
    shift[f] = b[f] - mean[f] * scale[f];
  }
  for (size_t r = 0; r < rows; r++) {
    const float *xr = x + r * F;
    float *yr = y + r * F;
    if (act) {
      for (size_t f = 0; f < F; f++) yr[f] = xr[f] * ht_sigmoid(xr[f]) * scale[f] + shift[f];
    } else {
      for (size_t f = 0; f < F; f++) yr[f] = xr[f] * scale[f] + shift[f];
    }
  }
  free(scale);
}
