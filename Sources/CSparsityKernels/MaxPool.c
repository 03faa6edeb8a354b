// The 2x2 max pool of stride 2 without indices, one plane at a time: the inference form, after
// a convolution (fused into the sparse one, or on the dense baseline's output).
//
// The rule is `maxPool2d`'s: in scan order (top left, top right, bottom left, bottom right) a
// value replaces the best so far when it is strictly larger or NaN. Vector lanes follow the
// same order: pairwise over the even and odd columns of the upper row, then the lower row's.
#include "Multiversion.h"

SPARSITY_INLINE float larger_or_nan(float best, float candidate) {
  return (candidate > best || candidate != candidate) ? candidate : best;
}

// y[i * columns + j] = the pool of x rows 2i, 2i + 1 (row_stride apart), columns 2j, 2j + 1,
// for i < rows, j < columns. Reads only the first 2 * columns values of each input row.
// `activated`: x holds no NaN and no -0 (a fused ReLU's output), so the vector steps may take the
// plain maximum (`pool_rows16_activated`).
SPARSITY_INLINE void max_pool_2x2_body(
  int32_t isa, float *y, const float *x, int64_t row_stride, int64_t rows, int64_t columns, int32_t activated) {
  (void)isa;
  for (int64_t i = 0; i < rows; i++) {
    const float *top = x + 2 * i * row_stride, *bottom = top + row_stride;
    float *line = y + i * columns;
    int64_t j = 0;
    for (; j + 8 <= columns; j += 8) {
      const v16f t = load16(top + 2 * j), b = load16(bottom + 2 * j);
      const v8f best = activated ? pool_rows16_activated(t, b) : pool_rows16(t, b);
      memcpy(line + j, &best, sizeof best);
    }
    if (j + 4 <= columns) {
      const v8f t = load8(top + 2 * j), b = load8(bottom + 2 * j);
      const v4f best = activated ? pool_rows8_activated(t, b) : pool_rows8(t, b);
      memcpy(line + j, &best, sizeof best);
      j += 4;
    }
    for (; j < columns; j++) {
      float best = top[2 * j];
      best = larger_or_nan(best, top[2 * j + 1]);
      best = larger_or_nan(best, bottom[2 * j]);
      line[j] = larger_or_nan(best, bottom[2 * j + 1]);
    }
  }
}

SPARSITY_MULTIVERSION(
  void, max_pool_2x2,
  (float *y, const float *x, int64_t row_stride, int64_t rows, int64_t columns, int32_t activated), y, x,
  row_stride, rows, columns, activated)

void sparsity_max_pool_2x2(
  int32_t isa, float *y, const float *x, int64_t row_stride, int64_t rows, int64_t columns, int32_t activated) {
  SPARSITY_DISPATCH(isa, max_pool_2x2, y, x, row_stride, rows, columns, activated)
}
