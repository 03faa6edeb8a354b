import SparsityCore
import Testing

@testable import SparsityAnalysis

@Suite struct WeightAnalysisTests {
  @Test func fractionsAreExact() {
    let weight = Tensor(rows: [[0, 0.5, -1e-4, 0], [0, 0, 0, 0]])
    let analysis = WeightAnalysis(layerIndex: 0, name: "Linear(4, 2)", weight: weight, epsilon: 1e-6)
    #expect(analysis.zeroFraction == 6.0 / 8)
    #expect(analysis.nearZeroFraction == 6.0 / 8)
    #expect(analysis.smallFraction == 7.0 / 8)
    #expect(analysis.zeroRows == [1])
    #expect(analysis.maximumMagnitude == 0.5)
    #expect(analysis.magnitudeHistogram.total == 2)
    #expect(
      analysis.magnitudeHistogram.lowerBound == Double(Float(1e-4)) && analysis.magnitudeHistogram.upperBound == 0.5)
    let loose = WeightAnalysis(layerIndex: 0, name: "", weight: weight, epsilon: 1e-3)
    #expect(loose.nearZeroFraction == 7.0 / 8)
  }
}
