// Errors in command-line usage, printed by main as `sparsity: <description>` with exit code 2.

/// A mistake on the command line: an unknown command or option, a missing or malformed value,
/// or an input argument that is neither a file nor a list of numbers.
enum CLIError: Error, Equatable, CustomStringConvertible {
  /// The first argument is not a known command.
  case unknownCommand(String, known: [String])
  /// An option the command does not take.
  case unknownOption(String, command: String)
  /// A value option given last, without its value.
  case missingValue(option: String)
  /// A boolean flag given as `--flag=value`.
  case unexpectedValue(option: String)
  /// An option given more than once.
  case repeatedOption(String)
  /// An option value that does not parse or is out of range.
  case invalidValue(option: String, value: String, expected: String)
  /// A required positional argument is missing.
  case missingArgument(String, command: String)
  /// More positional arguments than the command takes.
  case unexpectedArguments([String], command: String)
  /// An input argument that cannot be used, with the reason.
  case invalidInput(String)

  var description: String {
    switch self {
    case .unknownCommand(let name, let known):
      return "unknown command '\(name)' (commands: \(known.joined(separator: ", "))); see 'sparsity help'"
    case .unknownOption(let name, let command):
      return "\(command): unknown option '\(name)'; see 'sparsity help \(command)'"
    case .missingValue(let option): return "option --\(option) needs a value"
    case .unexpectedValue(let option): return "option --\(option) takes no value"
    case .repeatedOption(let option): return "option --\(option) given more than once"
    case .invalidValue(let option, let value, let expected):
      return "option --\(option): '\(value)' is not \(expected)"
    case .missingArgument(let name, let command):
      return "\(command): missing \(name); see 'sparsity help \(command)'"
    case .unexpectedArguments(let extra, let command):
      return
        "\(command): unexpected argument\(extra.count == 1 ? "" : "s") \(extra.map { "'\($0)'" }.joined(separator: " "))"
    case .invalidInput(let message): return message
    }
  }
}
