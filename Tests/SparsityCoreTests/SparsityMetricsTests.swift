import Foundation
import Testing

@testable import SparsityCore

/// A naive twin of the Gini index: sort every magnitude, zeros included, and apply
/// Hurley & Rickard's formula term by term.
private func referenceGini(_ values: [Float]) -> Double {
  let c = values.map { Double(Swift.abs($0)) }.sorted()
  let n = Double(c.count)
  let l1 = c.reduce(0, +)
  guard l1 > 0 else { return 0 }
  var total = 0.0
  for (i, ck) in c.enumerated() { total += (ck / l1) * ((n - Double(i + 1) + 0.5) / n) }
  return 1 - 2 * total
}

@Suite struct SparsityMetricsTests {
  /// The seed's ReLU output; expected Hoyer and Gini from numpy on the float32 values.
  @Test func reluExampleMatchesReferenceValues() {
    let values: [Float] = [0, 3.2, 0, 5.1, 0, 0.7, 0, 0]
    let report = SparsityMeasures(values)
    #expect(report.count == 8)
    #expect(report.zeros == 5)
    #expect(report.active == 3)
    #expect(report.sparsity == 0.625)
    #expect(report.density == 0.375)
    #expect(report.nearZeros == 5 && report.nearZeroSparsity == 0.625)
    #expect(report.nonFiniteCount == 0)
    #expect(Swift.abs(report.l1 - 9.0) < 1e-6)
    let squares = [3.2, 5.1, 0.7].map { Double(Float($0)) * Double(Float($0)) }
    #expect(Swift.abs(report.l2 - squares.reduce(0, +).squareRoot()) < 1e-12)
    #expect(Swift.abs(report.l2 - (3.2 * 3.2 + 5.1 * 5.1 + 0.7 * 0.7).squareRoot()) < 1e-6)
    #expect(Swift.abs(report.hoyer - 0.7348447717648557) < 1e-12)
    #expect(Swift.abs(report.gini - 0.7472222207137096) < 1e-12)
  }

  @Test func signedValuesUseMagnitudes() {
    let report = SparsityMeasures([1, -2, 3, -4, 0.5])
    #expect(report.zeros == 0 && report.active == 5)
    #expect(report.l1 == 10.5 && report.l2 == 5.5)
    #expect(Swift.abs(report.hoyer - 0.2645300051136842) < 1e-12)
    #expect(Swift.abs(report.gini - 0.34285714285714297) < 1e-12)
    #expect(report == SparsityMeasures([-1, 2, -3, 4, -0.5]))
  }

  @Test(arguments: [2, 3, 8, 100])
  func oneHotIsMaximallySparse(n: Int) {
    var values = [Float](repeating: 0, count: n)
    values[n / 2] = -7
    let report = SparsityMeasures(values)
    #expect(Swift.abs(report.hoyer - 1) < 1e-12)
    #expect(Swift.abs(report.gini - Double(n - 1) / Double(n)) < 1e-12)
    #expect(report.active == 1 && report.zeros == n - 1)
  }

  @Test(arguments: [[Float](repeating: 2, count: 3), [-0.5, 0.5, -0.5, 0.5], [Float](repeating: 1e-3, count: 1000)])
  func equalMagnitudesAreNotSparse(values: [Float]) {
    let report = SparsityMeasures(values)
    #expect(Swift.abs(report.hoyer) < 1e-9)
    #expect(Swift.abs(report.gini) < 1e-9)
    #expect(report.sparsity == 0)
  }

  @Test func degenerateInputsFollowTheDocumentedConventions() {
    let allZero = SparsityMeasures([0, -0, 0, 0])
    #expect(allZero.zeros == 4 && allZero.sparsity == 1 && allZero.active == 0)
    #expect(allZero.hoyer == 0 && allZero.gini == 0 && allZero.l1 == 0 && allZero.l2 == 0)
    let empty = SparsityMeasures([Float]())
    #expect(empty.count == 0 && empty.sparsity == 0 && empty.nearZeroSparsity == 0 && empty.density == 0)
    #expect(empty.hoyer == 0 && empty.gini == 0)
    let single = SparsityMeasures([3])
    #expect(single.hoyer == 0 && single.gini == 0 && single.l1 == 3 && single.l2 == 3)
  }

  @Test func nearZeroCountsMagnitudesUpToEpsilon() {
    let values: [Float] = [0, 1e-7, -1e-7, 1e-6, -2e-6, 0.5]
    let report = SparsityMeasures(values, epsilon: 1e-6)
    #expect(report.zeros == 1)
    #expect(report.nearZeros == 4)
    #expect(report.epsilon == 1e-6)
    #expect(SparsityMeasures(values, epsilon: 0).nearZeros == 1)
    #expect(SparsityMeasures(values, epsilon: 1).nearZeros == 6)
  }

  @Test func nonFiniteValuesAreCountedAndLeftOutOfTheNorms() {
    let report = SparsityMeasures([0, .nan, 1, .infinity, -2])
    #expect(report.count == 5 && report.nonFiniteCount == 2)
    #expect(report.zeros == 1 && report.active == 4 && report.nearZeros == 1)
    #expect(report.l1 == 3 && report.l2 == Double(5).squareRoot())
    #expect(report.hoyer == SparsityMeasures.hoyer(l1: 3, l2: Double(5).squareRoot(), count: 3))
    #expect(report.gini.isFinite && report == report)
  }

  @Test func giniMatchesNaiveReferenceOnRandomSparseVectors() {
    var generator = Xoshiro256StarStar(seed: 42)
    for (n, zeroFraction) in [(1, 0.0), (7, 0.5), (64, 0.9), (333, 0.3), (1000, 0.99)] {
      let values = Tensor.normal(shape: [n], using: &generator).sparsified(
        zeroFraction: zeroFraction, using: &generator
      ).scalars
      let report = SparsityMeasures(values)
      #expect(Swift.abs(report.gini - referenceGini(values)) < 1e-9, "n = \(n)")
      #expect(report.zeros == values.filter { $0 == 0 }.count)
      #expect((0...1).contains(report.hoyer) && (0...1).contains(report.gini))
    }
  }

  @Test func hoyerAndGiniAreScaleInvariant() {
    var generator = Xoshiro256StarStar(seed: 7)
    let x = Tensor.uniform(shape: [200], in: -1...1, using: &generator).sparsified(zeroFraction: 0.4, using: &generator)
    let a = x.sparsityMeasures()
    let b = (x * 8).sparsityMeasures()
    #expect(Swift.abs(a.hoyer - b.hoyer) < 1e-9)
    #expect(Swift.abs(a.gini - b.gini) < 1e-9)
    #expect(Swift.abs(b.l1 - 8 * a.l1) < 1e-6 * b.l1)
  }

  @Test func sparserVectorsScoreHigher() {
    let dense = SparsityMeasures([1, 2, 3, 4])
    let sparser = SparsityMeasures([0, 0, 3, 4])
    #expect(sparser.hoyer > dense.hoyer)
    #expect(sparser.gini > dense.gini)
  }

  @Test func rowAndColumnReportsMatchPerVectorReports() {
    let m = Tensor(rows: [[0, 1, 0, 2], [0, 0, 0, 3], [0, 4, 0, 0]])
    let rows = m.rowSparsity()
    #expect(rows.count == 3)
    for i in 0..<3 { #expect(rows[i] == SparsityMeasures(m.row(i).scalars)) }
    #expect(rows.map(\.zeros) == [2, 3, 3])
    let columns = m.columnSparsity()
    let third: Double = 1.0 / 3
    #expect(columns.map(\.sparsity) == [1, third, 1, third])
    #expect(columns[3] == SparsityMeasures([2, 3, 0]))
    #expect(m.deadColumns() == [0, 2])
    #expect(m.sparsityMeasures().zeros == 8)
  }

  @Test func deadColumnsHonourEpsilonAndEmptyMatrices() {
    let m = Tensor(rows: [[1e-8, 0, 1], [-1e-8, 0, 0]])
    #expect(m.deadColumns() == [1])
    #expect(m.deadColumns(epsilon: 1e-6) == [0, 1])
    #expect(Tensor(zeros: [0, 3]).deadColumns() == [0, 1, 2])
    #expect(Tensor(zeros: [2, 0]).columnSparsity().isEmpty)
  }

  /// Large enough to be split over threads; every row must still equal its serial report.
  @Test func parallelRowReportsEqualSerialOnes() {
    var generator = Xoshiro256StarStar(seed: 3)
    let m = Tensor.normal(shape: [301, 517], using: &generator).relu()
    let rows = m.rowSparsity(epsilon: 0.01)
    for i in stride(from: 0, to: 301, by: 37) { #expect(rows[i] == SparsityMeasures(m.row(i).scalars, epsilon: 0.01)) }
    let columns = m.columnSparsity(epsilon: 0.01)
    let t = m.transposed()
    for j in stride(from: 0, to: 517, by: 61) {
      #expect(columns[j] == SparsityMeasures(t.row(j).scalars, epsilon: 0.01))
    }
    #expect(rows.map(\.zeros).reduce(0, +) == m.sparsityMeasures().zeros)
  }

  @Test func summaryStatisticsOfAList() {
    let s = SummaryStatistics([0.5, 0.25, 1])
    #expect(s.count == 3 && s.mean == 1.75 / 3 && s.minimum == 0.25 && s.maximum == 1)
    #expect(SummaryStatistics([Double]()) == SummaryStatistics([Double]()))
    #expect(SummaryStatistics([Double]()).mean == 0)
  }
}
