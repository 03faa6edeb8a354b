// Element-wise loops of the training step: clearing, copying and scaling buffers, the bias add
// and the bias gradient. Layers and optimizers call these on their arrays and tensors; the raw
// pointers stay in here.

/// Sets every value to zero in place, without reallocating: x[i] = 0.
/// - Complexity: O(n).
public func setToZero(_ values: inout [Float]) {
  values.withUnsafeMutableBufferPointer { x in x.update(repeating: 0) }
}

/// Reference twin of `setToZero`: one element at a time.
public func setToZeroReference(_ values: inout [Float]) {
  for i in values.indices { values[i] = 0 }
}

/// Copies `source` into `target` of the same length, in place: target[i] = source[i].
/// - Complexity: O(n), no allocation.
public func copyValues(_ source: [Float], into target: inout [Float]) {
  precondition(source.count == target.count, "copyValues: \(source.count) values into \(target.count)")
  target.withUnsafeMutableBufferPointer { to in
    source.withUnsafeBufferPointer { from in _ = to.update(fromContentsOf: from) }
  }
}

/// Reference twin of `copyValues`: one element at a time.
public func copyValuesReference(_ source: [Float], into target: inout [Float]) {
  precondition(source.count == target.count, "copyValues: \(source.count) values into \(target.count)")
  for i in target.indices { target[i] = source[i] }
}

/// Multiplies every value by `factor` in place: x[i] = x[i] * factor.
/// - Complexity: O(n), no allocation.
public func scaleValues(_ values: inout [Float], by factor: Float) {
  values.withUnsafeMutableBufferPointer { x in
    for i in x.indices { x[i] *= factor }
  }
}

/// Reference twin of `scaleValues`: the same product, indexing the array.
public func scaleValuesReference(_ values: inout [Float], by factor: Float) {
  for i in values.indices { values[i] = values[i] * factor }
}

/// Adds a row vector to every row of a matrix in place: the bias add of a linear layer.
///
///     y[i, j] += b[j]
///
/// Shapes: `matrix` is (rows, columns), `vector` is (columns).
/// - Complexity: O(rows * columns), no allocation.
public func addRowVector(_ vector: [Float], to matrix: inout Tensor) {
  let (rows, columns) = (matrix.rows, matrix.columns)
  precondition(vector.count == columns, "addRowVector: \(vector.count) values for \(columns) columns")
  guard rows > 0, columns > 0 else { return }
  vector.withUnsafeBufferPointer { bs in
    matrix.scalars.withUnsafeMutableBufferPointer { ys in
      let (b, y) = (bs.baseAddress!, ys.baseAddress!)
      for i in 0..<rows {
        let row = y + i * columns
        for j in 0..<columns { row[j] += b[j] }
      }
    }
  }
}

/// Reference twin of `addRowVector`: the same sums, indexing the tensor.
public func addRowVectorReference(_ vector: [Float], to matrix: inout Tensor) {
  precondition(vector.count == matrix.columns, "addRowVector: \(vector.count) values for \(matrix.columns) columns")
  for i in 0..<matrix.rows {
    for j in 0..<matrix.columns { matrix[i, j] += vector[j] }
  }
}

/// Adds the column sums of a matrix to `sums`: the bias gradient of a linear layer.
///
///     s[j] += sum over i of g[i, j]        (row by row, so s[j] sees g[0, j], g[1, j], ... in order)
///
/// Shapes: `matrix` is (rows, columns), `sums` is (columns). The inner loop runs along a row,
/// over contiguous memory, and vectorizes.
/// - Complexity: O(rows * columns), no allocation.
public func accumulateColumnSums(of matrix: Tensor, into sums: inout [Float]) {
  let (rows, columns) = (matrix.rows, matrix.columns)
  precondition(sums.count == columns, "accumulateColumnSums: \(sums.count) sums for \(columns) columns")
  guard rows > 0, columns > 0 else { return }
  matrix.scalars.withUnsafeBufferPointer { gs in
    sums.withUnsafeMutableBufferPointer { ss in
      let (g, s) = (gs.baseAddress!, ss.baseAddress!)
      for i in 0..<rows {
        let row = g + i * columns
        for j in 0..<columns { s[j] += row[j] }
      }
    }
  }
}

/// Reference twin of `accumulateColumnSums`: the same sums in the same order, indexing the tensor.
public func accumulateColumnSumsReference(of matrix: Tensor, into sums: inout [Float]) {
  precondition(sums.count == matrix.columns, "accumulateColumnSums: \(sums.count) sums for \(matrix.columns) columns")
  for i in 0..<matrix.rows {
    for j in 0..<matrix.columns { sums[j] += matrix[i, j] }
  }
}

/// ReLU forward, y[i] = x[i] > 0 ? x[i] : 0 (so -0 and NaN give 0, as `ReLU` always did),
/// split over the cores for long arrays, each piece one vectorized loop.
/// - Complexity: O(n).
public func rectify(_ x: [Float], into y: inout [Float]) {
  precondition(x.count == y.count, "rectify: \(x.count) inputs, \(y.count) outputs")
  x.withUnsafeBufferPointer { source in
    y.withUnsafeMutableBufferPointer { target in
      guard let from = source.baseAddress, let to = target.baseAddress else { return }
      Parallel.forEachChunk(of: source.count, minimumChunk: 1 << 16) { range in
        // Explicit vectors: the compiler cannot rule out overlap here and would not vectorize.
        var i = range.lowerBound
        while i + 16 <= range.upperBound {
          let v = UnsafeRawPointer(from + i).loadUnaligned(as: SIMD16<Float>.self)
          UnsafeMutableRawPointer(to + i).storeBytes(
            of: v.replacing(with: 0, where: .!(v .> 0)), as: SIMD16<Float>.self)
          i += 16
        }
        while i < range.upperBound {
          to[i] = from[i] > 0 ? from[i] : 0
          i += 1
        }
      }
    }
  }
}

/// ReLU backward, g[i] = gy[i] where y[i] > 0, else 0; split over the cores like `rectify`.
/// - Complexity: O(n).
public func passWhereActive(_ gradient: [Float], active y: [Float], into result: inout [Float]) {
  precondition(gradient.count == y.count && y.count == result.count, "passWhereActive: lengths differ")
  gradient.withUnsafeBufferPointer { g in
    y.withUnsafeBufferPointer { a in
      result.withUnsafeMutableBufferPointer { r in
        guard let gp = g.baseAddress, let ap = a.baseAddress, let rp = r.baseAddress else { return }
        Parallel.forEachChunk(of: r.count, minimumChunk: 1 << 16) { range in
          var i = range.lowerBound
          while i + 16 <= range.upperBound {
            let active = UnsafeRawPointer(ap + i).loadUnaligned(as: SIMD16<Float>.self) .> 0
            let value = UnsafeRawPointer(gp + i).loadUnaligned(as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(rp + i).storeBytes(
              of: value.replacing(with: 0, where: .!active), as: SIMD16<Float>.self)
            i += 16
          }
          while i < range.upperBound {
            rp[i] = ap[i] > 0 ? gp[i] : 0
            i += 1
          }
        }
      }
    }
  }
}
