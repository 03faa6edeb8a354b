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
      for j in range {
        let row = base + j * width
        var rowIndex: Int32 = 0
        var squared: Float = 0
        sparsity_row_dots(isa.rawValue, &squared, row, row, 0, &rowIndex, 1, Int64(width))
        guard squared > 0 else { continue }
        let inverse = 1 / squared.squareRoot()
        for c in 0..<width { row[c] *= inverse }
      }
    }
  }
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
        for j in range {
          var rowIndex: Int32 = 0
          var dot: Float = 0
          sparsity_row_dots(isa.rawValue, &dot, gb + j * width, wb + j * width, 0, &rowIndex, 1, Int64(width))
          sparsity_axpy(isa.rawValue, gb + j * width, -dot, wb + j * width, Int64(width))
        }
      }
    }
  }
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
        for j in range where scales[j] != 0 { sparsity_axpy(isa.rawValue, mb + j * width, scales[j], xb, Int64(width)) }
      }
    }
  }
}
