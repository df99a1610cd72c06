// Dense products with a narrow side, the shapes of a GNN over edges: C = A B with B at most 128
// columns wide (a dense layer over E edges), C = A B^T (its input gradient) and C = A^T B (its
// weight gradient, a sum over E). AVX-512 register tiles keep the narrow operand in L1 and stream
// the long one once; on these shapes they run at about twice OpenBLAS's rate (docs/benchmarks.md).
// Compiled with -mavx512f only (HT_HAVE_AVX512); the addon calls them when the CPU has AVX-512F.
#include <immintrin.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "hypertrack_native.h"
#include "parallel.h"
#include "fastmath.h"

#define HT_NARROW_MAX 128
// Rows of C per parallel block of C = A B.
#define ROWS_PER_BLOCK 384
// Rows of the long axis per partial sum of C = A^T B: the partials add up in a fixed order, so the
// result is the same for every thread count.
#define SUM_ROWS 1024

static inline __mmask16 lane_mask(size_t n, size_t v) {
  size_t left = n - 16 * v;
  return left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1u);
}

// C[i0..i0+R) = A[i0..i0+R) B for V vectors of n, B [k, n] with row stride ldb.
static inline __attribute__((always_inline)) void nn_tile(const int R, const int V, const float *A, size_t lda,
                                                          const float *B, size_t ldb, float *C, size_t ldc, size_t n,
                                                          size_t k) {
  __m512 c[6][8];
  __mmask16 mask[8];
#pragma GCC unroll 8
  for (int v = 0; v < V; v++) mask[v] = lane_mask(n, v);
#pragma GCC unroll 6
  for (int r = 0; r < R; r++)
#pragma GCC unroll 8
    for (int v = 0; v < V; v++) c[r][v] = _mm512_setzero_ps();
  for (size_t p = 0; p < k; p++) {
    __m512 b[8];
#pragma GCC unroll 8
    for (int v = 0; v < V; v++) b[v] = _mm512_maskz_loadu_ps(mask[v], B + p * ldb + 16 * v);
#pragma GCC unroll 6
    for (int r = 0; r < R; r++) {
      __m512 a = _mm512_set1_ps(A[r * lda + p]);
#pragma GCC unroll 8
      for (int v = 0; v < V; v++) c[r][v] = _mm512_fmadd_ps(a, b[v], c[r][v]);
    }
  }
#pragma GCC unroll 6
  for (int r = 0; r < R; r++)
#pragma GCC unroll 8
    for (int v = 0; v < V; v++) _mm512_mask_storeu_ps(C + r * ldc + 16 * v, mask[v], c[r][v]);
}

// Rows [r0, r1) of C = A B with V = ceil(n / 16) vectors per row; R rows per tile (registers:
// R * V accumulators + V of B).
// What follows a dense layer's product in evaluation mode, applied to each tile of C while it is
// in L1: y = act(c + bias) * scale + shift (BatchNorm with running statistics as an affine map).
// NULL bias, scale or shift arrive as zeros, ones, zeros.
typedef struct {
  const float *bias, *scale, *shift;
  int act;
} epilogue;

static void epilogue_rows(float *C, size_t ldc, size_t rows, size_t n, const epilogue *ep) {
  const float *restrict bias = ep->bias, *restrict scale = ep->scale, *restrict shift = ep->shift;
  for (size_t r = 0; r < rows; r++) {
    float *restrict row = C + r * ldc;
    if (ep->act) {
      for (size_t f = 0; f < n; f++) {
        float z = row[f] + bias[f];
        row[f] = z * ht_sigmoid(z) * scale[f] + shift[f];
      }
    } else {
      for (size_t f = 0; f < n; f++) row[f] = (row[f] + bias[f]) * scale[f] + shift[f];
    }
  }
}

static inline __attribute__((always_inline)) void nn_rows_v(const int V, const float *A, size_t lda, const float *B,
                                                            size_t ldb, float *C, size_t ldc, size_t r0, size_t r1,
                                                            size_t n, size_t k, const epilogue *ep) {
  const int R = V <= 4 ? 6 : (V == 5 ? 4 : 3);
  size_t i = r0;
  for (; i + R <= r1; i += R) {
    nn_tile(R, V, A + i * lda, lda, B, ldb, C + i * ldc, ldc, n, k);
    if (ep != NULL) epilogue_rows(C + i * ldc, ldc, R, n, ep);
  }
  for (; i < r1; i++) {
    nn_tile(1, V, A + i * lda, lda, B, ldb, C + i * ldc, ldc, n, k);
    if (ep != NULL) epilogue_rows(C + i * ldc, ldc, 1, n, ep);
  }
}

static void nn_rows(const float *A, size_t lda, const float *B, size_t ldb, float *C, size_t ldc, size_t r0, size_t r1,
                    size_t n, size_t k, const epilogue *ep) {
  switch ((n + 15) / 16) {
    case 1: nn_rows_v(1, A, lda, B, ldb, C, ldc, r0, r1, n, k, ep); break;
    case 2: nn_rows_v(2, A, lda, B, ldb, C, ldc, r0, r1, n, k, ep); break;
    case 3: nn_rows_v(3, A, lda, B, ldb, C, ldc, r0, r1, n, k, ep); break;
    case 4: nn_rows_v(4, A, lda, B, ldb, C, ldc, r0, r1, n, k, ep); break;
    case 5: nn_rows_v(5, A, lda, B, ldb, C, ldc, r0, r1, n, k, ep); break;
    case 6: nn_rows_v(6, A, lda, B, ldb, C, ldc, r0, r1, n, k, ep); break;
    case 7: nn_rows_v(7, A, lda, B, ldb, C, ldc, r0, r1, n, k, ep); break;
    default: nn_rows_v(8, A, lda, B, ldb, C, ldc, r0, r1, n, k, ep); break;
  }
}

typedef struct {
  const float *A, *B;
  float *C;
  size_t m, n, k, ldb;
  const epilogue *ep;
} nn_job;

static void nn_block(void *context, size_t block) {
  nn_job *job = context;
  size_t r0 = block * ROWS_PER_BLOCK, r1 = r0 + ROWS_PER_BLOCK < job->m ? r0 + ROWS_PER_BLOCK : job->m;
  nn_rows(job->A, job->k, job->B, job->ldb, job->C, job->n, r0, r1, job->n, job->k, job->ep);
}

// One partial of C = A^T B: output rows i0..i0+R (R = 6 or fewer at the end) over `rows` rows of
// the long axis; A's rows are lda wide (the output's row count), B's ldb.
static inline __attribute__((always_inline)) void tn_tile(const int R, const int V, const float *A, size_t lda,
                                                          const float *B, size_t ldb, float *C, size_t n, size_t rows) {
  __m512 c[6][8];
  __mmask16 mask[8];
#pragma GCC unroll 8
  for (int v = 0; v < V; v++) mask[v] = lane_mask(n, v);
#pragma GCC unroll 6
  for (int r = 0; r < R; r++)
#pragma GCC unroll 8
    for (int v = 0; v < V; v++) c[r][v] = _mm512_setzero_ps();
  for (size_t p = 0; p < rows; p++) {
    __m512 b[8];
#pragma GCC unroll 8
    for (int v = 0; v < V; v++) b[v] = _mm512_maskz_loadu_ps(mask[v], B + p * ldb + 16 * v);
#pragma GCC unroll 6
    for (int r = 0; r < R; r++) {
      __m512 a = _mm512_set1_ps(A[p * lda + r]);
#pragma GCC unroll 8
      for (int v = 0; v < V; v++) c[r][v] = _mm512_fmadd_ps(a, b[v], c[r][v]);
    }
  }
#pragma GCC unroll 6
  for (int r = 0; r < R; r++)
#pragma GCC unroll 8
    for (int v = 0; v < V; v++) _mm512_mask_storeu_ps(C + r * n + 16 * v, mask[v], c[r][v]);
}

static inline __attribute__((always_inline)) void tn_chunk_v(const int V, const float *A, size_t lda, const float *B,
                                                             size_t ldb, float *C, size_t k, size_t n, size_t rows) {
  const int R = V <= 4 ? 6 : (V == 5 ? 4 : 3);
  size_t i = 0;
  for (; i + R <= k; i += R) tn_tile(R, V, A + i, lda, B, ldb, C + i * n, n, rows);
  for (; i < k; i++) tn_tile(1, V, A + i, lda, B, ldb, C + i * n, n, rows);
}

typedef struct {
  const float *A, *B;
  float *partials;  // [chunks, k, n]
  size_t m, n, k;
} tn_job;

static void tn_block(void *context, size_t chunk) {
  tn_job *job = context;
  size_t p0 = chunk * SUM_ROWS, rows = p0 + SUM_ROWS < job->m ? SUM_ROWS : job->m - p0;
  const float *A = job->A + p0 * job->k, *B = job->B + p0 * job->n;
  float *C = job->partials + chunk * job->k * job->n;
  switch ((job->n + 15) / 16) {
    case 1: tn_chunk_v(1, A, job->k, B, job->n, C, job->k, job->n, rows); break;
    case 2: tn_chunk_v(2, A, job->k, B, job->n, C, job->k, job->n, rows); break;
    case 3: tn_chunk_v(3, A, job->k, B, job->n, C, job->k, job->n, rows); break;
    case 4: tn_chunk_v(4, A, job->k, B, job->n, C, job->k, job->n, rows); break;
    case 5: tn_chunk_v(5, A, job->k, B, job->n, C, job->k, job->n, rows); break;
    case 6: tn_chunk_v(6, A, job->k, B, job->n, C, job->k, job->n, rows); break;
    case 7: tn_chunk_v(7, A, job->k, B, job->n, C, job->k, job->n, rows); break;
    default: tn_chunk_v(8, A, job->k, B, job->n, C, job->k, job->n, rows); break;
  }
}

int ht_narrow_gemm_fits(int trans_a, int trans_b, size_t m, size_t n, size_t k) {
  if (trans_a && trans_b) return 0;
  // The narrow side is n (the output width); the long side must dwarf it, or a BLAS does better.
  if (n > HT_NARROW_MAX || n == 0 || k == 0) return 0;
  if (trans_a) return m <= 4 * HT_NARROW_MAX && k >= 8 * n;  // A^T B: a sum over a long k
  return m >= 8 * n && k <= 4 * HT_NARROW_MAX;
}

void ht_narrow_gemm(int trans_a, int trans_b, size_t m, size_t n, size_t k, const float *a, const float *b, float *c) {
  if (!trans_a) {
    const float *B = b;
    float *transposed = NULL;
    if (trans_b) {
      // B is [n, k]: its transpose [k, n] is small (the layer's weight) and read for every tile.
      transposed = malloc(k * n * sizeof(float));
      for (size_t p = 0; p < k; p++)
        for (size_t j = 0; j < n; j++) transposed[p * n + j] = b[j * k + p];
      B = transposed;
    }
    nn_job job = {a, B, c, m, n, k, n, NULL};
    ht_parallel_blocks((m + ROWS_PER_BLOCK - 1) / ROWS_PER_BLOCK, 4, nn_block, &job);
    free(transposed);
    return;
  }
  // C [m, n] = A^T B with A [k, m], B [k, n] and k long: fixed-size partial sums over k, then
  // added in order (tn_job counts its long axis as m and its output rows as k).
  size_t chunks = (k + SUM_ROWS - 1) / SUM_ROWS;
  float *partials = malloc(chunks * m * n * sizeof(float));
  tn_job job = {a, b, partials, k, n, m};
  ht_parallel_blocks(chunks, 2, tn_block, &job);
  memcpy(c, partials, m * n * sizeof(float));
  for (size_t chunk = 1; chunk < chunks; chunk++) {
    const float *part = partials + chunk * m * n;
    for (size_t i = 0; i < m * n; i++) c[i] += part[i];
  }
  free(partials);
}

void ht_narrow_dense_eval(size_t m, size_t n, size_t k, const float *a, const float *b, float *c, const float *bias,
                          int act, const float *scale, const float *shift) {
  float *defaults = calloc(2 * n + 1, sizeof(float)), *zeros = defaults, *ones = defaults + n;
  for (size_t j = 0; j < n; j++) ones[j] = 1.0f;
  epilogue ep = {bias != NULL ? bias : zeros, scale != NULL ? scale : ones, shift != NULL ? shift : zeros, act};
  nn_job job = {a, b, c, m, n, k, n, &ep};
  ht_parallel_blocks((m + ROWS_PER_BLOCK - 1) / ROWS_PER_BLOCK, 4, nn_block, &job);
  free(defaults);
}

// The first dense layer of a SuperEdgeConv message in evaluation mode, in one pass over the edges:
//   p_e = [h_j * h_i, |h_j - h_i|, <h_j, h_i>, attr_e, geometry_e]  (j = src[e], i = dst[e]),
//   y_e = act(p_e W + table[dst[e], :m] + table[src[e], m:]) * scale + shift.
// Each tile of edges builds its rows of p in a small buffer (never written to memory), multiplies
// them on the tiles, and finishes in cache.
typedef struct {
  const float *h, *attr, *geometry, *w, *table;
  const int32_t *src, *dst;
  float *out;
  size_t edges, d, g, m;
  const epilogue *ep;
} message_job;

#define MESSAGE_TILE 6

static void message_rows(const message_job *job, size_t e0, size_t count, float *rows) {
  size_t d = job->d, width = d + 3 + job->g;
  for (size_t t = 0; t < count; t++) {
    size_t e = e0 + t;
    const float *hj = job->h + (size_t)job->src[e] * d, *hi = job->h + (size_t)job->dst[e] * d;
    float *p = rows + t * width;
    float dot, sq;
    ht_pair_products(hj, hi, p, d, &dot, &sq);
    p[d] = sqrtf(sq);
    p[d + 1] = dot;
    p[d + 2] = job->attr[e];
    for (size_t k = 0; k < job->g; k++) p[d + 3 + k] = job->geometry[e * job->g + k];
  }
}

static void message_block(void *context, size_t block) {
  const message_job *job = context;
  size_t m = job->m, width = job->d + 3 + job->g;
  size_t e0 = block * ROWS_PER_BLOCK, e1 = e0 + ROWS_PER_BLOCK < job->edges ? e0 + ROWS_PER_BLOCK : job->edges;
  float rows[MESSAGE_TILE * (HT_NARROW_MAX * 4 + 3)];
  for (size_t e = e0; e < e1; e += MESSAGE_TILE) {
    size_t count = e + MESSAGE_TILE <= e1 ? MESSAGE_TILE : e1 - e;
    message_rows(job, e, count, rows);
    float *out = job->out + e * m;
    nn_rows(rows, width, job->w, m, out, m, 0, count, m, width, NULL);
    for (size_t t = 0; t < count; t++) {
      const float *a = job->table + (size_t)job->dst[e + t] * 2 * m, *b = job->table + (size_t)job->src[e + t] * 2 * m + m;
      float *row = out + t * m;
      for (size_t f = 0; f < m; f++) row[f] += a[f] + b[f];
    }
    epilogue_rows(out, m, count, m, job->ep);
  }
}

int ht_message_eval_fits(size_t d, size_t g, size_t m) {
  return m > 0 && m <= HT_NARROW_MAX && d + 3 + g <= HT_NARROW_MAX * 4;
}

void ht_narrow_message_eval(const float *h, const int32_t *src, const int32_t *dst, const float *attr,
                            const float *geometry, const float *w, const float *table, float *out, size_t edges,
                            size_t d, size_t g, size_t m, int act, const float *scale, const float *shift) {
  float *defaults = calloc(2 * m + 1, sizeof(float)), *zeros = defaults, *ones = defaults + m;
  for (size_t j = 0; j < m; j++) ones[j] = 1.0f;
  epilogue ep = {zeros, scale != NULL ? scale : ones, shift != NULL ? shift : zeros, act};
  message_job job = {h, attr, geometry, w, table, src, dst, out, edges, d, g, m, &ep};
  ht_parallel_blocks((edges + ROWS_PER_BLOCK - 1) / ROWS_PER_BLOCK, 4, message_block, &job);
  free(defaults);
}
