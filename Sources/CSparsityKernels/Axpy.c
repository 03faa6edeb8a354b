// Scaled rows added into one output row: the batch-1 step of activation skipping, where every
// nonzero input adds its whole weight row (W^T[j, :], contiguous) times the input's value.
#include "Multiversion.h"

// y[0..<n] += a * x[0..<n]
SPARSITY_INLINE void axpy_body(int32_t isa, float *y, float a, const float *x, int64_t n) {
  (void)isa;
  const v16f scale = splat16(a);
  int64_t j = 0;
  for (; j + 16 <= n; j += 16) store16(y + j, load16(y + j) + scale * load16(x + j));
  for (; j < n; j++) y[j] = y[j] + a * x[j];
}

SPARSITY_MULTIVERSION(void, axpy, (float *y, float a, const float *x, int64_t n), y, a, x, n)

void sparsity_axpy(int32_t isa, float *y, float a, const float *x, int64_t n) {
  SPARSITY_DISPATCH(isa, axpy, y, a, x, n)
}

// y[0..<n] += sum_{r<R} a[r] * rows r of b, R = 8 or 4: one pass over y for R weight rows,
// eight floats a step (R broadcasts and two partial sums stay in registers on every target).
SPARSITY_INLINE void rows_pass(float *y, int64_t n, const float *a, const float *b, int64_t ldb, const int32_t *rows, const int R) {
  const float *r[8];
  v8f s[8];
  for (int k = 0; k < R; k++) {
    r[k] = b + (int64_t)rows[k] * ldb;
    s[k] = (v8f){0} + a[k];
  }
  int64_t j = 0;
  for (; j + 8 <= n; j += 8) {
    v8f even = load8(y + j), odd = (v8f){0};
    for (int k = 0; k < R; k += 2) {
      even = even + s[k] * load8(r[k] + j);
      odd = odd + s[k + 1] * load8(r[k + 1] + j);
    }
    v8f total = even + odd;
    memcpy(y + j, &total, sizeof total);
  }
  for (; j < n; j++) {
    float total = 0;
    for (int k = 0; k < R; k++) total = total + a[k] * r[k][j];
    y[j] += total;
  }
}

// Eight rows a pass where 16 vector registers hold eight broadcasts (AVX2, AVX-512); four on
// the baseline, whose eight-float vectors take two SSE registers each.
SPARSITY_INLINE void axpy_rows_body(
  int32_t isa, float *y, int64_t n, const float *a, const float *b, int64_t ldb, const int32_t *rows, int64_t count) {
  int64_t p = 0;
  if (isa != SPARSITY_ISA_BASELINE) {
    for (; p + 8 <= count; p += 8) rows_pass(y, n, a + p, b, ldb, rows + p, 8);
  }
  for (; p + 4 <= count; p += 4) rows_pass(y, n, a + p, b, ldb, rows + p, 4);
  for (; p < count; p++) axpy_body(isa, y, a[p], b + (int64_t)rows[p] * ldb, n);
}

SPARSITY_MULTIVERSION(
  void, axpy_rows, (float *y, int64_t n, const float *a, const float *b, int64_t ldb, const int32_t *rows, int64_t count),
  y, n, a, b, ldb, rows, count)

void sparsity_axpy_rows(
  int32_t isa, float *y, int64_t n, const float *a, const float *b, int64_t ldb, const int32_t *rows, int64_t count) {
  SPARSITY_DISPATCH(isa, axpy_rows, y, n, a, b, ldb, rows, count)
}
