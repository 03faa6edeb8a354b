import Foundation
import Testing

@testable import SparsityCore

/// Every instruction-set path of the C micro-kernels against a Double reference, on lengths
/// around the vector widths (4, 8, 16 lanes) and the register blockings (4 and 8 rows a pass,
/// 32 and 64 columns), on every path this CPU can run.
///
/// Tolerance: a float sum of m products, each rounded once (FMA) or twice, differs from the exact
/// sum by at most about (m + 1) * eps * sum |a_i b_i| (Higham, Accuracy and Stability of
/// Numerical Algorithms, 2002, section 3.1), whatever the order of the additions; that bound,
/// with eps = 2^-24, is what each output is checked against.
@Suite struct InstructionSetTests {
  static let lengths = [0, 1, 3, 7, 8, 15, 16, 17, 31, 33, 64, 100]

  @Test func detectedPathIsSupportedAndNamed() {
    #expect(KernelInstructionSet.supported.contains(.baseline))
    #expect(KernelInstructionSet.supported.last == KernelInstructionSet.detected)
    // SPARSITY_ISA (CI runs the suite on each lower path too) picks the active path.
    if let text = ProcessInfo.processInfo.environment["SPARSITY_ISA"], let named = KernelInstructionSet.named(text) {
      #expect(KernelInstructionSet.active == named)
    } else {
      #expect(KernelInstructionSet.active == KernelInstructionSet.detected)
    }
    #expect(KernelInstructionSet.named("avx3") == nil)
    for path in KernelInstructionSet.allCases { #expect(KernelInstructionSet.named(path.name) == path) }
    for path in KernelInstructionSet.allCases { #expect(!path.description.isEmpty) }
  }

  @Test(arguments: KernelInstructionSet.supported)
  func axpyMatchesReference(isa: KernelInstructionSet) {
    var generator = Xoshiro256StarStar(seed: 1)
    for n in Self.lengths {
      let x = randomValues(n, &generator)
      let start = randomValues(n, &generator)
      let a = Float(1.5)
      var y = start
      axpy(&y, a, x, n, isa: isa)
      for j in 0..<n {
        let exact = Double(start[j]) + Double(a) * Double(x[j])
        expectClose(
          y[j], exact, terms: 1, scale: abs(Double(start[j])) + abs(Double(a * x[j])), "\(isa) n \(n) at \(j)")
      }
    }
  }

  @Test(arguments: KernelInstructionSet.supported)
  func axpyRowsMatchesReference(isa: KernelInstructionSet) {
    var generator = Xoshiro256StarStar(seed: 2)
    let rowCount = 21
    for n in Self.lengths {
      for count in [0, 1, 3, 4, 5, 8, 9, 12, 19] {
        let b = randomValues(rowCount * n, &generator)
        let a = randomValues(count, &generator)
        let rows = (0..<count).map { Int32(($0 * 7 + 3) % rowCount) }
        let start = randomValues(n, &generator)
        var y = start
        axpyRows(&y, n, a, b, n, rows, count, isa: isa)
        for j in 0..<n {
          var exact = Double(start[j])
          var scale = abs(Double(start[j]))
          for r in 0..<count {
            let term = Double(a[r]) * Double(b[Int(rows[r]) * n + j])
            exact += term
            scale += abs(term)
          }
          expectClose(y[j], exact, terms: count + 1, scale: scale, "\(isa) n \(n) rows \(count) at \(j)")
        }
      }
    }
  }

  @Test(arguments: KernelInstructionSet.supported)
  func accumulate64MatchesReference(isa: KernelInstructionSet) {
    var generator = Xoshiro256StarStar(seed: 3)
    let (ldb, bRows) = (80, 40)
    let b = randomValues(bRows * ldb, &generator)
    for columns in [1, 2, 4] {
      for count in [0, 1, 2, 3, 8, 9] {
        for overwrite in [true, false] {
          let indices = (0..<count).map { Int32(($0 * 5 + 1) % (bRows / columns)) }
          let values = randomValues(count * columns, &generator)
          let start = randomValues(64, &generator)
          var out = start
          accumulate64OnPath(isa, &out, indices, values, count, columns, b, ldb, overwrite)
          for c in 0..<64 {
            var exact = overwrite ? 0 : Double(start[c])
            var scale = abs(exact)
            for p in 0..<count {
              for jj in 0..<columns {
                let term = Double(values[p * columns + jj]) * Double(b[(Int(indices[p]) * columns + jj) * ldb + c])
                exact += term
                scale += abs(term)
              }
            }
            expectClose(
              out[c], exact, terms: count * columns + 1, scale: scale,
              "\(isa) columns \(columns) count \(count) at \(c)")
          }
        }
      }
    }
  }

  @Test(arguments: KernelInstructionSet.supported)
  func sparseDotMatchesReference(isa: KernelInstructionSet) {
    var generator = Xoshiro256StarStar(seed: 4)
    let x = randomValues(50, &generator)
    for count in Self.lengths + [47, 48, 49] {
      let indices = (0..<count).map { Int32(($0 * 13 + 2) % 50) }
      let values = randomValues(count, &generator)
      let dot = sparseDot(indices, values, count, x, isa: isa)
      var exact = 0.0
      var scale = 0.0
      for p in 0..<count {
        exact += Double(values[p]) * Double(x[Int(indices[p])])
        scale += abs(Double(values[p]) * Double(x[Int(indices[p])]))
      }
      expectClose(dot, exact, terms: count, scale: scale, "\(isa) count \(count)")
    }
  }

  @Test(arguments: KernelInstructionSet.supported)
  func accumulateLanesMatchesReferenceAndStopsAtTheLimit(isa: KernelInstructionSet) {
    var generator = Xoshiro256StarStar(seed: 5)
    let outputs = 40
    for count in [0, 1, 3, 4, 5, 11] {
      let rows = (0..<count).map { Int32($0 * 3) }
      let values = randomValues(count, &generator)
      let xj = randomValues(16, &generator)
      let start = randomValues(outputs * 16, &generator)
      let limit = Int32(count * 3 / 2)  // stops about half way
      var yt = start
      let offsets = [0, count]
      let stopped = offsets.withUnsafeBufferPointer { o in
        rows.withUnsafeBufferPointer { r in
          values.withUnsafeBufferPointer { v in
            let columns = SparseColumns(offsets: o.baseAddress!, rows: r.baseAddress!, values: v.baseAddress!)
            return columns.accumulateColumn(&yt, xj, from: 0, to: count, below: limit, isa: isa)
          }
        }
      }
      let expectedStop = rows.firstIndex { $0 >= limit } ?? count
      #expect(stopped == expectedStop, "\(isa) count \(count)")
      for p in 0..<expectedStop {
        for lane in 0..<16 {
          let index = Int(rows[p]) * 16 + lane
          let exact = Double(start[index]) + Double(values[p]) * Double(xj[lane])
          expectClose(
            yt[index], exact, terms: 1, scale: abs(Double(start[index])) + abs(exact), "\(isa) row \(rows[p])")
        }
      }
      for p in expectedStop..<count {
        #expect(
          Array(yt[Int(rows[p]) * 16..<Int(rows[p]) * 16 + 16])
            == Array(start[Int(rows[p]) * 16..<Int(rows[p]) * 16 + 16]))
      }
    }
  }

  @Test(arguments: KernelInstructionSet.supported)
  func transposeIsExactOnEveryPath(isa: KernelInstructionSet) {
    for (rows, columns) in [(16, 16), (17, 33), (48, 32), (5, 70)] {
      let input = randomMatrix(rows, columns, zeroFraction: 0.2, seed: UInt64(rows * columns))
      var fast = [Float](repeating: .nan, count: rows * columns)
      var reference = fast
      input.scalars.withUnsafeBufferPointer { x in
        transpose(&fast, x.baseAddress!, rows: rows, columns: columns, isa: isa)
        transposeReference(&reference, x.baseAddress!, rows: rows, columns: columns)
      }
      #expect(fast == reference, "\(isa) \(rows) x \(columns)")
    }
  }
}

/// Uniform values in [-1, 1).
private func randomValues(_ count: Int, _ generator: inout Xoshiro256StarStar) -> [Float] {
  (0..<count).map { _ in Float.random(in: -1..<1, using: &generator) }
}

/// |value - exact| <= (terms + 1) * 2^-24 * scale, the bound of a float sum of `terms` products.
private func expectClose(_ value: Float, _ exact: Double, terms: Int, scale: Double, _ message: String) {
  let bound = Double(terms + 1) * 0x1p-24 * scale + Double(Float.leastNormalMagnitude)
  #expect(abs(Double(value) - exact) <= bound, "\(message): \(value) against \(exact), bound \(bound)")
}

/// `sparsity_accumulate64` with the blocked form (`columns` values per entry) on path `isa`.
private func accumulate64OnPath(
  _ isa: KernelInstructionSet, _ out: inout [Float], _ indices: [Int32], _ values: [Float], _ count: Int,
  _ columns: Int,
  _ b: [Float], _ ldb: Int, _ overwrite: Bool
) {
  if columns == 1 {
    accumulate64(&out, indices, values, count, b, ldb, overwrite: overwrite, isa: isa)
  } else {
    accumulateBlocks64(&out, indices, values, count, columns: columns, b, ldb, overwrite: overwrite, isa: isa)
  }
}
