import SparsityTestSupport
import Testing

@testable import SparsityCore

/// The sparse-code kernels of sparse autoencoders against their twins: selections against
/// the dense top-k and comparisons, products against dense loops.
@Suite struct SparseCodeKernelsTests {
  /// (rows, columns, k): empty, k = columns, k > columns, wide rows.
  static let cases: [(Int, Int, Int)] = [
    (0, 8, 3), (4, 0, 3), (1, 1, 1), (3, 5, 5), (3, 5, 9), (5, 17, 16), (9, 33, 1), (20, 64, 32), (70, 300, 17),
    (3, 3072, 32),
  ]

  /// The codes as a dense matrix.
  private static func dense(_ codes: SparseCodes) -> Tensor {
    var out = Tensor(zeros: [codes.rows, codes.columns])
    for i in 0..<codes.rows {
      var previous = -1
      for p in codes.offsets[i]..<codes.offsets[i + 1] {
        let j = Int(codes.indices[p])
        #expect(j > previous, "columns ascending within a row")
        previous = j
        out[i, j] = codes.values[p]
      }
    }
    return out
  }

  @Test(arguments: cases)
  func topKCodesAreTheDenseTopKThenReLU(rows: Int, columns: Int, k: Int) {
    let pre = randomMatrix(rows, columns, zeroFraction: 0.2, seed: UInt64(rows * 31 + columns + k))
    var codes = SparseCodes(columns: columns)
    pre.scalars.withUnsafeBufferPointer {
      selectTopKCodes($0.baseAddress!, rows: rows, columns: columns, k: k, into: &codes)
    }
    var expected = Tensor(zeros: pre.shape)
    var mask = [Float](repeating: 0, count: pre.count)
    if rows > 0 && columns > 0 { selectTopKReference(of: pre, k: k, into: &expected, mask: &mask) }
    expected.scalars = expected.scalars.map { Swift.max($0, 0) }
    #expect(Self.dense(codes) == expected)
    #expect(codes.nonzeroCount == expected.scalars.filter { $0 > 0 }.count)
  }

  @Test(arguments: cases)
  func topKCodesMatchTheSortingTwinWithBiasAndTies(rows: Int, columns: Int, k: Int) {
    // Few distinct values: ties straddle the k-th place; ascending rows make every value a candidate.
    var generator = Xoshiro256StarStar(seed: UInt64(columns + k))
    let levels: [Float] = [-1, 0, 0.25, 0.5, 2]
    let ties = (0..<(rows * columns)).map { _ in levels[Int(generator.next() % 5)] }
    let ascending = (0..<(rows * columns)).map { Float($0 % Swift.max(1, columns)) - 3 }
    let bias = (0..<columns).map { _ in generator.normal() * 0.1 }
    for (values, withBias) in [(ties, false), (ascending, false), (ascending, true), (ties, true)] {
      var (fast, twin) = (SparseCodes(columns: columns), SparseCodes(columns: columns))
      values.withUnsafeBufferPointer { x in
        bias.withUnsafeBufferPointer { b in
          let bias = withBias ? b.baseAddress : nil
          selectTopKCodes(x.baseAddress!, rows: rows, columns: columns, k: k, bias: bias, into: &fast)
          selectTopKCodesReference(x.baseAddress!, rows: rows, columns: columns, k: k, bias: bias, into: &twin)
        }
      }
      #expect(fast.matrix == twin.matrix, "bias \(withBias)")
    }
  }

  /// Values and thresholds on a grid of quarters, so many entries tie with their threshold
  /// exactly; widths around the sixteen-lane step.
  @Test(arguments: [(5, 0), (3, 1), (7, 15), (4, 16), (6, 17), (13, 40), (9, 300)])
  func thresholdSelectionsMatchTheirTwins(rows: Int, columns: Int) {
    let pre =
      randomMatrix(rows, columns, zeroFraction: 0.1, seed: UInt64(columns + 1)).scalars.map {
        ($0 * 4).rounded() / 4
      } + [0]  // never read: a base address for the empty shapes
    let thresholds = (0..<columns).map { Float($0 % 7) * 0.25 - 0.5 } + [0]
    pre.withUnsafeBufferPointer { x in
      thresholds.withUnsafeBufferPointer { t in
        let (x, t) = (x.baseAddress!, t.baseAddress!)
        for perColumn in [false, true] {
          var (fast, twin) = (SparseCodes(columns: columns), SparseCodes(columns: columns))
          selectCodes(x, rows: rows, columns: columns, above: perColumn ? t : nil, threshold: 0.25, into: &fast)
          selectCodesReference(
            x, rows: rows, columns: columns, above: perColumn ? t : nil, threshold: 0.25, into: &twin)
          #expect(fast.matrix == twin.matrix, "above, per column \(perColumn)")
        }
        var (fast, twin) = (SparseCodes(columns: columns), SparseCodes(columns: columns))
        selectNearThresholds(x, rows: rows, columns: columns, thresholds: t, halfWidth: 0.25, into: &fast)
        selectNearThresholdsReference(x, rows: rows, columns: columns, thresholds: t, halfWidth: 0.25, into: &twin)
        #expect(fast.matrix == twin.matrix, "near")
        #expect(columns < 40 || twin.nonzeroCount > 0, "the near window caught nothing")
      }
    }
  }

  @Test func thresholdCodesKeepWhatIsAboveEachColumnsThreshold() {
    let pre = randomMatrix(13, 40, zeroFraction: 0, seed: 3)
    let thresholds = (0..<40).map { Float($0 % 5) * 0.3 - 0.3 }  // one negative: treated as 0
    var codes = SparseCodes(columns: 40)
    pre.scalars.withUnsafeBufferPointer { x in
      thresholds.withUnsafeBufferPointer { t in
        selectCodes(x.baseAddress!, rows: 13, columns: 40, above: t.baseAddress!, into: &codes)
      }
    }
    var expected = Tensor(zeros: pre.shape)
    for i in 0..<13 { for j in 0..<40 where pre[i, j] > Swift.max(thresholds[j], 0) { expected[i, j] = pre[i, j] } }
    #expect(Self.dense(codes) == expected)
  }

  @Test func nearThresholdEntriesAreTheWindow() {
    let pre = randomMatrix(9, 20, zeroFraction: 0, seed: 4)
    let thresholds = [Float](repeating: 0.2, count: 20)
    var codes = SparseCodes(columns: 20)
    pre.scalars.withUnsafeBufferPointer { x in
      thresholds.withUnsafeBufferPointer { t in
        selectNearThresholds(
          x.baseAddress!, rows: 9, columns: 20, thresholds: t.baseAddress!, halfWidth: 0.5, into: &codes)
      }
    }
    #expect(codes.nonzeroCount == pre.scalars.filter { abs($0 - 0.2) < 0.5 }.count)
    #expect(codes.values.prefix(codes.nonzeroCount).allSatisfy { abs($0 - 0.2) < 0.5 })
  }

  @Test(arguments: [(10, 50, 3), (64, 300, 8), (3, 7, 10), (1, 5, 1)])
  func batchTopKKeepsTheLargestOfTheWholeBatch(rows: Int, columns: Int, k: Int) {
    let pre = randomMatrix(rows, columns, zeroFraction: 0, seed: UInt64(rows + k))
    var codes = SparseCodes(columns: columns)
    let smallest = pre.scalars.withUnsafeBufferPointer {
      selectBatchTopKCodes($0.baseAddress!, rows: rows, columns: columns, k: k, into: &codes)
    }
    let positive = pre.scalars.filter { $0 > 0 }.sorted(by: >)
    let kept = Swift.min(k * rows, positive.count)
    #expect(codes.nonzeroCount == kept)
    #expect(smallest == (kept > 0 ? positive[kept - 1] : 0))
    #expect(codes.values.prefix(codes.nonzeroCount).allSatisfy { $0 >= smallest })
  }

  @Test(arguments: [(0, 5, 4), (1, 1, 1), (7, 30, 17), (40, 300, 64), (33, 1000, 385)])
  func productsMatchDenseLoops(rows: Int, latents: Int, width: Int) {
    let pre = randomMatrix(rows, latents, zeroFraction: 0, seed: UInt64(rows + latents + width))
    var codes = SparseCodes(columns: latents)
    pre.scalars.withUnsafeBufferPointer {
      selectTopKCodes($0.baseAddress!, rows: rows, columns: latents, k: 5, into: &codes)
    }
    let z = Self.dense(codes)
    let a = randomMatrix(rows, width, zeroFraction: 0, seed: 9)
    let w = randomMatrix(latents, width, zeroFraction: 0, seed: 10)
    // Sampled products against the twin and the dense product at the pattern.
    var fast = [Float](repeating: .nan, count: Swift.max(1, codes.nonzeroCount))
    var twin = fast
    a.scalars.withUnsafeBufferPointer { a in
      w.scalars.withUnsafeBufferPointer { w in
        sampledRowProducts(&fast, codes: codes, a.baseAddress!, w.baseAddress!, width: width)
        sampledRowProductsReference(&twin, codes: codes, a.baseAddress!, w.baseAddress!, width: width)
      }
    }
    let full = naiveLinear(a, w)
    for i in 0..<rows {
      for p in codes.offsets[i]..<codes.offsets[i + 1] {
        let exact = full[i, Int(codes.indices[p])]
        #expect(abs(fast[p] - exact) <= 1e-5 * Float(width).squareRoot() * Swift.max(1, abs(exact)))
        #expect(abs(twin[p] - exact) <= 1e-5 * Float(width).squareRoot() * Swift.max(1, abs(exact)))
      }
    }
    // Decoding: z W, and the transposed product zᵀ a accumulated onto a start value.
    var decoded = Tensor(repeating: .nan, shape: [rows, width])
    decoded.scalars.withUnsafeMutableBufferPointer { out in
      w.scalars.withUnsafeBufferPointer {
        codesTimesDense(out.baseAddress!, codes: codes, $0.baseAddress!, width: width)
      }
    }
    #expect(relativeError(decoded, naiveLinear(z, w.transposed())) < 1e-5)
    var transposed = SparseCodes(columns: 0)
    codes.transposed(into: &transposed)
    #expect(Self.dense(transposed) == z.transposed())
    var gradient = Tensor(repeating: 1, shape: [latents, width])
    gradient.scalars.withUnsafeMutableBufferPointer { out in
      a.scalars.withUnsafeBufferPointer {
        codesTimesDense(out.baseAddress!, codes: transposed, $0.baseAddress!, width: width, accumulate: true)
      }
    }
    let expected = naiveLinear(z.transposed(), a.transposed()).scalars.map { $0 + 1 }
    #expect(relativeError(gradient, Tensor(shape: [latents, width], scalars: expected)) < 1e-5)
    // Other values with the same pattern follow the entries to latent-major order.
    let doubled = codes.values.prefix(codes.nonzeroCount).map { 2 * $0 }
    transposed.gatherTransposed(Array(doubled))
    #expect(Self.dense(transposed) == Tensor(shape: [latents, rows], scalars: z.transposed().scalars.map { 2 * $0 }))
  }

  @Test func renamedColumnsNameTheSubsetsPlaceAmongAll() {
    var codes = SparseCodes(rows: 2, columns: 3, offsets: [0, 2, 3], indices: [0, 2, 1], values: [1, 2, 3])
    codes.renameColumns([4, 7, 9], columns: 10)
    #expect(codes.columns == 10)
    #expect(Array(codes.indices.prefix(3)) == [4, 9, 7])
  }
}
