// Row-wise loops over a matrix of directions (a sparse autoencoder's decoder, a dictionary):
// unit-norm rows, gradients kept tangent to them, and rank-one updates, spread over the cores.
import CSparsityKernels

/// Scales every row of `matrix` (rows, width) to unit Euclidean norm; zero rows stay zero.
/// - Complexity: O(rows * width).
public func normalizeRows(_ matrix: inout [Float], rows: Int, width: Int, isa: KernelInstructionSet = .active) {
  precondition(matrix.count >= rows * width, "normalizeRows: \(matrix.count) values for \(rows) x \(width)")
  matrix.withUnsafeMutableBufferPointer { m in
    let base = m.baseAddress!
    Parallel.forEachChunk(of: rows, minimumChunk: Swift.max(1, 16_384 / Swift.max(1, width))) { range in
      for j in range { normalizeRow(base + j * width, width: width, isa: isa) }
    }
  }
}

/// Scales one row (width) to unit Euclidean norm; a zero row stays zero.
/// - Complexity: O(width).
public func normalizeRow(_ row: UnsafeMutablePointer<Float>, width: Int, isa: KernelInstructionSet = .active) {
  var rowIndex: Int32 = 0
  var squared: Float = 0
  sparsity_row_dots(isa.rawValue, &squared, row, row, 0, &rowIndex, 1, Int64(width))
  guard squared > 0 else { return }
  let inverse = 1 / squared.squareRoot()
  for c in 0..<width { row[c] *= inverse }
}

/// Reference twin of `normalizeRows`.
public func normalizeRowsReference(_ matrix: inout [Float], rows: Int, width: Int) {
  for j in 0..<rows {
    let squared = (0..<width).reduce(Float(0)) { $0 + matrix[j * width + $1] * matrix[j * width + $1] }
    guard squared > 0 else { continue }
    for c in 0..<width { matrix[j * width + c] /= squared.squareRoot() }
  }
}

/// For each row j: g_j ← g_j − (g_j · w_j) w_j, the part of the gradient g that would change
/// the norm of the unit-norm row w_j removed. `gradient` and `directions` are (rows, width).
/// - Complexity: O(rows * width).
public func removeRowParallelComponents(
  _ gradient: inout [Float], along directions: [Float], rows: Int, width: Int, isa: KernelInstructionSet = .active
) {
  precondition(
    gradient.count >= rows * width && directions.count >= rows * width,
    "removeRowParallelComponents: \(gradient.count) and \(directions.count) values for \(rows) x \(width)")
  gradient.withUnsafeMutableBufferPointer { g in
    directions.withUnsafeBufferPointer { w in
      let (gb, wb) = (g.baseAddress!, w.baseAddress!)
      Parallel.forEachChunk(of: rows, minimumChunk: Swift.max(1, 16_384 / Swift.max(1, width))) { range in
        for j in range { removeParallelComponent(gb + j * width, along: wb + j * width, width: width, isa: isa) }
      }
    }
  }
}

/// g ← g − (g · w) w for one row: the part of the gradient g (width) that would change the norm
/// of the unit-norm row w (width) removed.
/// - Complexity: O(width).
public func removeParallelComponent(
  _ gradient: UnsafeMutablePointer<Float>, along direction: UnsafePointer<Float>, width: Int,
  isa: KernelInstructionSet = .active
) {
  var rowIndex: Int32 = 0
  var dot: Float = 0
  sparsity_row_dots(isa.rawValue, &dot, gradient, direction, 0, &rowIndex, 1, Int64(width))
  addScaledRow(gradient, scale: -dot, direction, width: width, isa: isa)
}

/// Reference twin of `removeRowParallelComponents`.
public func removeRowParallelComponentsReference(
  _ gradient: inout [Float], along directions: [Float], rows: Int, width: Int
) {
  for j in 0..<rows {
    let dot = (0..<width).reduce(Float(0)) { $0 + gradient[j * width + $1] * directions[j * width + $1] }
    for c in 0..<width { gradient[j * width + c] -= dot * directions[j * width + c] }
  }
}

/// matrix[j, :] += scales[j] * row for every j (a rank-one update); rows whose scale is 0 are
/// skipped. `matrix` is (scales.count, row.count).
/// - Complexity: O(rows * width).
public func addScaledRow(
  _ matrix: inout [Float], scales: [Float], row: [Float], isa: KernelInstructionSet = .active
) {
  let (rows, width) = (scales.count, row.count)
  precondition(matrix.count >= rows * width, "addScaledRow: \(matrix.count) values for \(rows) x \(width)")
  matrix.withUnsafeMutableBufferPointer { m in
    row.withUnsafeBufferPointer { x in
      let (mb, xb) = (m.baseAddress!, x.baseAddress!)
      Parallel.forEachChunk(of: rows, minimumChunk: Swift.max(1, 16_384 / Swift.max(1, width))) { range in
        for j in range where scales[j] != 0 {
          addScaledRow(mb + j * width, scale: scales[j], xb, width: width, isa: isa)
        }
      }
    }
  }
}

/// out[p] = row · rows[indices[p]] for each of the `count` indices: one row's dot products with
/// chosen rows of a matrix (a C kernel per instruction set).
///
/// Shapes: `row` is (width), `rows` is (any, width) row-major, `out` is (count).
/// - Complexity: O(count * width).
public func dotsWithRows(
  _ out: UnsafeMutablePointer<Float>, _ row: UnsafePointer<Float>, rows: UnsafePointer<Float>,
  indices: UnsafePointer<Int32>, count: Int, width: Int, isa: KernelInstructionSet = .active
) {
  guard count > 0 else { return }
  sparsity_row_dots(isa.rawValue, out, row, rows, Int64(width), indices, Int64(count), Int64(width))
}

/// Reference twin of `dotsWithRows`: one product at a time, in order.
public func dotsWithRowsReference(
  _ out: UnsafeMutablePointer<Float>, _ row: UnsafePointer<Float>, rows: UnsafePointer<Float>,
  indices: UnsafePointer<Int32>, count: Int, width: Int
) {
  for p in 0..<count {
    var total: Float = 0
    for c in 0..<width { total += row[c] * rows[Int(indices[p]) * width + c] }
    out[p] = total
  }
}

/// out (=, or += when `accumulate`) Σ_p weights[p] · rows[indices[p]]: a weighted sum of chosen
/// rows of a matrix, 64 columns at a time in registers (the micro-kernel of `sparseTimesDense`).
///
/// Shapes: `out` is (width), `rows` is (any, width) row-major, `indices` and `weights` are
/// (count). With no entries and no `accumulate`, `out` becomes zeros.
/// - Complexity: O(count * width).
public func addWeightedRows(
  _ out: UnsafeMutablePointer<Float>, rows: UnsafePointer<Float>, indices: UnsafePointer<Int32>,
  weights: UnsafePointer<Float>, count: Int, width: Int, accumulate: Bool
) {
  accumulateRow(out, width, indices, weights, count, rows, overwrite: !accumulate)
}

/// Reference twin of `addWeightedRows`: one entry at a time, in order.
public func addWeightedRowsReference(
  _ out: UnsafeMutablePointer<Float>, rows: UnsafePointer<Float>, indices: UnsafePointer<Int32>,
  weights: UnsafePointer<Float>, count: Int, width: Int, accumulate: Bool
) {
  for c in 0..<width {
    var total: Float = accumulate ? out[c] : 0
    for p in 0..<count { total += weights[p] * rows[Int(indices[p]) * width + c] }
    out[c] = total
  }
}

/// row += scale * other, both (width).
/// - Complexity: O(width).
public func addScaledRow(
  _ row: UnsafeMutablePointer<Float>, scale: Float, _ other: UnsafePointer<Float>, width: Int,
  isa: KernelInstructionSet = .active
) {
  sparsity_axpy(isa.rawValue, row, scale, other, Int64(width))
}
