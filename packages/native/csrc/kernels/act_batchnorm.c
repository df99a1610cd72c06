// Training-mode BatchNorm after an optional SiLU, over [rows, features], with the bias of the
// dense layer before it folded in (xb, or none):
//   a = act(x + xb), y = (a - mean(a)) / sqrt(var(a) + eps) * w + b.
// The sums run on a - centre with the first row as the centre, so E[d^2] - E[d]^2 does not
// cancel when the mean is large against the spread (raw millimetres in a first layer). Each chunk
// of HT_SUM_CHUNK rows sums in float32 into its own slot and the chunks add up in float64 in chunk
// order, so the result is the same for every thread count.
#include "variant.h"

typedef struct {
  const float *x, *xb, *centre, *scale, *shift;
  float *y, *partial;  // partial: [chunks, 2F] float sums of d and d^2 per chunk
  size_t rows, F;
  int act;
} bn_forward;

static void HT_FN(bn_stats_chunk)(void *context, size_t chunk) {
  bn_forward *c = context;
  size_t F = c->F, r0 = chunk * HT_SUM_CHUNK, r1 = ht_block_end(chunk, HT_SUM_CHUNK, c->rows);
  float *restrict fsum = c->partial + chunk * 2 * F, *restrict fsq = fsum + F;
  const float *restrict centre = c->centre, *restrict xb = c->xb;
  memset(fsum, 0, 2 * F * sizeof(float));
  for (size_t r = r0; r < r1; r++) {
    const float *restrict xr = c->x + r * F;
    float *restrict yr = c->y + r * F;
    if (c->act) {
      for (size_t f = 0; f < F; f++) yr[f] = (xr[f] + xb[f]) * ht_sigmoid(xr[f] + xb[f]);
    } else {
      for (size_t f = 0; f < F; f++) yr[f] = xr[f] + xb[f];
    }
    for (size_t f = 0; f < F; f++) {
      float d = yr[f] - centre[f];
      fsum[f] += d;
      fsq[f] += d * d;
    }
  }
}

static void HT_FN(bn_apply_chunk)(void *context, size_t chunk) {
  bn_forward *c = context;
  size_t F = c->F, r0 = chunk * HT_SUM_CHUNK, r1 = ht_block_end(chunk, HT_SUM_CHUNK, c->rows);
  const float *restrict scale = c->scale, *restrict shift = c->shift;
  for (size_t r = r0; r < r1; r++) {
    float *restrict yr = c->y + r * F;
    for (size_t f = 0; f < F; f++) yr[f] = yr[f] * scale[f] + shift[f];
  }
}

void HT_FN(ht_act_batchnorm)(const float *x, const float *xbias, float *y, float *mean, float *var, const float *w,
                             const float *b, size_t rows, size_t features, int act, float eps) {
  size_t F = features, chunks = (rows + HT_SUM_CHUNK - 1) / HT_SUM_CHUNK;
  float *centre = calloc(4 * F + 1, sizeof(float)), *scale = centre + F, *shift = centre + 2 * F, *zeros = centre + 3 * F;
  float *partial = calloc(2 * F * chunks + 1, sizeof(float));
  const float *xb = xbias != NULL ? xbias : zeros;
  if (rows > 0) {
    for (size_t f = 0; f < F; f++) centre[f] = act ? (x[f] + xb[f]) * ht_sigmoid(x[f] + xb[f]) : x[f] + xb[f];
  }
  bn_forward context = {x, xb, centre, scale, shift, y, partial, rows, F, act};
  ht_parallel_blocks(chunks, HT_MIN_CHUNKS_PER_THREAD, HT_FN(bn_stats_chunk), &context);
  for (size_t f = 0; f < F; f++) {
    double sum = ht_sum_chunks(partial, chunks, 2 * F, f), sq = ht_sum_chunks(partial, chunks, 2 * F, F + f);
    double offset = rows > 0 ? sum / (double)rows : 0.0;
    double v = rows > 0 ? sq / (double)rows - offset * offset : 0.0;
    float m = (float)(centre[f] + offset);
    float vf = (float)(v > 0.0 ? v : 0.0);
    mean[f] = m;
    var[f] = vf;
    scale[f] = w[f] / sqrtf(vf + eps);
    shift[f] = b[f] - m * scale[f];
  }
  ht_parallel_blocks(chunks, HT_MIN_CHUNKS_PER_THREAD, HT_FN(bn_apply_chunk), &context);
  free(partial);
  free(centre);
}
