// Training-mode BatchNorm after an optional SiLU, over [rows, features]:
//   a = act(x), y = (a - mean(a)) / sqrt(var(a) + eps) * w + b.
// The sums run on a - centre with the first row as the centre, so E[d^2] - E[d]^2 does not
// cancel when the mean is large against the spread (raw millimetres in a first layer).
#include "variant.h"

void HT_FN(ht_act_batchnorm)(const float *x, float *y, float *mean, float *var, const float *w, const float *b,
                             size_t rows, size_t features, int act, float eps) {
  size_t F = features;
  float *centre = calloc(4 * F + 1, sizeof(float));
  float *fsum = centre + F, *fsq = centre + 2 * F, *scale = centre + 3 * F;
  double *sum = calloc(2 * F + 1, sizeof(double)), *sq = sum + F;
  if (rows > 0) for (size_t f = 0; f < F; f++) centre[f] = act ? x[f] * ht_sigmoid(x[f]) : x[f];
  for (size_t r0 = 0; r0 < rows; r0 += HT_SUM_CHUNK) {
    size_t r1 = r0 + HT_SUM_CHUNK < rows ? r0 + HT_SUM_CHUNK : rows;
    memset(fsum, 0, 2 * F * sizeof(float));
    for (size_t r = r0; r < r1; r++) {
      const float *xr = x + r * F;
      float *yr = y + r * F;
      if (act) {
        for (size_t f = 0; f < F; f++) yr[f] = xr[f] * ht_sigmoid(xr[f]);
      } else {
        for (size_t f = 0; f < F; f++) yr[f] = xr[f];
      }
      for (size_t f = 0; f < F; f++) {
        float d = yr[f] - centre[f];
        fsum[f] += d;
        fsq[f] += d * d;
      }
    }
    for (size_t f = 0; f < F; f++) {
      sum[f] += fsum[f];
      sq[f] += fsq[f];
    }
  }
  // Reuse fsum as the shift of the affine map.
  float *shift = fsum;
  for (size_t f = 0; f < F; f++) {
    double offset = rows > 0 ? sum[f] / (double)rows : 0.0;
    double v = rows > 0 ? sq[f] / (double)rows - offset * offset : 0.0;
    float m = (float)(centre[f] + offset);
    float vf = (float)(v > 0.0 ? v : 0.0);
    mean[f] = m;
    var[f] = vf;
    scale[f] = w[f] / sqrtf(vf + eps);
    shift[f] = b[f] - m * scale[f];
  }
  for (size_t r = 0; r < rows; r++) {
    float *yr = y + r * F;
    for (size_t f = 0; f < F; f++) yr[f] = yr[f] * scale[f] + shift[f];
  }
  free(sum);
  free(centre);
}
