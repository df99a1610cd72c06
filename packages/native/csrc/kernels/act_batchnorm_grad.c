// Gradient of act_batchnorm, with z = x + xb and x^ = (a - mean) / sqrt(var + eps):
//   db = sum dy, dw = sum dy x^, da = w / sqrt(var + eps) (dy - db / R - x^ dw / R),
//   dx = da act'(z) (SiLU: s (1 + z (1 - s)) with s = sigmoid(z)), dxb = sum dx.
// Sums per chunk in float32, then in float64 in chunk order (the same for every thread count).
#include "variant.h"

typedef struct {
  const float *x, *xb, *dy, *mean, *inv_std, *coef, *mean_dy, *mean_dyx;
  float *dx, *partial;  // partial: [chunks, 2F] float sums of dy and dy x^ per chunk, then of dx
  int sum_dx;
  size_t rows, F;
  int act;
} bn_backward;

// Sums of dy and dy x^ over `rows` rows into fdy, fdyx; with SiLU, s receives sigmoid(x) (dx holds
// it until the second pass overwrites it: one exp per element, not two).
static void HT_FN(bn_grad_sums_rows)(const float *restrict x, const float *restrict xb, const float *restrict dy,
                                    float *restrict s, const float *restrict mean, const float *restrict inv_std,
                                    float *restrict fdy, float *restrict fdyx, size_t rows, size_t F, int act) {
  for (size_t r = 0; r < rows; r++, x += F, dy += F, s += F) {
    if (act) {
      for (size_t f = 0; f < F; f++) s[f] = ht_sigmoid(x[f] + xb[f]);
      for (size_t f = 0; f < F; f++) {
        float xhat = ((x[f] + xb[f]) * s[f] - mean[f]) * inv_std[f];
        fdy[f] += dy[f];
        fdyx[f] += dy[f] * xhat;
      }
    } else {
      for (size_t f = 0; f < F; f++) {
        float xhat = (x[f] + xb[f] - mean[f]) * inv_std[f];
        fdy[f] += dy[f];
        fdyx[f] += dy[f] * xhat;
      }
    }
  }
}

static void HT_FN(bn_grad_sums_chunk)(void *context, size_t chunk) {
  bn_backward *c = context;
  size_t F = c->F, r0 = chunk * HT_SUM_CHUNK, r1 = ht_block_end(chunk, HT_SUM_CHUNK, c->rows);
  float *fdy = c->partial + chunk * 2 * F;
  memset(fdy, 0, 2 * F * sizeof(float));
  HT_FN(bn_grad_sums_rows)(c->x + r0 * F, c->xb, c->dy + r0 * F, c->dx + r0 * F, c->mean, c->inv_std, fdy, fdy + F,
                           r1 - r0, F, c->act);
}

static void HT_FN(bn_grad_dx_rows)(const float *restrict x, const float *restrict xb, const float *restrict dy,
                                  float *dx, const float *restrict mean, const float *restrict inv_std,
                                  const float *restrict coef, const float *restrict mean_dy,
                                  const float *restrict mean_dyx, size_t rows, size_t F, int act) {
  for (size_t r = 0; r < rows; r++, x += F, dy += F, dx += F) {
    if (act) {
      for (size_t f = 0; f < F; f++) {
        float z = x[f] + xb[f], s = dx[f];
        float xhat = (z * s - mean[f]) * inv_std[f];
        dx[f] = coef[f] * (dy[f] - mean_dy[f] - xhat * mean_dyx[f]) * (s * (1.0f + z * (1.0f - s)));
      }
    } else {
      for (size_t f = 0; f < F; f++) {
        float xhat = (x[f] + xb[f] - mean[f]) * inv_std[f];
        dx[f] = coef[f] * (dy[f] - mean_dy[f] - xhat * mean_dyx[f]);
      }
    }
  }
}

static void HT_FN(bn_grad_dx_chunk)(void *context, size_t chunk) {
  bn_backward *c = context;
  size_t F = c->F, r0 = chunk * HT_SUM_CHUNK, r1 = ht_block_end(chunk, HT_SUM_CHUNK, c->rows);
  HT_FN(bn_grad_dx_rows)(c->x + r0 * F, c->xb, c->dy + r0 * F, c->dx + r0 * F, c->mean, c->inv_std, c->coef,
                         c->mean_dy, c->mean_dyx, r1 - r0, F, c->act);
  if (c->sum_dx) {
    float *restrict fdx = c->partial + chunk * 2 * F;
    memset(fdx, 0, F * sizeof(float));
    for (size_t r = r0; r < r1; r++) {
      const float *restrict dr = c->dx + r * F;
      for (size_t f = 0; f < F; f++) fdx[f] += dr[f];
    }
  }
}

void HT_FN(ht_act_batchnorm_grad)(const float *x, const float *xbias, const float *dy, const float *w, const float *mean,
                                  const float *var, float *dx, float *dw, float *db, float *dxbias, size_t rows,
                                  size_t features, int act, float eps) {
  size_t F = features, chunks = (rows + HT_SUM_CHUNK - 1) / HT_SUM_CHUNK;
  float *inv_std = calloc(5 * F + 1, sizeof(float)), *zeros = inv_std + 4 * F;
  float *coef = inv_std + F, *mean_dy = inv_std + 2 * F, *mean_dyx = inv_std + 3 * F;
  float *partial = calloc(2 * F * chunks + 1, sizeof(float));
  for (size_t f = 0; f < F; f++) inv_std[f] = 1.0f / sqrtf(var[f] + eps);
  bn_backward context = {x, xbias != NULL ? xbias : zeros, dy, mean, inv_std, coef, mean_dy, mean_dyx, dx, partial,
                         dxbias != NULL, rows, F, act};
  ht_parallel_blocks(chunks, HT_MIN_CHUNKS_PER_THREAD, HT_FN(bn_grad_sums_chunk), &context);
  for (size_t f = 0; f < F; f++) {
    double sdy = ht_sum_chunks(partial, chunks, 2 * F, f), sdyx = ht_sum_chunks(partial, chunks, 2 * F, F + f);
    dw[f] = (float)sdyx;
    db[f] = (float)sdy;
    coef[f] = w[f] * inv_std[f];
    mean_dy[f] = rows > 0 ? (float)(sdy / (double)rows) : 0.0f;
    mean_dyx[f] = rows > 0 ? (float)(sdyx / (double)rows) : 0.0f;
  }
  ht_parallel_blocks(chunks, HT_MIN_CHUNKS_PER_THREAD, HT_FN(bn_grad_dx_chunk), &context);
  if (dxbias != NULL) {
    for (size_t f = 0; f < F; f++) dxbias[f] = (float)ht_sum_chunks(partial, chunks, 2 * F, f);
  }
  free(partial);
  free(inv_std);
}
