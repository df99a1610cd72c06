// Evaluation-mode BatchNorm after an optional SiLU with given (running) statistics, with the bias
// of the dense layer before it folded in (xb, or none):
//   y = (act(x + xb) - mean) / sqrt(var + eps) * w + b.
#include "variant.h"

typedef struct {
  const float *x, *xb, *scale, *shift;
  float *y;
  size_t rows, F;
  int act;
} bn_eval;

static void HT_FN(bn_eval_chunk)(void *context, size_t chunk) {
  bn_eval *c = context;
  size_t F = c->F, r0 = chunk * HT_SUM_CHUNK, r1 = ht_block_end(chunk, HT_SUM_CHUNK, c->rows);
  const float *restrict scale = c->scale, *restrict shift = c->shift, *restrict xb = c->xb;
  for (size_t r = r0; r < r1; r++) {
    const float *restrict xr = c->x + r * F;
    float *restrict yr = c->y + r * F;
    if (c->act) {
      for (size_t f = 0; f < F; f++) yr[f] = (xr[f] + xb[f]) * ht_sigmoid(xr[f] + xb[f]) * scale[f] + shift[f];
    } else {
      for (size_t f = 0; f < F; f++) yr[f] = (xr[f] + xb[f]) * scale[f] + shift[f];
    }
  }
}

void HT_FN(ht_act_batchnorm_eval)(const float *x, const float *xbias, float *y, const float *w, const float *b,
                                  const float *mean, const float *var, size_t rows, size_t features, int act,
                                  float eps) {
  size_t F = features, chunks = (rows + HT_SUM_CHUNK - 1) / HT_SUM_CHUNK;
  float *scale = calloc(3 * F + 1, sizeof(float)), *shift = scale + F, *zeros = scale + 2 * F;
  for (size_t f = 0; f < F; f++) {
    scale[f] = w[f] / sqrtf(var[f] + eps);
    shift[f] = b[f] - mean[f] * scale[f];
  }
  bn_eval context = {x, xbias != NULL ? xbias : zeros, scale, shift, y, rows, F, act};
  ht_parallel_blocks(chunks, HT_MIN_CHUNKS_PER_THREAD, HT_FN(bn_eval_chunk), &context);
  free(scale);
}
