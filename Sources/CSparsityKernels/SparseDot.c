// The dot product of a sparse row with a dense vector: one output of a CSR layer at batch 1.
#include "Multiversion.h"

SPARSITY_INLINE v8f gather8(const float *x, const int32_t *i) {
  return (v8f){x[i[0]], x[i[1]], x[i[2]], x[i[3]], x[i[4]], x[i[5]], x[i[6]], x[i[7]]};
}

// Sixteen entries a step in two eight-lane sums, then the tail one at a time.
SPARSITY_INLINE float sparse_dot_body(int32_t isa, const int32_t *indices, const float *values, int64_t count, const float *x) {
  (void)isa;
  v8f a = (v8f){0}, b = (v8f){0};
  int64_t p = 0;
  for (; p + 16 <= count; p += 16) {
    a = a + gather8(x, indices + p) * load8(values + p);
    b = b + gather8(x, indices + p + 8) * load8(values + p + 8);
  }
  float total = sum8(a + b);
  for (; p < count; p++) total = total + values[p] * x[indices[p]];
  return total;
}

SPARSITY_MULTIVERSION(
  float, sparse_dot, (const int32_t *indices, const float *values, int64_t count, const float *x), indices, values,
  count, x)

float sparsity_sparse_dot(int32_t isa, const int32_t *indices, const float *values, int64_t count, const float *x) {
  SPARSITY_DISPATCH(isa, sparse_dot, indices, values, count, x)
}
