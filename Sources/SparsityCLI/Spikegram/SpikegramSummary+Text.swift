// The text form of a spikegram summary, for `sparsity spikegram`.

import SparsityExperiments

extension SpikegramSummary {
  /// The human-readable summary.
  var text: String {
    let seconds = "\((codingSeconds * 1000).rounded() / 1000) coding, \((totalSeconds * 1000).rounded() / 1000) total"
    return (keyValues + [("seconds", seconds)]).map { name, value in
      name.padding(toLength: 19, withPad: " ", startingAt: 0) + value
    }.joined(separator: "\n")
  }
}
