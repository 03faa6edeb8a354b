// Sixteen samples in the lanes of one vector: a stored weight W[i, j] of a pruned layer adds
// W[i, j] times the 16 samples' input j into row i of the feature-major output.
#include "Multiversion.h"

SPARSITY_INLINE int64_t accumulate_lanes_body(
  int32_t isa, float *yt, const float *xj, const int32_t *rows, const float *values, int64_t start, int64_t end,
  int32_t limit) {
  (void)isa;
  const v16f x = load16(xj);
  int64_t p = start;
  // Rows are distinct, so four read-modify-writes are independent.
  for (; p + 4 <= end && rows[p + 3] < limit; p += 4) {
    float *y0 = yt + (int64_t)rows[p] * 16, *y1 = yt + (int64_t)rows[p + 1] * 16;
    float *y2 = yt + (int64_t)rows[p + 2] * 16, *y3 = yt + (int64_t)rows[p + 3] * 16;
    const v16f a0 = load16(y0), a1 = load16(y1), a2 = load16(y2), a3 = load16(y3);
    store16(y0, a0 + splat16(values[p]) * x);
    store16(y1, a1 + splat16(values[p + 1]) * x);
    store16(y2, a2 + splat16(values[p + 2]) * x);
    store16(y3, a3 + splat16(values[p + 3]) * x);
  }
  for (; p < end && rows[p] < limit; p++) {
    float *y = yt + (int64_t)rows[p] * 16;
    store16(y, load16(y) + splat16(values[p]) * x);
  }
  return p;
}

SPARSITY_MULTIVERSION(
  int64_t, accumulate_lanes,
  (float *yt, const float *xj, const int32_t *rows, const float *values, int64_t start, int64_t end, int32_t limit),
  yt, xj, rows, values, start, end, limit)

int64_t sparsity_accumulate_lanes(
  int32_t isa, float *yt, const float *xj, const int32_t *rows, const float *values, int64_t start, int64_t end,
  int32_t limit) {
  SPARSITY_DISPATCH(isa, accumulate_lanes, yt, xj, rows, values, start, end, limit)
}
