import SparsityCore

@testable import SparsityNN

/// A three-element parameter and three fixed gradients, the fixture of the optimizer tests.
///
/// Expected values in the tests were computed from the PyTorch update formulas in float64
/// (numpy), independently of this package.
enum OptimizerFixture {
  static let initial: [Float] = [1.0, -2.0, 0.5]
  static let gradients: [[Float]] = [[0.1, -0.2, 0.3], [0.4, 0.0, -0.1], [-0.3, 0.2, 0.2]]

  /// The parameter's value after each of the three steps of `optimizer` at `learningRate`.
  static func trajectory(_ optimizer: some Optimizer, learningRate: Float) -> [[Float]] {
    let parameter = Parameter(name: "weight", value: Tensor(initial))
    return gradients.map { gradient in
      parameter.gradient = Tensor(gradient)
      optimizer.step([parameter], learningRate: learningRate)
      return parameter.value.scalars
    }
  }

  /// True when every value is within `tolerance` (relative to max(1, |expected|)) of `expected`.
  static func matches(_ actual: [[Float]], _ expected: [[Double]], tolerance: Double = 1e-6) -> Bool {
    guard actual.count == expected.count else { return false }
    return zip(actual, expected).allSatisfy { row, expectedRow in
      row.count == expectedRow.count
        && zip(row, expectedRow).allSatisfy { a, e in
          abs(Double(a) - e) <= tolerance * max(1, abs(e))
        }
    }
  }

  /// Minimizes f(w) = ½ Σ c_i (w_i − t_i)² for `steps` steps and returns f before and after.
  static func quadratic(_ optimizer: some Optimizer, learningRate: Float, steps: Int) -> (before: Float, after: Float) {
    let (curvature, target): ([Float], [Float]) = ([1, 4, 0.25, 2], [0.5, -1, 2, 0])
    let parameter = Parameter(name: "weight", value: Tensor([3, 2, -1, -2]))
    func loss() -> Float {
      (0..<4).reduce(0) {
        $0 + 0.5 * curvature[$1] * (parameter.value.scalars[$1] - target[$1])
          * (parameter.value.scalars[$1] - target[$1])
      }
    }
    let before = loss()
    for _ in 0..<steps {
      for i in 0..<4 { parameter.gradient.scalars[i] = curvature[i] * (parameter.value.scalars[i] - target[i]) }
      optimizer.step([parameter], learningRate: learningRate)
    }
    return (before, loss())
  }
}
