// The entries of a row that pass a threshold per column: the code of a JumpReLU (or ReLU)
// sparse autoencoder, and the entries near the thresholds where JumpReLU's straight-through
// gradient is nonzero (SparsityCore's `selectCodes` and `selectNearThresholds`).
#include "Multiversion.h"

// |x| lane by lane, exactly (the sign bit cleared).
SPARSITY_INLINE v16f abs16(v16f x) { return (v16f)((v16i)x & 0x7fffffff); }

// The entries of x[0..<n] with x[j] > t[j] (near = 0) or |x[j] - t[j]| < h (near = 1), t[j] = t0
// when t is NULL, in column order: their count, and (j, x[j]) written when indices is not NULL.
SPARSITY_INLINE int64_t select_row_body(
  int32_t isa, int32_t *indices, float *values, const float *x, const float *t, float t0, float h, int32_t near,
  int64_t n) {
  (void)isa;
  int64_t count = 0, j = 0;
  for (; j + 16 <= n; j += 16) {
    const v16f v = load16(x + j);
    const v16f threshold = t ? load16(t + j) : splat16(t0);
    uint32_t keep = lane_mask(near ? abs16(v - threshold) < splat16(h) : v > threshold);
    if (!indices) {
      count += __builtin_popcount(keep);
      continue;
    }
    for (; keep; keep &= keep - 1) {
      const int lane = __builtin_ctz(keep);
      indices[count] = (int32_t)(j + lane);
      values[count] = v[lane];
      count++;
    }
  }
  for (; j < n; j++) {
    const float threshold = t ? t[j] : t0;
    if (near ? __builtin_fabsf(x[j] - threshold) < h : x[j] > threshold) {
      if (indices) {
        indices[count] = (int32_t)j;
        values[count] = x[j];
      }
      count++;
    }
  }
  return count;
}

SPARSITY_MULTIVERSION(
  int64_t, select_row,
  (int32_t *indices, float *values, const float *x, const float *t, float t0, float h, int32_t near, int64_t n),
  indices, values, x, t, t0, h, near, n)

int64_t sparsity_select_row(
  int32_t isa, int32_t *indices, float *values, const float *x, const float *t, float t0, float h, int32_t near,
  int64_t n) {
  SPARSITY_DISPATCH(isa, select_row, indices, values, x, t, t0, h, near, n)
}
