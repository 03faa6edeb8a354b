// The k largest positive values of a row, by a threshold that rises as candidates come in: the
// selection of a TopK sparse autoencoder's code (SparsityCore's `selectTopKCodes`).
//
// Values at or below the running threshold are skipped sixteen at a time with one vector
// comparison; the rest are appended to a candidate list, which is cut back to the k best (and
// the threshold raised to the k-th best) whenever it fills. On a row of n values of which k are
// kept, about k ln(n / k) values become candidates, so the pass is one comparison per value.
#include "Multiversion.h"

// The k-th largest of values[0..<count] (1 <= k <= count), reordering `scratch` (count floats).
static float kth_largest(const float *values, int64_t count, int64_t k, float *scratch) {
  for (int64_t i = 0; i < count; i++) scratch[i] = values[i];
  int64_t lo = 0, hi = count - 1, target = k - 1;  // descending order: position k - 1
  while (lo < hi) {
    float pivot = scratch[lo + (hi - lo) / 2];
    int64_t i = lo, j = hi;
    while (i <= j) {
      while (scratch[i] > pivot) i++;
      while (scratch[j] < pivot) j--;
      if (i <= j) {
        float t = scratch[i];
        scratch[i] = scratch[j];
        scratch[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return scratch[target];
  }
  return scratch[target];
}

// The k-th largest of m[0..<count] (count a multiple of 16, at most 128, k <= count) by
// ranks: the smallest value with fewer than k values above it. count^2 / 16 vector
// comparisons and no data-dependent branches in the inner loop, where a quickselect on so few
// values loses its time to mispredicted branches.
SPARSITY_INLINE float kth_largest_by_rank(const float *m, int64_t count, int64_t k) {
  float best = __builtin_inff();
  for (int64_t i = 0; i < count; i++) {
    const v16f value = splat16(m[i]);
    int64_t greater = 0;
    for (int64_t q = 0; q < count; q += 16) greater += __builtin_popcount(lane_mask(load16(m + q) > value));
    if (greater < k && m[i] < best) best = m[i];
  }
  return best;
}

// Keeps the k best candidates: those above the k-th largest value t, then those equal to t in
// index order (the earliest win ties) until k are kept; order is preserved. Returns t.
static float cut(int32_t *indices, float *values, int64_t *count, int64_t k, float *scratch) {
  float t = kth_largest(values, *count, k, scratch);
  int64_t greater = 0;
  for (int64_t p = 0; p < *count; p++) greater += values[p] > t;
  int64_t ties = k - greater, kept = 0;
  for (int64_t p = 0; p < *count; p++) {
    int keep = values[p] > t || (values[p] == t && ties-- > 0);
    if (keep) {
      indices[kept] = indices[p];
      values[kept] = values[p];
      kept++;
    }
  }
  *count = kept;
  return t;
}

// The elementwise maximum of two vectors (NaN lanes of b never win).
SPARSITY_INLINE v16f max16(v16f a, v16f b) {
  v16i take = b > a;
  return (v16f)(((v16i)b & take) | ((v16i)a & ~take));
}

// The lanewise maximum of x[start + 16 g ..< +16] (+ bias) over g < run (run >= 1): two chains
// of maxima, so each waits on the one before last, and the bias test outside the loops.
SPARSITY_INLINE v16f run_maximum(const float *x, const float *bias, int64_t start, int64_t run) {
  const float *base = x + start;
  v16f m0 = load16(base), m1 = m0;
  int64_t g = 1;
  if (bias) {
    const float *b = bias + start;
    m0 = m0 + load16(b);
    m1 = m0;
    for (; g + 2 <= run; g += 2) {
      m0 = max16(m0, load16(base + 16 * g) + load16(b + 16 * g));
      m1 = max16(m1, load16(base + 16 * g + 16) + load16(b + 16 * g + 16));
    }
    if (g < run) m0 = max16(m0, load16(base + 16 * g) + load16(b + 16 * g));
  } else {
    for (; g + 2 <= run; g += 2) {
      m0 = max16(m0, load16(base + 16 * g));
      m1 = max16(m1, load16(base + 16 * g + 16));
    }
    if (g < run) m0 = max16(m0, load16(base + 16 * g));
  }
  return max16(m0, m1);
}

// The candidates gathered so far and the threshold a value must pass to join them.
struct candidates {
  int32_t *indices;
  float *values;
  float *scratch;
  int64_t count, capacity, k;
  float threshold;
};

// Appends (j, v) to the candidates, cutting them back to the k best (and raising the threshold
// to the k-th best) when they fill up.
SPARSITY_INLINE void add_candidate(struct candidates *c, int64_t j, float v) {
  c->indices[c->count] = (int32_t)j;
  c->values[c->count] = v;
  if (++c->count == c->capacity) c->threshold = cut(c->indices, c->values, &c->count, c->k, c->scratch);
}

// Adds the values of x[j..<j+16] (+ bias) above the threshold, one vector comparison first.
SPARSITY_INLINE void add_block(struct candidates *c, const float *x, const float *bias, int64_t j) {
  v16f v = load16(x + j);
  if (bias) v = v + load16(bias + j);
  // Lanes in ascending order; the threshold may rise as candidates come in, so each is checked again.
  for (uint32_t above = lane_mask(v > splat16(c->threshold)); above; above &= above - 1) {
    const int lane = __builtin_ctz(above);
    if (v[lane] > c->threshold) add_candidate(c, j + lane, v[lane]);
  }
}

// out: up to k (index, value) pairs, indices ascending, of the k largest x[j] + bias[j] > 0
// (bias may be NULL); ties at the k-th value keep the lowest indices. The candidates hold
// `capacity` entries (capacity >= 2k); `scratch` holds max(capacity, n) floats and `maxima` n.
// Returns how many were kept.
//
// On rows of at least 64k values, the values are split into about 2k groups (each lane of a
// run of n / 2k values) whose maxima take one vertical pass; the k-th largest of the groups'
// maxima starts the threshold: at least k values reach it (one per group), so it never passes
// the k-th largest value, and on random rows about 1.4k values lie above it. Only runs holding
// a maximum above it are read again.
SPARSITY_INLINE int64_t topk_row_body(
  int32_t isa, int32_t *out_indices, float *out_values, const float *x, const float *bias, int64_t n, int64_t k,
  int32_t *cand_indices, float *cand_values, float *scratch, float *maxima, int64_t capacity) {
  (void)isa;
  struct candidates c = {cand_indices, cand_values, scratch, 0, capacity, k, 0};
  const int64_t run = n >= 64 * k ? n / (2 * k) : 1;  // vectors per run: 16 lanes x runs = about 2k groups
  const int64_t runs = run > 1 ? n / (16 * run) : 0;
  if (runs > 0) {
    for (int64_t r = 0; r < runs; r++) store16(maxima + 16 * r, run_maximum(x, bias, 16 * run * r, run));
    const int64_t groups = 16 * runs;
    float start = groups <= 128 ? kth_largest_by_rank(maxima, groups, k) : kth_largest(maxima, groups, k, scratch);
    // Values equal to the start are candidates too: compare with the next float below it.
    if (start > 0) c.threshold = __builtin_nextafterf(start, -__builtin_inff());
  }
  const v16f limit = splat16(c.threshold);
  for (int64_t r = 0; r < runs; r++) {
    if (!lane_mask(load16(maxima + 16 * r) > limit)) continue;
    for (int64_t g = 0; g < run; g++) add_block(&c, x, bias, 16 * (run * r + g));
  }
  int64_t j = 16 * run * runs;
  for (; j + 16 <= n; j += 16) add_block(&c, x, bias, j);
  for (; j < n; j++) {
    float v = x[j] + (bias ? bias[j] : 0.0f);
    if (v > c.threshold) add_candidate(&c, j, v);
  }
  if (c.count > k) cut(c.indices, c.values, &c.count, k, scratch);
  for (int64_t p = 0; p < c.count; p++) {
    out_indices[p] = c.indices[p];
    out_values[p] = c.values[p];
  }
  return c.count;
}

SPARSITY_MULTIVERSION(
  int64_t, topk_row,
  (int32_t *out_indices, float *out_values, const float *x, const float *bias, int64_t n, int64_t k,
   int32_t *cand_indices, float *cand_values, float *scratch, float *maxima, int64_t capacity),
  out_indices, out_values, x, bias, n, k, cand_indices, cand_values, scratch, maxima, capacity)

int64_t sparsity_topk_row(
  int32_t isa, int32_t *out_indices, float *out_values, const float *x, const float *bias, int64_t n, int64_t k,
  int32_t *cand_indices, float *cand_values, float *scratch, float *maxima, int64_t capacity) {
  SPARSITY_DISPATCH(
    isa, topk_row, out_indices, out_values, x, bias, n, k, cand_indices, cand_values, scratch, maxima, capacity)
}
