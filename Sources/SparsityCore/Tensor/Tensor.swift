/// A dense, row-major, contiguous tensor of `Float` values.
///
/// Shapes are checked on every operation: a mismatch is a programmer error and stops with a
/// message naming both shapes. Matrices are rank-2 tensors (`rows` x `columns`); a vector is
/// rank 1. Storage is a Swift array, so tensors are values with copy-on-write.
public struct Tensor: Equatable, Sendable {
  /// The extent of each dimension, outermost first.
  public private(set) var shape: [Int]
  /// The elements in row-major order. Mutate them in place freely, but keep
  /// `scalars.count == shape.reduce(1, *)`: changing the count is a programmer error.
  public var scalars: [Float]

  /// A tensor with the given shape and elements (row-major).
  public init(shape: [Int], scalars: [Float]) {
    precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative dimension in shape \(shape)")
    let count = shape.reduce(1, *)
    precondition(
      count == scalars.count, "Tensor: shape \(shape) needs \(count) elements, got \(scalars.count)")
    self.shape = shape
    self.scalars = scalars
  }

  /// A tensor of the given shape filled with `value`.
  public init(repeating value: Float, shape: [Int]) {
    self.init(shape: shape, scalars: Array(repeating: value, count: shape.reduce(1, *)))
  }

  /// A tensor of zeros.
  public init(zeros shape: [Int]) { self.init(repeating: 0, shape: shape) }

  /// A rank-1 tensor holding `values`.
  public init(_ values: [Float]) { self.init(shape: [values.count], scalars: values) }

  /// A matrix from nested rows; all rows must have the same length.
  public init(rows: [[Float]]) {
    let columns = rows.first?.count ?? 0
    precondition(rows.allSatisfy { $0.count == columns }, "Tensor: ragged rows")
    self.init(shape: [rows.count, columns], scalars: rows.flatMap { $0 })
  }

  /// Number of elements.
  @inlinable public var count: Int { scalars.count }
  /// Number of dimensions.
  @inlinable public var rank: Int { shape.count }

  /// Rows of a matrix (rank 2).
  public var rows: Int {
    precondition(rank == 2, "Tensor.rows needs a matrix, shape is \(shape)")
    return shape[0]
  }

  /// Columns of a matrix (rank 2).
  public var columns: Int {
    precondition(rank == 2, "Tensor.columns needs a matrix, shape is \(shape)")
    return shape[1]
  }

  /// The element at a flat row-major index.
  @inlinable public subscript(flat index: Int) -> Float {
    get { scalars[index] }
    set { scalars[index] = newValue }
  }

  /// The element of a matrix at (`row`, `column`).
  public subscript(row: Int, column: Int) -> Float {
    get {
      precondition(rank == 2 && row < shape[0] && column < shape[1], "Tensor: index out of range")
      return scalars[row * shape[1] + column]
    }
    set {
      precondition(rank == 2 && row < shape[0] && column < shape[1], "Tensor: index out of range")
      scalars[row * shape[1] + column] = newValue
    }
  }

  /// The same elements under a new shape with the same element count.
  public func reshaped(_ newShape: [Int]) -> Tensor { Tensor(shape: newShape, scalars: scalars) }

  /// Row `index` of a matrix as a rank-1 tensor.
  public func row(_ index: Int) -> Tensor {
    precondition(index >= 0 && index < rows, "Tensor.row: \(index) out of 0..<\(rows)")
    let start = index * columns
    return Tensor(Array(scalars[start..<(start + columns)]))
  }

  /// Rows `range` of a matrix.
  public func rows(_ range: Range<Int>) -> Tensor {
    precondition(range.lowerBound >= 0 && range.upperBound <= rows, "Tensor.rows: \(range) out of 0..<\(rows)")
    let c = columns
    return Tensor(shape: [range.count, c], scalars: Array(scalars[(range.lowerBound * c)..<(range.upperBound * c)]))
  }

  /// The rows at `indices`, in that order (a gather, used for mini-batches).
  public func gatherRows(_ indices: [Int]) -> Tensor {
    let c = columns
    var out = [Float](repeating: 0, count: indices.count * c)
    for (outRow, source) in indices.enumerated() {
      precondition(source >= 0 && source < rows, "Tensor.gatherRows: \(source) out of 0..<\(rows)")
      for j in 0..<c { out[outRow * c + j] = scalars[source * c + j] }
    }
    return Tensor(shape: [indices.count, c], scalars: out)
  }

  /// Copies the rows of `self` at `indices`, in order, into `out` (indices.count, columns),
  /// reallocating `out` only when its shape differs: the mini-batch gather of a training step.
  public func gatherRows<Indices: Collection<Int>>(_ indices: Indices, into out: inout Tensor) {
    let c = columns
    let r = rows
    if out.shape != [indices.count, c] { out = Tensor(zeros: [indices.count, c]) }
    scalars.withUnsafeBufferPointer { source in
      out.scalars.withUnsafeMutableBufferPointer { target in
        for (outRow, row) in indices.enumerated() {
          precondition(row >= 0 && row < r, "Tensor.gatherRows: \(row) out of 0..<\(r)")
          for j in 0..<c { target[outRow * c + j] = source[row * c + j] }
        }
      }
    }
  }

  /// The transpose of a matrix.
  public func transposed() -> Tensor {
    let (r, c) = (rows, columns)
    var out = [Float](repeating: 0, count: count)
    guard count > 0 else { return Tensor(shape: [c, r], scalars: out) }
    scalars.withUnsafeBufferPointer { src in
      out.withUnsafeMutableBufferPointer { dst in
        transpose(dst.baseAddress!, src.baseAddress!, rows: r, columns: c)
      }
    }
    return Tensor(shape: [c, r], scalars: out)
  }
}

extension Tensor: CustomStringConvertible {
  public var description: String {
    let preview = scalars.prefix(8).map { "\($0)" }.joined(separator: ", ")
    return "Tensor(shape: \(shape), [\(preview)\(count > 8 ? ", ..." : "")])"
  }
}
