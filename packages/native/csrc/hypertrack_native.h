// The native kernels of HyperTrack-TS. Every kernel works on plain float32 / int32 arrays that
// the caller owns (the tfjs wasm heap, in place); none allocates its outputs.
#ifndef HYPERTRACK_NATIVE_H
#define HYPERTRACK_NATIVE_H
#include <stddef.h>
#include <stdint.h>

// A kernel that checks its row indices returns HT_OK, or HT_BAD_INDEX with the first edge whose
// index is out of range in *bad_edge (then the outputs are unspecified).
enum { HT_OK = 0, HT_BAD_INDEX = 1 };

typedef struct {
  // act: 0 none, 1 silu. y = (act(x + xbias) - mean) / sqrt(var + eps) * w + b over the rows;
  // mean and biased var written to mean/var. xbias (the preceding dense layer's bias) may be NULL;
  // the gradient writes its gradient to dxbias when that is not NULL.
  void (*act_batchnorm)(const float *x, const float *xbias, float *y, float *mean, float *var, const float *w,
                        const float *b, size_t rows, size_t features, int act, float eps);
  void (*act_batchnorm_grad)(const float *x, const float *xbias, const float *dy, const float *w, const float *mean,
                             const float *var, float *dx, float *dw, float *db, float *dxbias, size_t rows,
                             size_t features, int act, float eps);
  void (*act_batchnorm_eval)(const float *x, const float *xbias, float *y, const float *w, const float *b,
                             const float *mean, const float *var, size_t rows, size_t features, int act, float eps);
  // out[e] = [h_j * h_i, |h_j - h_i|, <h_j, h_i>, attr_e], j = src[e], i = dst[e].
  int (*edge_pair_features)(const float *h, size_t nodes, const int32_t *src, const int32_t *dst, const float *attr,
                            float *out, size_t edges, size_t d, size_t *bad_edge);
  int (*edge_pair_features_grad)(const float *h, size_t nodes, const int32_t *src, const int32_t *dst, const float *dy,
                                 float *dh, float *dattr, size_t edges, size_t d, size_t *bad_edge);
  // out[e] = edge[e] + table[first[e], :m] + table[second[e], m:] (table is [rows, 2m]).
  int (*gather_pair_add)(const float *edge, const float *table, size_t rows, const int32_t *first,
                         const int32_t *second, float *out, size_t edges, size_t m, size_t *bad_edge);
  int (*gather_pair_add_grad)(const float *dy, const int32_t *first, const int32_t *second, float *dtable,
                              size_t rows, size_t edges, size_t m, size_t *bad_edge);
  // out[r] = x[index[r]] for r < count; x is [rows, width].
  int (*gather_rows)(const float *x, size_t rows, const int32_t *index, float *out, size_t count, size_t width,
                     size_t *bad_edge);
  // out[index[r]] += x[r] for r < count over a zeroed out [rows, width].
  int (*scatter_add_rows)(const float *x, const int32_t *index, float *out, size_t rows, size_t count, size_t width,
                          size_t *bad_edge);
} ht_kernels;

extern const ht_kernels ht_kernels_avx512;
extern const ht_kernels ht_kernels_avx2;
extern const ht_kernels ht_kernels_generic;

// Dense products through the BLAS the addon was linked with (gemm_blas.c); 0 when it has none.
int ht_blas_available(void);
const char *ht_blas_name(void);
void ht_blas_set_threads(int threads);
int ht_blas_threads(void);
void ht_blas_sgemm(int trans_a, int trans_b, size_t m, size_t n, size_t k, const float *a, const float *b, float *c);

// The AVX-512 products with a narrow side (gemm_narrow.c, built only with -mavx512f).
int ht_narrow_gemm_fits(int trans_a, int trans_b, size_t m, size_t n, size_t k);
void ht_narrow_gemm(int trans_a, int trans_b, size_t m, size_t n, size_t k, const float *a, const float *b, float *c);
// A dense layer in evaluation mode in one pass: C = act(A B + bias) * scale + shift (scale and shift
// the BatchNorm's running affine map; any of bias, scale, shift may be NULL), for narrow shapes.
void ht_narrow_dense_eval(size_t m, size_t n, size_t k, const float *a, const float *b, float *c, const float *bias,
                          int act, const float *scale, const float *shift);

// gemm.c: C = op(A) op(B) for `batch` products, row-major; op transposes when the flag is set.
// Strides in floats between consecutive matrices of a batch (0 broadcasts one matrix to all).
// Narrow shapes go to the AVX-512 tiles where the CPU has them, the rest to the BLAS. Returns 0,
// having written nothing, when neither can do it (no BLAS and not a narrow shape on AVX-512).
int ht_gemm_runs(int trans_a, int trans_b, size_t m, size_t n, size_t k);
int ht_gemm_batch(int trans_a, int trans_b, size_t m, size_t n, size_t k, const float *a, size_t stride_a,
                  const float *b, size_t stride_b, float *c, size_t stride_c, size_t batch);
// Which products run where: "avx512 tiles + openblas", "openblas", "avx512 tiles" or "".
const char *ht_gemm_paths(void);
// ht_narrow_dense_eval where the AVX-512 tiles run and the shape fits; 0, with nothing written, else.
// SuperEdgeConv's first message layer in evaluation mode in one pass (gemm_narrow.c): pair features
// built per tile, times w, plus the per-node table, activation and affine map.
int ht_message_eval_fits(size_t d, size_t g, size_t m);
void ht_narrow_message_eval(const float *h, const int32_t *src, const int32_t *dst, const float *attr,
                            const float *geometry, const float *w, const float *table, float *out, size_t edges,
                            size_t d, size_t g, size_t m, int act, const float *scale, const float *shift);
int ht_message_eval_runs(size_t d, size_t g, size_t m);
// Checks indices against `nodes` first: -1 ran, -2 not available here (nothing written), else the
// first edge with an index out of range.
long ht_message_eval(const float *h, size_t nodes, const int32_t *src, const int32_t *dst, const float *attr,
                     const float *geometry, const float *w, const float *table, float *out, size_t edges, size_t d,
                     size_t g, size_t m, int act, const float *scale, const float *shift);
int ht_dense_eval_fits(size_t m, size_t n, size_t k);
int ht_dense_eval(size_t m, size_t n, size_t k, const float *a, const float *b, float *c, const float *bias, int act,
                  const float *scale, const float *shift);
#endif
