// The one error type of the experiments library: a setting out of range or data that cannot serve.

/// Why an experiment cannot run; `description` is one line naming the setting or the data.
public enum ExperimentError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A setting (named as the `sparsity train` option that sets it) with a value it cannot take.
  case invalidSetting(option: String, value: String, expected: String)
  /// Data that cannot serve the experiment, with the reason (naming the source or file).
  case unusableData(String)

  public var description: String {
    switch self {
    case .invalidSetting(let option, let value, let expected):
      return "option --\(option): '\(value)' is not \(expected)"
    case .unusableData(let message): return message
    }
  }
}
