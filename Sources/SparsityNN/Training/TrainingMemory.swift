// The memory training a multilayer network allocates, estimated from its widths before anything
// is allocated (`MemoryBudget.check` refuses what cannot fit).

import SparsityCore

extension MemoryEstimate {
  /// What training a network of Linear layers between `widths` (inputs, hidden widths, classes)
  /// in mini-batches of `batchSize` allocates: each parameter five times (the weights, their
  /// gradient, Adam's two moments and a pruning mask or best-epoch copy), and per layer six
  /// batch x width activations (outputs, masks and gradients of the layer and its activation);
  /// evaluation runs in batches of at least 256.
  public static func training(widths: [Int], batchSize: Int) -> MemoryEstimate {
    var parameters = MemoryEstimate.zero
    for (fanIn, fanOut) in zip(widths, widths.dropFirst()) {
      parameters += .floats(fanIn, fanOut) + .floats(fanOut)
    }
    var units = 0
    for width in widths {
      let (sum, overflow) = units.addingReportingOverflow(width)
      if overflow { return MemoryEstimate(bytes: nil) }
      units = sum
    }
    return parameters * 5 + .floats(Swift.max(batchSize, 256), units) * 6
  }
}
