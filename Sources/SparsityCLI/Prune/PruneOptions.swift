// Pruning options: `train`'s gradual pruning, declared once, and the parsers `prune` shares.

import SparsityNN

/// The gradual-pruning options of `train` (and `sweep`), and parsers for pruning values.
enum PruneOptions {
  static let sparsityExpected = "a sparsity in [0, 1), such as 0.9"
  static let patternExpected = "N:M with 1 <= N < M <= 1024, such as 2:4"
  static let scopeExpected = "global or layer"

  static let prune = Option<Double>(
    "prune", "S", expected: sparsityExpected,
    help:
      "gradual magnitude pruning of the Linear and Conv2d weights (never biases) to sparsity S, on Zhu and Gupta's cubic schedule; the masks then stay fixed and later epochs fine-tune",
    parse: parseSparsity)
  /// An epoch; `training(_:epochs:)` narrows it to 1...epochs.
  static let pruneStart = Option<Int>(
    "prune-start", "E1", expected: "an epoch", default: "1", help: "the epoch the sparsity starts rising in",
    parse: { Int($0) })
  /// An epoch; `training(_:epochs:)` narrows it to --prune-start...epochs.
  static let pruneEnd = Option<Int>(
    "prune-end", "E2", expected: "an epoch", help: "the epoch that reaches S (default: 3/4 of --epochs)",
    parse: { Int($0) })
  static let pruneScope = Option<PruningScope>(
    "prune-scope", "global|layer", expected: scopeExpected, default: "global",
    help: "global ranks the weights of all layers together, layer prunes S of each layer", parse: parseScope)
  static let prunePattern = Option<PruningPattern>(
    "prune-pattern", "N:M", expected: patternExpected,
    help: "keep at most N of every M consecutive inputs per unit, e.g. 2:4 (with or without --prune)",
    parse: parsePattern)
  static let pruneEvery = Option<PruningSettings.Frequency>(
    "prune-every", "STEPS|epoch", expected: "a positive number of steps, or epoch", default: "10",
    help: "how often the masks are recomputed while the sparsity rises: every STEPS steps, or every epoch",
    parse: parseFrequency)

  /// The options `train` takes for gradual pruning, in usage order.
  static let gradual: [OptionSpec] = [
    prune.spec, prunePattern.spec, pruneScope.spec, pruneStart.spec, pruneEnd.spec, pruneEvery.spec,
  ]

  /// A fraction in [0, 1).
  static func parseSparsity(_ text: String) -> Double? { Double(text).flatMap { $0 >= 0 && $0 < 1 ? $0 : nil } }

  /// `global` or `layer`.
  static func parseScope(_ text: String) -> PruningScope? { ["global": .global, "layer": .perLayer][text] }

  /// `N:M` with 1 ≤ N < M ≤ 1024.
  static func parsePattern(_ text: String) -> PruningPattern? {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
    guard parts.count == 2, let n = parts[0], let m = parts[1], n >= 1, n < m, m <= 1024 else { return nil }
    return .nOfM(n: n, m: m)
  }

  /// `epoch` or a positive number of steps.
  static func parseFrequency(_ text: String) -> PruningSettings.Frequency? {
    if text == "epoch" { return .everyEpoch }
    return Int(text).flatMap { $0 > 0 ? .everySteps($0) : nil }
  }

  /// The gradual pruning that `train`'s options ask for, or nil without `--prune` and
  /// `--prune-pattern`; `epochs` is the number of training epochs.
  /// - Throws: `CLIError` for a bad value, a ramp outside 1...epochs or ending before it starts,
  ///   and for `--prune-start/-end/-scope/-every` without `--prune`.
  static func training(_ arguments: Arguments, epochs: Int) throws -> PruningSettings? {
    let sparsity = try arguments.value(prune)
    let pattern = try arguments.value(prunePattern)
    let scope = try arguments.value(pruneScope)
    let every = try arguments.value(pruneEvery)
    let start =
      try arguments.value(
        pruneStart.narrowed(expected: "an epoch from 1 to --epochs (\(epochs))") { (1...epochs).contains($0) }) ?? 1
    guard sparsity != nil || pattern != nil else {
      let ramp = [pruneStart.spec, pruneEnd.spec, pruneScope.spec, pruneEvery.spec]
      if let given = ramp.first(where: { arguments.givenNames.contains($0.name) }) {
        throw CLIError.invalidInput("train: --\(given.name) needs --prune S (or --prune-pattern N:M)")
      }
      return nil
    }
    let end =
      try arguments.value(
        pruneEnd.narrowed(expected: "an epoch from --prune-start (\(start)) to --epochs (\(epochs))") {
          (start...epochs).contains($0)
        }) ?? Swift.max(start, (3 * epochs + 3) / 4)
    return PruningSettings(
      sparsity: sparsity ?? 0, scope: scope ?? .global, pattern: pattern ?? .unstructured, startEpoch: start,
      endEpoch: end, frequency: every ?? .everySteps(10))
  }
}
