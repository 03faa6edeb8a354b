// The register-blocked micro-kernel of the weight-sparse batch products (CSR or BSR weights
// times a feature-major batch) and of batched activation skipping: 64 output columns stay in
// registers while every stored entry of one row adds a scaled row of b into them.
#include "Multiversion.h"

// acc[0..<V] += v * row[0 ..< 16 V]
SPARSITY_INLINE void add_row(v16f *acc, const int V, float v, const float *row) {
  const v16f s = splat16(v);
  for (int k = 0; k < V; k++) acc[k] = acc[k] + s * load16(row + 16 * k);
}

// out[0 ..< 16 V] (=, or +=) the sum over entries (see sparsity_accumulate64). With `dual`,
// every other entry goes to a second set of accumulators: shorter FMA dependency chains where
// V registers alone are fewer than the FMA latency times the FMA ports.
SPARSITY_INLINE void accumulate_columns(
  float *out, const int32_t *indices, const float *values, int64_t count, int64_t columns, const float *b,
  int64_t ldb, int32_t overwrite, const int V, const int dual) {
  v16f acc[4], alt[4];
  for (int k = 0; k < V; k++) {
    acc[k] = overwrite ? (v16f){0} : load16(out + 16 * k);
    alt[k] = (v16f){0};
  }
  if (columns == 1) {
    int64_t p = 0;
    if (dual) {
      for (; p + 2 <= count; p += 2) {
        add_row(acc, V, values[p], b + (int64_t)indices[p] * ldb);
        add_row(alt, V, values[p + 1], b + (int64_t)indices[p + 1] * ldb);
      }
    }
    for (; p < count; p++) add_row(acc, V, values[p], b + (int64_t)indices[p] * ldb);
  } else {
    for (int64_t p = 0; p < count; p++) {
      const float *base = b + (int64_t)indices[p] * columns * ldb;
      const float *v = values + p * columns;
      int64_t jj = 0;
      if (dual) {
        for (; jj + 2 <= columns; jj += 2) {
          add_row(acc, V, v[jj], base + jj * ldb);
          add_row(alt, V, v[jj + 1], base + (jj + 1) * ldb);
        }
      }
      for (; jj < columns; jj++) add_row(acc, V, v[jj], base + jj * ldb);
    }
  }
  for (int k = 0; k < V; k++) store16(out + 16 * k, acc[k] + alt[k]);
}

// AVX-512: 4 + 4 ZMM accumulators. AVX2: 4 vectors are 8 YMM accumulators, enough chains.
// Baseline: two passes of 32 columns, 8 XMM accumulators each (64 columns would spill).
SPARSITY_INLINE void accumulate64_body(
  int32_t isa, float *out, const int32_t *indices, const float *values, int64_t count, int64_t columns,
  const float *b, int64_t ldb, int32_t overwrite) {
  if (!overwrite && count == 0) return;
  if (isa == SPARSITY_ISA_AVX512) {
    accumulate_columns(out, indices, values, count, columns, b, ldb, overwrite, 4, 1);
  } else if (isa == SPARSITY_ISA_AVX2) {
    accumulate_columns(out, indices, values, count, columns, b, ldb, overwrite, 4, 0);
  } else {
    accumulate_columns(out, indices, values, count, columns, b, ldb, overwrite, 2, 0);
    accumulate_columns(out + 32, indices, values, count, columns, b + 32, ldb, overwrite, 2, 0);
  }
}

SPARSITY_MULTIVERSION(
  void, accumulate64,
  (float *out, const int32_t *indices, const float *values, int64_t count, int64_t columns, const float *b, int64_t ldb,
   int32_t overwrite),
  out, indices, values, count, columns, b, ldb, overwrite)

void sparsity_accumulate64(
  int32_t isa, float *out, const int32_t *indices, const float *values, int64_t count, int64_t columns,
  const float *b, int64_t ldb, int32_t overwrite) {
  SPARSITY_DISPATCH(isa, accumulate64, out, indices, values, count, columns, b, ldb, overwrite)
}
