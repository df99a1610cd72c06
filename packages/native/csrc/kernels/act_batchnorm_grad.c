// Gradient of act_batchnorm, with x^ = (a - mean) / sqrt(var + eps):
//   db = sum dy, dw = sum dy x^, da = w / sqrt(var + eps) (dy - db / R - x^ dw / R),
//   dx = da act'(x) (SiLU: s (1 + x (1 - s)) with s = sigmoid(x)).
// Sums per chunk in float32, then in float64 in chunk order (the same for every thread count).
#include "variant.h"

typedef struct {
  const float *x, *dy, *mean, *inv_std, *coef, *mean_dy, *mean_dyx;
  float *dx, *partial;  // partial: [chunks, 2F] float sums of dy and dy x^ per chunk
  size_t rows, F;
  int act;
} bn_backward;

// Sums of dy and dy x^ over `rows` rows into fdy, fdyx; with SiLU, s receives sigmoid(x) (dx holds
// it until the second pass overwrites it: one exp per element, not two).
static void HT_FN(bn_grad_sums_rows)(const float *restrict x, const float *restrict dy, float *restrict s,
                                    const float *restrict mean, const float *restrict inv_std, float *restrict fdy,
                                    float *restrict fdyx, size_t rows, size_t F, int act) {
  for (size_t r = 0; r < rows; r++, x += F, dy += F, s += F) {
    if (act) {
      for (size_t f = 0; f < F; f++) s[f] = ht_sigmoid(x[f]);
      for (size_t f = 0; f < F; f++) {
        float xhat = (x[f] * s[f] - mean[f]) * inv_std[f];
        fdy[f] += dy[f];
        fdyx[f] += dy[f] * xhat;
      }
    } else {
      for (size_t f = 0; f < F; f++) {
        float xhat = (x[f] - mean[f]) * inv_std[f];
        fdy[f] += dy[f];
        fdyx[f] += dy[f] * xhat;
      }
    }
  }
}

static void HT_FN(bn_grad_sums_chunk)(void *context, size_t chunk) {
  bn_backward *c = context;
  size_t F = c->F, r0 = chunk * HT_SUM_CHUNK, r1 = r0 + HT_SUM_CHUNK < c->rows ? r0 + HT_SUM_CHUNK : c->rows;
  float *fdy = c->partial + chunk * 2 * F;
  memset(fdy, 0, 2 * F * sizeof(float));
  HT_FN(bn_grad_sums_rows)(c->x + r0 * F, c->dy + r0 * F, c->dx + r0 * F, c->mean, c->inv_std, fdy, fdy + F, r1 - r0, F, c->act);
}

static void HT_FN(bn_grad_dx_chunk)(void *context, size_t chunk) {
  bn_backward *c = context;
  size_t F = c->F, r0 = chunk * HT_SUM_CHUNK, r1 = r0 + HT_SUM_CHUNK < c->rows ? r0 + HT_SUM_CHUNK : c->rows;
  const float *restrict mean = c->mean, *restrict inv_std = c->inv_std, *restrict coef = c->coef;
  const float *restrict mean_dy = c->mean_dy, *restrict mean_dyx = c->mean_dyx;
  for (size_t r = r0; r < r1; r++) {
    const float *restrict xr = c->x + r * F, *restrict gr = c->dy + r * F;
    float *dr = c->dx + r * F;
    if (c->act) {
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
}

void HT_FN(ht_act_batchnorm_grad)(const float *x, const float *dy, const float *w, const float *mean, const float *var,
                                  float *dx, float *dw, float *db, size_t rows, size_t features, int act, float eps) {
  size_t F = features, chunks = (rows + HT_SUM_CHUNK - 1) / HT_SUM_CHUNK;
  float *inv_std = calloc(4 * F + 1, sizeof(float));
  float *coef = inv_std + F, *mean_dy = inv_std + 2 * F, *mean_dyx = inv_std + 3 * F;
  float *partial = calloc(2 * F * chunks + 1, sizeof(float));
  for (size_t f = 0; f < F; f++) inv_std[f] = 1.0f / sqrtf(var[f] + eps);
  bn_backward context = {x, dy, mean, inv_std, coef, mean_dy, mean_dyx, dx, partial, rows, F, act};
  ht_parallel_blocks(chunks, HT_MIN_CHUNKS_PER_THREAD, HT_FN(bn_grad_sums_chunk), &context);
  for (size_t f = 0; f < F; f++) {
    double sdy = 0.0, sdyx = 0.0;
    for (size_t c = 0; c < chunks; c++) {
      sdy += partial[c * 2 * F + f];
      sdyx += partial[c * 2 * F + F + f];
    }
    dw[f] = (float)sdyx;
    db[f] = (float)sdy;
    coef[f] = w[f] * inv_std[f];
    mean_dy[f] = rows > 0 ? (float)(sdy / (double)rows) : 0.0f;
    mean_dyx[f] = rows > 0 ? (float)(sdyx / (double)rows) : 0.0f;
  }
  ht_parallel_blocks(chunks, HT_MIN_CHUNKS_PER_THREAD, HT_FN(bn_grad_dx_chunk), &context);
  free(partial);
  free(inv_std);
}
