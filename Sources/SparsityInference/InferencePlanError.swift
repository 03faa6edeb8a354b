// The one error type of reading and writing plan files.

/// Why a plan file could not be read, written or used with a model. Every case names the file
/// as it was given; `description` reads as one line, e.g.
/// `plan.json: layer 2 is Linear(1024, 1024) in the model but Linear(512, 1024) in the plan`.
public enum InferencePlanError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file is missing, a directory or unreadable.
  case unreadable(file: String, reason: String)
  /// The file could not be written.
  case unwritable(file: String, reason: String)
  /// The file is not a plan: invalid JSON, a missing or ill-typed field, an unknown kernel.
  case malformed(file: String, detail: String)
  /// A `format_version` this build does not read.
  case unsupportedVersion(file: String, version: Int)
  /// A valid plan made for another model.
  case doesNotFitModel(file: String, detail: String)

  public var description: String {
    switch self {
    case .unreadable(let file, let reason): return "\(file): cannot read the plan: \(reason)"
    case .unwritable(let file, let reason): return "\(file): cannot write the plan: \(reason)"
    case .malformed(let file, let detail): return "\(file): not a valid inference plan: \(detail)"
    case .unsupportedVersion(let file, let version):
      return
        "\(file): plan format_version \(version) is not supported (this build reads \(InferencePlan.currentVersion))"
    case .doesNotFitModel(let file, let detail): return "\(file): the plan does not fit the model: \(detail)"
    }
  }
}
