import SparsityCore
import SparsityNN
import Testing

@testable import SparsityAnalysis

/// The streaming analysis against a naive twin computed from the whole activation matrix.
@Suite struct AnalysisReferenceTests {
  @Test(arguments: [Float(0), 0.05])
  func randomNetworkMatchesNaiveComputation(epsilon: Float) {
    var generator = Xoshiro256StarStar(seed: 11)
    let architecture = ModelArchitecture(
      inputFeatures: 6, layers: [.linear(outputFeatures: 9), .relu, .linear(outputFeatures: 3)])
    let network = architecture.makeSequential(seed: 5)
    let features = Tensor.normal(shape: [37, 6], using: &generator)
    let labels = (0..<37).map { $0 % 3 }
    let analysis = NetworkAnalysis.analyze(
      network: network, features: features, labels: labels, classes: 3,
      settings: .init(epsilon: epsilon, topInputs: 4, batchSize: 8))
    // The twin's activations come from the same batches of 8 as the analysis's: a forward pass
    // over all 37 rows at once is a different BLAS product, which may round differently (by an
    // ulp or so, depending on the kernel), and then a count at the epsilon edge, the order of
    // near-ties or a class mean's last bits would differ for a reason that is not the analysis.
    var scalars: [Float] = []
    for start in stride(from: 0, to: 37, by: 8) {
      network.forward(features.rows(start..<min(start + 8, 37)), training: false)
      scalars += network.activations[2].scalars
    }
    let outputs = Tensor(shape: [37, 9], scalars: scalars)
    let layer = analysis.activations[0]
    for j in 0..<9 {
      let column = (0..<37).map { outputs[$0, j] }
      let active = column.filter { abs($0) > epsilon }.count
      #expect(layer.firingRates[j] == Double(active) / 37)
      #expect(layer.deadUnits.contains(j) == (active == 0))
      let order = column.indices.filter { abs(column[$0]) > epsilon }.sorted {
        column[$0] > column[$1] || (column[$0] == column[$1] && $0 < $1)
      }
      #expect(layer.topInputs[j].map(\.input) == Array(order.prefix(4)))
      for c in 0..<3 {
        let members = column.indices.filter { labels[$0] == c }
        let mean = members.reduce(0.0) { $0 + Double(max(column[$1], 0)) } / Double(members.count)
        #expect(abs(layer.classMeans[j][c]! - mean) < 1e-9)
      }
    }
    let perInput = (0..<37).map { i in (0..<9).filter { abs(outputs[i, $0]) > epsilon }.count }
    var frequencies = [Int](repeating: 0, count: 10)
    for count in perInput { frequencies[count] += 1 }
    #expect(layer.activeUnitsPerInput.frequencies == frequencies)
    #expect(layer.zeroFraction == Double(outputs.scalars.filter { $0 == 0 }.count) / Double(outputs.count))
  }
}
