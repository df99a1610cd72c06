// Node-API bindings. Every kernel takes the heap (an ArrayBuffer, the tfjs wasm memory) first and
// then byte offsets into it and sizes, all as numbers: the kernels read and write the tensors in
// place, with no copy in either direction.
#include <node_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hypertrack_native.h"
#include "parallel.h"

#define MAX_ARGS 20

static const ht_kernels *kernels;
static const char *variant;

typedef struct {
  uint8_t *heap;
  size_t heap_bytes;
  double v[MAX_ARGS];
  size_t count;
} call_args;

static int throw_error(napi_env env, const char *message) {
  napi_throw_error(env, "HT_NATIVE", message);
  return 0;
}

// Reads argv[first..first+count) as numbers into out. Returns 0 after throwing.
static int read_numbers(napi_env env, napi_value *argv, size_t first, size_t count, double *out, const char *name) {
  for (size_t i = 0; i < count; i++) {
    if (napi_get_value_double(env, argv[first + i], &out[i]) != napi_ok) {
      char message[128];
      snprintf(message, sizeof message, "%s: argument %zu must be a number", name, first + i + 1);
      return throw_error(env, message);
    }
  }
  return 1;
}

// Reads the call's arguments after checking their count (`heap` says whether the first is the heap).
static int read_call(napi_env env, napi_callback_info info, size_t expected, int heap, napi_value *argv, const char *name) {
  size_t argc = MAX_ARGS + 1;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return throw_error(env, "bad call");
  if (argc != expected + (heap ? 1 : 0)) {
    char message[128];
    snprintf(message, sizeof message, "%s takes %zu arguments%s, got %zu", name, expected, heap ? " after the heap" : "",
             heap ? argc - 1 : argc);
    return throw_error(env, message);
  }
  return 1;
}

// Reads (heap, numbers...) into *out; checks the count. Returns 0 after throwing.
static int read_args(napi_env env, napi_callback_info info, size_t expected, call_args *out, const char *name) {
  napi_value argv[MAX_ARGS + 1];
  if (!read_call(env, info, expected, 1, argv, name)) return 0;
  void *data;
  bool is_buffer = false;
  napi_is_arraybuffer(env, argv[0], &is_buffer);
  if (!is_buffer || napi_get_arraybuffer_info(env, argv[0], &data, &out->heap_bytes) != napi_ok) {
    char message[128];
    snprintf(message, sizeof message, "%s: the first argument must be the heap's ArrayBuffer", name);
    return throw_error(env, message);
  }
  out->heap = data;
  out->count = expected;
  return read_numbers(env, argv, 1, expected, out->v, name);
}

// Reads numbers only (the questions that need no heap: which path runs for a shape).
static int read_plain(napi_env env, napi_callback_info info, size_t expected, double *out, const char *name) {
  napi_value argv[MAX_ARGS + 1];
  return read_call(env, info, expected, 0, argv, name) && read_numbers(env, argv, 0, expected, out, name);
}

static napi_value boolean(napi_env env, int value) {
  napi_value result;
  napi_get_boolean(env, value != 0, &result);
  return result;
}

#define F32(i) ((float *)(args.heap + (size_t)args.v[i]))
#define I32(i) ((int32_t *)(args.heap + (size_t)args.v[i]))
#define SZ(i) ((size_t)args.v[i])
#define INT(i) ((int)args.v[i])
// An optional tensor: byte offset 0 (the heap's first bytes never hold one) means none.
#define OPT_F32(i) (args.v[i] == 0.0 ? NULL : F32(i))

static napi_value index_result(napi_env env, int status, size_t bad_edge) {
  napi_value result;
  napi_create_double(env, status == HT_OK ? -1.0 : (double)bad_edge, &result);
  return result;
}

// actBatchNorm(heap, x, y, mean, var, w, b, rows, features, act, eps, xbias)
static napi_value ActBatchNorm(napi_env env, napi_callback_info info) {
  call_args args;
  if (!read_args(env, info, 11, &args, "actBatchNorm")) return NULL;
  kernels->act_batchnorm(F32(0), OPT_F32(10), F32(1), F32(2), F32(3), F32(4), F32(5), SZ(6), SZ(7), INT(8),
                         (float)args.v[9]);
  return NULL;
}

// actBatchNormGrad(heap, x, dy, w, mean, var, dx, dw, db, rows, features, act, eps, xbias, dxbias)
static napi_value ActBatchNormGrad(napi_env env, napi_callback_info info) {
  call_args args;
  if (!read_args(env, info, 14, &args, "actBatchNormGrad")) return NULL;
  kernels->act_batchnorm_grad(F32(0), OPT_F32(12), F32(1), F32(2), F32(3), F32(4), F32(5), F32(6), F32(7), OPT_F32(13),
                              SZ(8), SZ(9), INT(10), (float)args.v[11]);
  return NULL;
}

// actBatchNormEval(heap, x, y, w, b, mean, var, rows, features, act, eps, xbias)
static napi_value ActBatchNormEval(napi_env env, napi_callback_info info) {
  call_args args;
  if (!read_args(env, info, 11, &args, "actBatchNormEval")) return NULL;
  kernels->act_batchnorm_eval(F32(0), OPT_F32(10), F32(1), F32(2), F32(3), F32(4), F32(5), SZ(6), SZ(7), INT(8),
                              (float)args.v[9]);
  return NULL;
}

// edgePairFeatures(heap, h, nodes, src, dst, attr, out, edges, d) -> -1 or the first bad edge
static napi_value EdgePairFeatures(napi_env env, napi_callback_info info) {
  call_args args;
  if (!read_args(env, info, 8, &args, "edgePairFeatures")) return NULL;
  size_t bad = 0;
  int status = kernels->edge_pair_features(F32(0), SZ(1), I32(2), I32(3), F32(4), F32(5), SZ(6), SZ(7), &bad);
  return index_result(env, status, bad);
}

// edgePairFeaturesGrad(heap, h, nodes, src, dst, dy, dh, dattr, edges, d)
static napi_value EdgePairFeaturesGrad(napi_env env, napi_callback_info info) {
  call_args args;
  if (!read_args(env, info, 9, &args, "edgePairFeaturesGrad")) return NULL;
  size_t bad = 0;
  int status = kernels->edge_pair_features_grad(F32(0), SZ(1), I32(2), I32(3), F32(4), F32(5), F32(6), SZ(7), SZ(8), &bad);
  return index_result(env, status, bad);
}

// gatherPairAdd(heap, edge, table, rows, first, second, out, edges, m)
static napi_value GatherPairAdd(napi_env env, napi_callback_info info) {
  call_args args;
  if (!read_args(env, info, 8, &args, "gatherPairAdd")) return NULL;
  size_t bad = 0;
  int status = kernels->gather_pair_add(F32(0), F32(1), SZ(2), I32(3), I32(4), F32(5), SZ(6), SZ(7), &bad);
  return index_result(env, status, bad);
}

// gatherPairAddGrad(heap, dy, first, second, dtable, rows, edges, m)
static napi_value GatherPairAddGrad(napi_env env, napi_callback_info info) {
  call_args args;
  if (!read_args(env, info, 7, &args, "gatherPairAddGrad")) return NULL;
  size_t bad = 0;
  int status = kernels->gather_pair_add_grad(F32(0), I32(1), I32(2), F32(3), SZ(4), SZ(5), SZ(6), &bad);
  return index_result(env, status, bad);
}

// gatherRows(heap, x, rows, index, out, count, width)
static napi_value GatherRows(napi_env env, napi_callback_info info) {
  call_args args;
  if (!read_args(env, info, 6, &args, "gatherRows")) return NULL;
  size_t bad = 0;
  int status = kernels->gather_rows(F32(0), SZ(1), I32(2), F32(3), SZ(4), SZ(5), &bad);
  return index_result(env, status, bad);
}

// scatterAddRows(heap, x, index, out, rows, count, width)
static napi_value ScatterAddRows(napi_env env, napi_callback_info info) {
  call_args args;
  if (!read_args(env, info, 6, &args, "scatterAddRows")) return NULL;
  size_t bad = 0;
  int status = kernels->scatter_add_rows(F32(0), I32(1), F32(2), SZ(3), SZ(4), SZ(5), &bad);
  return index_result(env, status, bad);
}

// gemm(heap, transA, transB, m, n, k, a, strideA, b, strideB, c, strideC, batch) -> whether it ran
// (false, with nothing written, when no native path fits: no BLAS and not a narrow shape)
static napi_value Gemm(napi_env env, napi_callback_info info) {
  call_args args;
  if (!read_args(env, info, 12, &args, "gemm")) return NULL;
  return boolean(env, ht_gemm_batch(INT(0), INT(1), SZ(2), SZ(3), SZ(4), F32(5), SZ(6), F32(7), SZ(8), F32(9), SZ(10), SZ(11)));
}

// denseEval(heap, x, w, y, rows, in, out, bias, act, scale, shift) -> whether it ran: y = act(x w +
// bias) * scale + shift in one pass (bias, scale, shift 0 for none)
static napi_value DenseEval(napi_env env, napi_callback_info info) {
  call_args args;
  if (!read_args(env, info, 10, &args, "denseEval")) return NULL;
  return boolean(env, ht_dense_eval(SZ(3), SZ(5), SZ(4), F32(0), F32(1), F32(2), OPT_F32(6), INT(7), OPT_F32(8), OPT_F32(9)));
}

// messageEval(heap, h, nodes, src, dst, attr, geometry, w, table, out, edges, d, g, m, act, scale, shift)
// -> -1 ran, -2 not available here (nothing written), else the first edge with a bad index
static napi_value MessageEval(napi_env env, napi_callback_info info) {
  call_args args;
  if (!read_args(env, info, 16, &args, "messageEval")) return NULL;
  long status = ht_message_eval(F32(0), SZ(1), I32(2), I32(3), F32(4), OPT_F32(5), F32(6), F32(7), F32(8), SZ(9), SZ(10),
                                SZ(11), SZ(12), INT(13), OPT_F32(14), OPT_F32(15));
  napi_value result;
  napi_create_double(env, (double)status, &result);
  return result;
}

// gemmRuns(transA, transB, m, n, k), denseEvalFits(rows, in, out), messageEvalFits(d, g, m): whether
// that entry point has a native path for the shape here (the callers decide before allocating).
static napi_value GemmRuns(napi_env env, napi_callback_info info) {
  double v[5];
  if (!read_plain(env, info, 5, v, "gemmRuns")) return NULL;
  return boolean(env, ht_gemm_runs((int)v[0], (int)v[1], (size_t)v[2], (size_t)v[3], (size_t)v[4]));
}

static napi_value DenseEvalFits(napi_env env, napi_callback_info info) {
  double v[3];
  if (!read_plain(env, info, 3, v, "denseEvalFits")) return NULL;
  return boolean(env, ht_dense_eval_fits((size_t)v[0], (size_t)v[2], (size_t)v[1]));
}

static napi_value MessageEvalFits(napi_env env, napi_callback_info info) {
  double v[3];
  if (!read_plain(env, info, 3, v, "messageEvalFits")) return NULL;
  return boolean(env, ht_message_eval_runs((size_t)v[0], (size_t)v[1], (size_t)v[2]));
}

// setThreads(n): the threads of the BLAS and of the kernels here
static napi_value SetThreads(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  size_t argc = 1;
  int32_t threads = 1;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc == 1) napi_get_value_int32(env, argv[0], &threads);
  ht_blas_set_threads(threads < 1 ? 1 : threads);
  return NULL;
}

static void set_string(napi_env env, napi_value object, const char *key, const char *value) {
  napi_value v;
  napi_create_string_utf8(env, value, NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, object, key, v);
}

static napi_value Describe(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value object, threads;
  napi_create_object(env, &object);
  set_string(env, object, "variant", variant);
  set_string(env, object, "blas", ht_blas_name());
  set_string(env, object, "gemm", ht_gemm_paths());
  napi_create_int32(env, ht_blas_threads(), &threads);
  napi_set_named_property(env, object, "blasThreads", threads);
  napi_create_int32(env, ht_kernel_threads(), &threads);
  napi_set_named_property(env, object, "kernelThreads", threads);
  return object;
}

static void export_function(napi_env env, napi_value exports, const char *name, napi_callback callback) {
  napi_value fn;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, callback, NULL, &fn);
  napi_set_named_property(env, exports, name, fn);
}

NAPI_MODULE_INIT() {
  kernels = &ht_kernels_generic;
  variant = "generic";
#if defined(HT_HAVE_AVX2) && (defined(__x86_64__) || defined(__i386__))
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    kernels = &ht_kernels_avx2;
    variant = "avx2";
  }
#endif
#if defined(HT_HAVE_AVX512) && (defined(__x86_64__) || defined(__i386__))
  // Sixteen lanes take the exp-bound SiLU loops of the forward and evaluation passes to about a
  // third of their AVX2 time, and the pair features to three quarters; the gradient passes and the
  // scatters ran slower with them here (tools/bench, docs/benchmarks.md), so those stay AVX2.
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma") && kernels == &ht_kernels_avx2) {
    static ht_kernels mixed;
    mixed = ht_kernels_avx2;
    mixed.act_batchnorm = ht_kernels_avx512.act_batchnorm;
    mixed.act_batchnorm_eval = ht_kernels_avx512.act_batchnorm_eval;
    mixed.edge_pair_features = ht_kernels_avx512.edge_pair_features;
    kernels = &mixed;
    variant = "avx512";
  }
#endif
  // HYPERTRACK_NATIVE_VARIANT=avx2|generic picks a narrower variant, and avx512-all every kernel in
  // its AVX-512 form (for comparisons, tools/bench/native-kernels.bench.mjs); a variant the CPU
  // lacks is never taken.
  const char *wanted = getenv("HYPERTRACK_NATIVE_VARIANT");
#if defined(HT_HAVE_AVX512)
  if (wanted != NULL && strcmp(wanted, "avx512-all") == 0 && strcmp(variant, "avx512") == 0) {
    kernels = &ht_kernels_avx512;
    variant = "avx512-all";
  }
#endif
  if (wanted != NULL && strcmp(wanted, "generic") == 0) {
    kernels = &ht_kernels_generic;
    variant = "generic";
  }
#if defined(HT_HAVE_AVX2)
  if (wanted != NULL && strcmp(wanted, "avx2") == 0 && strcmp(variant, "avx512") == 0) {
    kernels = &ht_kernels_avx2;
    variant = "avx2";
  }
#endif
  export_function(env, exports, "actBatchNorm", ActBatchNorm);
  export_function(env, exports, "actBatchNormGrad", ActBatchNormGrad);
  export_function(env, exports, "actBatchNormEval", ActBatchNormEval);
  export_function(env, exports, "edgePairFeatures", EdgePairFeatures);
  export_function(env, exports, "edgePairFeaturesGrad", EdgePairFeaturesGrad);
  export_function(env, exports, "gatherPairAdd", GatherPairAdd);
  export_function(env, exports, "gatherPairAddGrad", GatherPairAddGrad);
  export_function(env, exports, "gatherRows", GatherRows);
  export_function(env, exports, "scatterAddRows", ScatterAddRows);
  export_function(env, exports, "gemm", Gemm);
  export_function(env, exports, "denseEval", DenseEval);
  export_function(env, exports, "gemmRuns", GemmRuns);
  export_function(env, exports, "denseEvalFits", DenseEvalFits);
  export_function(env, exports, "messageEvalFits", MessageEvalFits);
  export_function(env, exports, "messageEval", MessageEval);
  export_function(env, exports, "setThreads", SetThreads);
  export_function(env, exports, "describe", Describe);
  return exports;
}
