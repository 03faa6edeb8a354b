// The inner loops of Sparsity's zero-skipping kernels, compiled once per instruction set and
// chosen at run time, so that a plain `swift build -c release` (no CPU flags) is as fast as a
// build for the host CPU. Each function takes the instruction set to run with as its first
// argument: one of the SPARSITY_ISA_* values, at most `sparsity_detected_isa()`.
//
// Shapes follow llm.c's convention: outputs first, then inputs, then sizes. All matrices are
// row-major; `ld*` is a row stride in floats. Pointers may be unaligned.
#ifndef CSPARSITY_KERNELS_H
#define CSPARSITY_KERNELS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Portable code: SSE2 on x86-64, NEON on arm64 (where FMA is part of the baseline).
#define SPARSITY_ISA_BASELINE 0
/// x86-64 with AVX2 and FMA (Haswell, AMD Zen 1-3).
#define SPARSITY_ISA_AVX2 1
/// x86-64 with AVX-512 F/VL/DQ/BW and the OS saving ZMM state (Skylake-X and later, AMD Zen 4).
#define SPARSITY_ISA_AVX512 2

/// The best instruction set this CPU and OS support (cpuid and xgetbv on x86-64).
int32_t sparsity_detected_isa(void);

/// One Adam update of w, m and v (n each) with gradient g (n), L2 coefficient l2, step size
/// lr / (1 - beta1^t) and root = sqrt(1 - beta2^t).
void sparsity_adam(
  int32_t isa, float *w, float *m, float *v, const float *g, int64_t n, float beta1, float beta2, float epsilon,
  float l2, float step_size, float root);

/// y[0..<n] += a * x[0..<n].
void sparsity_axpy(int32_t isa, float *y, float a, const float *x, int64_t n);

/// y[0..<n] += sum_{r < count} a[r] * b[rows[r] * ldb ..< +n]: weight rows scaled and summed,
/// eight rows per pass over y.
void sparsity_axpy_rows(
  int32_t isa, float *y, int64_t n, const float *a, const float *b, int64_t ldb, const int32_t *rows, int64_t count);

/// out[0..<64] (=, or += when `overwrite` is 0) sum over entries p < count and jj < columns of
/// values[p * columns + jj] * b[(indices[p] * columns + jj) * ldb ..< +64]. With columns = 1 this
/// is a CSR row times a dense matrix; with columns = c, a row of 1 x c blocks of a BSR matrix.
void sparsity_accumulate64(
  int32_t isa, float *out, const int32_t *indices, const float *values, int64_t count, int64_t columns,
  const float *b, int64_t ldb, int32_t overwrite);

/// sum_p values[p] * x[indices[p]] over p < count.
float sparsity_sparse_dot(int32_t isa, const int32_t *indices, const float *values, int64_t count, const float *x);

/// yt[rows[p] * 16 ..< +16] += values[p] * xj[0..<16] for p from `start` while p < `end` and
/// rows[p] < `limit`; returns the p where it stopped. Rows must be distinct in that range.
int64_t sparsity_accumulate_lanes(
  int32_t isa, float *yt, const float *xj, const int32_t *rows, const float *values, int64_t start, int64_t end,
  int32_t limit);

/// out[c * ldo + r] = input[r * ldi + c] for r, c < 16: one 16 x 16 tile transposed.
void sparsity_transpose_tile16(int32_t isa, float *out, int64_t ldo, const float *input, int64_t ldi);

/// x[0..<n] -= a * w[0..<n] (fused where the target has FMA); returns the largest |x[j]| of the new
/// values, 0 when n is 0.
float sparsity_subtract_scaled_max(int32_t isa, float *x, float a, const float *w, int64_t n);

/// The largest |x[j]| over j < n, 0 when n is 0.
float sparsity_max_magnitude(int32_t isa, const float *x, int64_t n);

/// out[p] = a[0..<n] . b[rows[p] * ldb ..< +n] for p < count: one dense row against chosen rows.
void sparsity_row_dots(
  int32_t isa, float *out, const float *a, const float *b, int64_t ldb, const int32_t *rows, int64_t count, int64_t n);

/// The k largest values x[j] + bias[j] that are positive (bias may be NULL), as up to k
/// (index, value) pairs with indices ascending; ties at the k-th value keep the lowest indices.
/// `cand_indices` and `cand_values` hold `capacity` >= 2k entries, `scratch` max(capacity, n)
/// and `maxima` n. Returns the count.
int64_t sparsity_topk_row(
  int32_t isa, int32_t *out_indices, float *out_values, const float *x, const float *bias, int64_t n, int64_t k,
  int32_t *cand_indices, float *cand_values, float *scratch, float *maxima, int64_t capacity);

/// The entries of x[0..<n] with x[j] > t[j] (near = 0) or |x[j] - t[j]| < h (near = 1), t[j] = t0
/// when t is NULL, in column order: returns their count and, when indices is not NULL, writes
/// (j, x[j]) to indices and values.
int64_t sparsity_select_row(
  int32_t isa, int32_t *indices, float *values, const float *x, const float *t, float t0, float h, int32_t near,
  int64_t n);

/// out[0..<n] = bias + sum of values[e] * x[offsets[e] ..< +n] over the entries e of the segments
/// bounds[2s] ..< bounds[2s + 1], s < segments; clamped at +0 (NaN and -0 too) when `relu` is
/// nonzero: a direct sparse convolution's output plane as shifted runs of its padded input (the
/// segments skip input channels that are zero). n must be a multiple of 16 and every
/// x[offsets[e] + n - 1] readable.
void sparsity_shifted_sum(
  int32_t isa, float *out, int64_t n, float bias, int32_t relu, const float *x, const int32_t *offsets,
  const float *values, const int64_t *bounds, int64_t segments);
/// y[i * columns + j] = the largest of x[2i][2j], x[2i][2j + 1], x[2i + 1][2j], x[2i + 1][2j + 1]
/// (input rows `row_stride` apart) for i < rows, j < columns, a value replacing the best so far,
/// in that order, when strictly larger or NaN: one plane of the 2x2, stride 2 max pool.
/// `activated` (nonzero) promises that x holds no NaN and no -0, as a fused ReLU leaves it; the
/// plain maximum it then takes equals the rule's.
void sparsity_max_pool_2x2(
  int32_t isa, float *y, const float *x, int64_t row_stride, int64_t rows, int64_t columns, int32_t activated);

/// The same sums as `sparsity_shifted_sum` by output rows: out[p * columns + q] = bias + sum over
/// the entries e of the segments of values[e] * x[offsets[e] + p * row_stride + q] (clamped at +0
/// when `relu`) for p < rows and q < columns, columns at least 8, eight outputs a vector. With
/// `pool` (columns even and at most 32) the plane is max-pooled 2x2 with stride 2 as it is
/// stored, by the rule of `sparsity_max_pool_2x2`: out[i * columns / 2 + j] for i < rows / 2,
/// j < columns / 2.
void sparsity_shifted_rows(
  int32_t isa, float *out, int64_t rows, int64_t columns, int64_t row_stride, float bias, int32_t relu, int32_t pool,
  const float *x, const int32_t *offsets, const float *values, const int64_t *bounds, int64_t segments);

/// 1 when the CPU multiplies bfloat16 pairs (AVX512-BF16) and the AVX-512 path is available, else 0.
/// The sparsity_bf16_* functions below may run only when it is 1 (on other CPUs they do nothing).
int32_t sparsity_bf16_detected(void);

/// Rows of x (rows x width, row stride ldx) rounded to bfloat16, two per 32-bit word, `pairs` >=
/// ceil(width / 2) words per row (zero past the width); norms[2r] = ||rounded row r|| and
/// norms[2r + 1] = ||row r - rounded row r||, in double.
void sparsity_bf16_pack_rows(
  uint32_t *out, double *norms, const float *x, int64_t ldx, int64_t rows, int64_t width, int64_t pairs);

/// Groups group_begin ..< group_end of the panel of w (rows x width): group g holds, for each
/// pair p, the words p of rows 16g ..< 16g + 16 (zero past the last row) at out[(g * pairs + p)
/// * 16 + l]; norms as for sparsity_bf16_pack_rows, per row of w. `scratch` holds `pairs` words.
void sparsity_bf16_pack_panel(
  uint32_t *out, double *norms, const float *w, int64_t rows, int64_t width, int64_t pairs, int64_t group_begin,
  int64_t group_end, uint32_t *scratch);

/// c[i][j] = sum over the pairs of a's row i times panel row j (+ bias[j]; bias may be NULL) for
/// every row i < rows and the columns j < `columns` of the groups group_begin ..< group_end, in
/// float32 sums of exact bfloat16 products.
void sparsity_bf16_product(
  float *c, int64_t ldc, const uint32_t *a, int64_t rows, int64_t pairs, const uint32_t *panel, int64_t columns,
  int64_t group_begin, int64_t group_end, const float *bias);

/// A piece of a job for `sparsity_pool_run`: `index` is from 0 to the job's pieces - 1.
typedef void (*sparsity_pool_task)(void *context, int64_t index);

/// Runs task(context, i) for every i < pieces at once: piece 0 on the calling thread, the others
/// on workers that spin for a while between jobs (so microsecond-long jobs pay no wake-up).
/// Returns 1 when done, 0 without running anything when the pool is busy with another job (the
/// caller then runs the pieces another way). When the workers cannot be started (an
/// address-space or thread limit), the pieces run one after another on the calling thread.
int32_t sparsity_pool_run(int64_t pieces, sparsity_pool_task task, void *context);

/// The calling thread's limit on the threads its kernels use (`Parallel.withThreadCount`), 0 for
/// none.
int32_t sparsity_thread_limit(void);

/// Sets the calling thread's limit (0: none) and returns the one before.
int32_t sparsity_set_thread_limit(int32_t limit);

#ifdef __cplusplus
}
#endif

#endif
