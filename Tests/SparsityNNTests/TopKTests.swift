import SparsityCore
import Testing

@testable import SparsityNN

/// TopK by sorting: indices ordered by value descending, then index ascending; keeps k.
private func referenceTopK(_ input: Tensor, k: Int) -> Tensor {
  var out = Tensor(zeros: input.shape)
  for i in 0..<input.rows {
    let order = (0..<input.columns).sorted { a, b in
      input[i, a] != input[i, b] ? input[i, a] > input[i, b] : a < b
    }
    for j in order.prefix(k) { out[i, j] = input[i, j] }
  }
  return out
}

private func runTopK(_ layer: TopK, _ input: Tensor) -> Tensor {
  var output = Tensor(repeating: .nan, shape: input.shape)
  layer.forward(input, into: &output, training: true)
  return output
}

@Suite struct TopKTests {
  @Test(arguments: [1, 3, 32, 63])
  func keepsExactlyKNonzerosPerRow(k: Int) {
    let input = normalMatrix(20, 64, seed: UInt64(k))
    let output = runTopK(TopK(k: k), input)
    for i in 0..<20 {
      #expect(output.row(i).scalars.filter { $0 != 0 }.count == k)
    }
    #expect(output == referenceTopK(input, k: k))
  }

  @Test func matchesSortingReferenceWithManyTies() {
    var generator = Xoshiro256StarStar(seed: 7)
    for (rows, columns, k) in [(1, 1, 1), (3, 5, 2), (9, 17, 4), (8, 100, 10), (2, 33, 32)] {
      // Values from a set of four, so most rows have ties at the k-th value; half are zero.
      let input = Tensor.uniform(shape: [rows, columns], in: 0...4, using: &generator).map {
        max(0, $0.rounded(.down) - 1)
      }
      #expect(runTopK(TopK(k: k), input) == referenceTopK(input, k: k), "\(rows)x\(columns), k \(k)")
    }
  }

  @Test func matchesSortingReferenceOnWideRowsWithSignedZerosAndInfinities() {
    var generator = Xoshiro256StarStar(seed: 13)
    let special: [Float] = [0, -0.0, .infinity, -.infinity, 1, -1, .leastNonzeroMagnitude, -.greatestFiniteMagnitude]
    for (columns, k) in [(1000, 1), (1000, 17), (1000, 500), (1000, 999), (300, 100), (40, 39)] {
      let input = Tensor.normal(shape: [3, columns], using: &generator).map { value in
        // About a third of the entries become one of a few special values (ties included).
        let draw = Int(value.magnitude * 100) % 24
        return draw < special.count ? special[draw] : value * 1000
      }
      #expect(runTopK(TopK(k: k), input) == referenceTopK(input, k: k), "\(columns) features, k \(k)")
    }
    let constant = Tensor(repeating: 0.5, shape: [2, 300])
    #expect(runTopK(TopK(k: 150), constant) == referenceTopK(constant, k: 150))
  }

  @Test func tiesKeepTheFirstByIndexAndKeptZerosPassGradient() {
    let layer = TopK(k: 2)
    let input = Tensor(rows: [[1, 1, 1, 1], [0, -1, 0, -2]])
    var output = Tensor(zeros: [2, 4])
    var inputGradient = Tensor(zeros: [2, 4])
    layer.forward(input, into: &output, training: false)
    #expect(output == Tensor(rows: [[1, 1, 0, 0], [0, 0, 0, 0]]))
    layer.backward(
      input: input, output: output, outputGradient: Tensor(repeating: 1, shape: [2, 4]), inputGradient: &inputGradient,
      needsInputGradient: true)
    #expect(inputGradient == Tensor(rows: [[1, 1, 0, 0], [1, 0, 1, 0]]))
  }

  @Test func kAtLeastFeaturesIsIdentity() {
    let input = normalMatrix(3, 5, seed: 8)
    #expect(runTopK(TopK(k: 5), input) == input)
    #expect(runTopK(TopK(k: 9), input) == input)
  }

  @Test func gradientMatchesFiniteDifferences() {
    // Distinct values 0.1 apart in a seeded order: no ties, and a step of 0.01 never changes
    // which entries are kept.
    var generator = Xoshiro256StarStar(seed: 9)
    let rows = (0..<4).map { _ in generator.permutation(12).map { Float($0) * 0.1 - 0.55 } }
    let errors = GradientCheck.checkLayer(TopK(k: 5), input: Tensor(rows: rows), seed: 10)
    #expect(errors.input < 1e-2)
  }

  @Test func reusesItsMaskAcrossBatchesOfOneShapeAndAdaptsToNewShapes() {
    let layer = TopK(k: 2)
    #expect(runTopK(layer, normalMatrix(4, 6, seed: 11)) == referenceTopK(normalMatrix(4, 6, seed: 11), k: 2))
    #expect(runTopK(layer, normalMatrix(7, 3, seed: 12)) == referenceTopK(normalMatrix(7, 3, seed: 12), k: 2))
    #expect(runTopK(layer, Tensor(zeros: [0, 3])).shape == [0, 3])
  }

  @Test func descriptionAndKind() {
    #expect(TopK(k: 32).description == "TopK(32)" && TopK(k: 1).isActivation)
  }
}
