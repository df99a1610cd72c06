// Evaluation-mode BatchNorm after an optional SiLU with given (running) statistics:
//   y = (act(x) - mean) / sqrt(var + eps) * w + b.
#include "variant.h"

typedef struct {
  const float *x, *scale, *shift;
  float *y;
  size_t rows, F;
  int act;
} bn_eval;

static void HT_FN(bn_eval_chunk)(void *context, size_t chunk) {
  bn_eval *c = context;
  size_t F = c->F, r0 = chunk * HT_SUM_CHUNK, r1 = r0 + HT_SUM_CHUNK < c->rows ? r0 + HT_SUM_CHUNK : c->rows;
  const float *restrict scale = c->scale, *restrict shift = c->shift;
  for (size_t r = r0; r < r1; r++) {
    const float *restrict xr = c->x + r * F;
    float *restrict yr = c->y + r * F;
    if (c->act) {
      for (size_t f = 0; f < F; f++) yr[f] = xr[f] * ht_sigmoid(xr[f]) * scale[f] + shift[f];
    } else {
      for (size_t f = 0; f < F; f++) yr[f] = xr[f] * scale[f] + shift[f];
    }
  }
}

void HT_FN(ht_act_batchnorm_eval)(const float *x, float *y, const float *w, const float *b, const float *mean,
                                  const float *var, size_t rows, size_t features, int act, float eps) {
  size_t F = features, chunks = (rows + HT_SUM_CHUNK - 1) / HT_SUM_CHUNK;
  float *scale = calloc(2 * F + 1, sizeof(float)), *shift = scale + F;
  for (size_t f = 0; f < F; f++) {
    scale[f] = w[f] / sqrtf(var[f] + eps);
    shift[f] = b[f] - mean[f] * scale[f];
  }
  bn_eval context = {x, scale, shift, y, rows, F, act};
  ht_parallel_blocks(chunks, HT_MIN_CHUNKS_PER_THREAD, HT_FN(bn_eval_chunk), &context);
  free(scale);
}
