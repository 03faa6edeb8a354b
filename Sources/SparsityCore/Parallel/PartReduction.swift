// Sums over a batch cut into parts, with bits that do not depend on which process computed
// which part: the parts' vectors are added in part order. One process holding every part is
// `LocalPartReduction`; several MPI ranks are SparsityMPI's `Communicator`.

/// How a batch (or any count of things) is cut into parts: part p of `count` things in `parts`
/// contiguous parts is ⌊p·count/P⌋ ..< ⌊(p+1)·count/P⌋. The same rule deals parts to processes.
public enum BatchParts {
  public static func range(_ part: Int, of parts: Int, count: Int) -> Range<Int> {
    (part * count / parts)..<((part + 1) * count / parts)
  }
}

/// How the parts of a batch are added up when training is spread over processes: each process
/// computes some of the batch's `parts` parts (`localParts(total:)`, contiguous, in process
/// order), and the sums of every part's vectors reach every process, added in part order:
///
///     total[e] = ((part₀[e] + part₁[e]) + part₂[e]) + … + part_{P−1}[e]
///
/// in Double (for Float vectors rounded once at the end). The result is a function of the parts
/// alone, so the same parts give the same bits whatever the number of processes.
public protocol PartReduction {
  /// The parts this process computes when a batch has `total` parts.
  func localParts(total: Int) -> Range<Int>
  /// The sum over all `parts` parts of their vectors of `count` values, in part order; `local`
  /// holds this process's parts' vectors back to back.
  func orderedSum(_ local: [Double], count: Int, parts: Int) throws -> [Double]
  /// As for Double, into `result` (`count` values): added in Double in part order, rounded to
  /// Float once. `local` holds this process's parts' vectors back to back.
  func orderedSum(
    _ local: UnsafeBufferPointer<Float>, count: Int, parts: Int, into result: UnsafeMutableBufferPointer<Float>
  ) throws
  /// The elementwise sum over the processes of integer counts (exact: any order).
  func sum(_ values: inout [Int64]) throws
  /// Every part's vector (lengths may differ), in part order; `local` holds this process's.
  func gatherParts(_ local: [[Float]], parts: Int) throws -> [[Float]]
  /// True for the one process that writes files and prints progress.
  var isLeader: Bool { get }
}

/// Every part in this process: the reduction of a single-process run, and the reference that
/// runs over several processes must equal bit for bit.
public struct LocalPartReduction: PartReduction, Sendable {
  public init() {}

  public func localParts(total: Int) -> Range<Int> { 0..<total }

  public func orderedSum(_ local: [Double], count: Int, parts: Int) throws -> [Double] {
    precondition(local.count == count * parts, "LocalPartReduction: \(local.count) values for \(parts) x \(count)")
    return Self.fold(local, count: count, parts: parts)
  }

  public func orderedSum(
    _ local: UnsafeBufferPointer<Float>, count: Int, parts: Int, into result: UnsafeMutableBufferPointer<Float>
  ) throws {
    precondition(
      local.count == count * parts && result.count == count,
      "LocalPartReduction: \(local.count) values for \(parts) x \(count) into \(result.count)")
    Self.fold(local.baseAddress!, count: count, parts: parts, into: result.baseAddress!)
  }

  public func sum(_ values: inout [Int64]) throws {}

  public func gatherParts(_ local: [[Float]], parts: Int) throws -> [[Float]] {
    precondition(local.count == parts, "LocalPartReduction: \(local.count) vectors for \(parts) parts")
    return local
  }

  public var isLeader: Bool { true }

  /// result[e] = Float(((0 + v₀[e]) + v₁[e]) + … in Double): the fold of Float vectors, spread
  /// over the cores by element (each element's additions stay in part order).
  public static func fold(
    _ vectors: UnsafePointer<Float>, count: Int, parts: Int, into result: UnsafeMutablePointer<Float>
  ) {
    Parallel.forEachChunk(of: count, minimumChunk: 1 << 14) { range in
      for e in range {
        var sum = 0.0
        for p in 0..<parts { sum += Double(vectors[p * count + e]) }
        result[e] = Float(sum)
      }
    }
  }

  /// sums[e] = ((0 + v₀[e]) + v₁[e]) + … in Double: the fold every `PartReduction` performs.
  public static func fold<T: BinaryFloatingPoint>(_ vectors: [T], count: Int, parts: Int) -> [Double] {
    var sums = [Double](repeating: 0, count: count)
    vectors.withUnsafeBufferPointer { v in
      for p in 0..<parts {
        let base = p * count
        for e in 0..<count { sums[e] += Double(v[base + e]) }
      }
    }
    return sums
  }
}

extension PartReduction {
  /// `orderedSum(_:count:parts:into:)` of arrays, returning the sum.
  public func orderedSum(_ local: [Float], count: Int, parts: Int) throws -> [Float] {
    var result = [Float](repeating: 0, count: count)
    try local.withUnsafeBufferPointer { local in
      try result.withUnsafeMutableBufferPointer { try orderedSum(local, count: count, parts: parts, into: $0) }
    }
    return result
  }
}
