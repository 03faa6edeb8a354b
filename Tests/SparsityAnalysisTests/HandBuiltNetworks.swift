import SparsityCore
import SparsityNN

/// Small networks with weights set by hand, whose analysis is known in advance.
enum HandBuiltNetworks {
  /// A Linear layer with the given weight rows and bias.
  static func linear(_ weight: [[Float]], bias: [Float]) -> Linear {
    var generator = Xoshiro256StarStar(seed: 0)
    let layer = Linear(weight[0].count, weight.count, using: &generator)
    layer.weight.value = Tensor(rows: weight)
    layer.bias!.value = Tensor(bias)
    return layer
  }

  /// 3 inputs -> 4 ReLU units -> 3 outputs. On one-hot-like inputs:
  /// unit 0 (zero weights, bias -1) is dead; unit 1 (zero weights, bias 5) is always on;
  /// unit 2 (reads input 2 only) fires only for class 2; unit 3 reads inputs 0 and 1 (1x, 2x).
  static func fourUnits() -> Sequential {
    Sequential(
      inputFeatures: 3,
      [
        linear([[0, 0, 0], [0, 0, 0], [0, 0, 1], [1, 2, 0]], bias: [-1, 5, 0, 0]),
        ReLU(),
        linear([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]], bias: [0, 0, 0]),
      ])
  }

  /// Seven inputs for `fourUnits` with classes; input k of class c points along feature c.
  ///
  /// Hidden outputs (units 0...3) per input:
  ///   0 [0,5,0,1]  1 [0,5,0,2]  2 [0,5,1,0]  3 [0,5,3,0]  4 [0,5,0,2]  5 [0,5,0,4]  6 [0,5,0,0]
  static let features = Tensor(rows: [
    [1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 3], [2, 0, 0], [0, 2, 0], [0, 0, 0],
  ])
  static let labels = [0, 1, 2, 2, 0, 1, 0]
}
