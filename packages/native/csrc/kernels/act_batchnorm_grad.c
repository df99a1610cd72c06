// Gradient of act_batchnorm, with x^ = (a - mean) / sqrt(var + eps):
//   db = sum dy, dw = sum dy x^, da = w / sqrt(var + eps) (dy - db / R - x^ dw / R),
//   dx = da act'(x) (SiLU: s (1 + x (1 - s)) with s = sigmoid(x)).
#include "variant.h"

void HT_FN(ht_act_batchnorm_grad)(const float *x, const float *dy, const float *w, const float *mean, const float *var,
                                  float *dx, float *dw, float *db, size_t rows, size_t features, int act, float eps) {
  size_t F = features;
  float *inv_std = calloc(6 * F + 1, sizeof(float));
  float *fdy = inv_std + F, *fdyx = inv_std + 2 * F, *coef = inv_std + 3 * F, *mean_dy = inv_std + 4 * F,
        *mean_dyx = inv_std + 5 * F;
  double *sdy = calloc(2 * F + 1, sizeof(double)), *sdyx = sdy + F;
  for (size_t f = 0; f < F; f++) inv_std[f] = 1.0f / sqrtf(var[f] + eps);
  for (size_t r0 = 0; r0 < rows; r0 += HT_SUM_CHUNK) {
    size_t r1 = r0 + HT_SUM_CHUNK < rows ? r0 + HT_SUM_CHUNK : rows;
    memset(fdy, 0, 2 * F * sizeof(float));
    for (size_t r = r0; r < r1; r++) {
      const float *xr = x + r * F, *gr = dy + r * F;
      if (act) {
        // dx holds sigmoid(x) until the second pass overwrites it: one exp per element, not two.
        float *sr = dx + r * F;
        for (size_t f = 0; f < F; f++) sr[f] = ht_sigmoid(xr[f]);
        for (size_t f = 0; f < F; f++) {
          float xhat = (xr[f] * sr[f] - mean[f]) * inv_std[f];
          fdy[f] += gr[f];
          fdyx[f] += gr[f] * xhat;
        }
      } else {
        for (size_t f = 0; f < F; f++) {
          float xhat = (xr[f] - mean[f]) * inv_std[f];
          fdy[f] += gr[f];
          fdyx[f] += gr[f] * xhat;
        }
      }
    }
    for (size_t f = 0; f < F; f++) {
      sdy[f] += fdy[f];
      sdyx[f] += fdyx[f];
    }
  }
  for (size_t f = 0; f < F; f++) {
    dw[f] = (float)sdyx[f];
    db[f] = (float)sdy[f];
    coef[f] = w[f] * inv_std[f];
    mean_dy[f] = rows > 0 ? (float)(sdy[f] / (double)rows) : 0.0f;
    mean_dyx[f] = rows > 0 ? (float)(sdyx[f] / (double)rows) : 0.0f;
  }
  for (size_t r = 0; r < rows; r++) {
    const float *xr = x + r * F, *gr = dy + r * F;
    float *dr = dx + r * F;
    if (act) {
      for (size_t f = 0; f < F; f++) {
        float s = dr[f];
        float xhat = (xr[f] * s - mean[f]) * inv_std[f];
        dr[f] = coef[f] * (gr[f] - mean_dy[f] - xhat * mean_dyx[f]) * (s * (1.0f + xr[f] * (1.0f - s)));
      }
    } else {
      for (size_t f = 0; f < F; f++) {
        float xhat = (xr[f] - mean[f]) * inv_std[f];
        dr[f] = coef[f] * (gr[f] - mean_dy[f] - xhat * mean_dyx[f]);
      }
    }
  }
  free(sdy);
  free(inv_std);
}
