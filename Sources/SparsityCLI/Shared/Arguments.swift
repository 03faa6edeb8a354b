// A small command-line argument parser shared by every subcommand.

/// The parsed arguments of one subcommand: options with values, boolean flags, positionals.
///
/// Syntax: `--name value` or `--name=value` for options that take a value, `--name` for boolean
/// flags, `-h` for `--help`, and everything else positional. An argument starting with `-`
/// and a digit or `.` (a negative number such as `-1.5,2`) is positional, and so is
/// everything after `--`. An option's value is the next argument even if it starts with `-`.
/// Unknown options and repeated options are errors.
struct Arguments: Equatable {
  /// Positional arguments, in order.
  private(set) var positionals: [String] = []
  private var values: [String: String] = [:]
  private var flags: Set<String> = []

  /// Parses `arguments` for `command`, which takes the value options `options` and the
  /// boolean `flags`; `help` is always accepted as a flag.
  /// - Throws: `CLIError` for an unknown, repeated or malformed option.
  init(_ arguments: [String], command: String, options: Set<String>, flags knownFlags: Set<String>) throws(CLIError) {
    var remaining = arguments[...]
    while let argument = remaining.popFirst() {
      if argument == "--" {
        positionals += remaining
        break
      }
      if argument == "-h" {
        flags.insert("help")
        continue
      }
      guard Self.isOption(argument) else {
        positionals.append(argument)
        continue
      }
      let body = argument.drop(while: { $0 == "-" })
      let name = String(body.prefix { $0 != "=" })
      let inlineValue = body.contains("=") ? String(body.drop { $0 != "=" }.dropFirst()) : nil
      if knownFlags.contains(name) || name == "help" {
        if inlineValue != nil { throw .unexpectedValue(option: name) }
        if flags.contains(name) { throw .repeatedOption(name) }
        flags.insert(name)
      } else if options.contains(name) {
        guard let value = inlineValue ?? remaining.popFirst() else { throw .missingValue(option: name) }
        if values[name] != nil { throw .repeatedOption(name) }
        values[name] = value
      } else {
        throw .unknownOption(argument, command: command)
      }
    }
  }

  /// True for `--name...` and `-x...` where `x` is not a digit or `.`.
  private static func isOption(_ argument: String) -> Bool {
    guard argument.hasPrefix("-"), argument.count > 1 else { return false }
    if argument.hasPrefix("--") { return true }
    let second = argument[argument.index(after: argument.startIndex)]
    return !(second.isNumber || second == ".")
  }

  /// The names of the options and flags given, without `--` and without `help`, sorted.
  var givenNames: [String] { (Array(values.keys) + flags.subtracting(["help"])).sorted() }

  /// True when `--help` or `-h` was given.
  var wantsHelp: Bool { flags.contains("help") }

  /// True when `flag` was given.
  func flag(_ flag: Flag) -> Bool { flags.contains(flag.name) }

  /// The value of `option`, or nil when it was not given.
  /// - Throws: `CLIError.invalidValue`, saying what was expected, when the text is not valid.
  func value<Value>(_ option: Option<Value>) throws(CLIError) -> Value? {
    guard let text = values[option.name] else { return nil }
    guard let parsed = option.parse(text) else {
      throw .invalidValue(option: option.name, value: text, expected: option.expected)
    }
    return parsed
  }

  /// The text given for `option`, unparsed; nil when it was not given.
  func text<Value>(_ option: Option<Value>) -> String? { values[option.name] }

  /// The value of `option`, or `defaultValue` when it was not given.
  func value<Value>(_ option: Option<Value>, default defaultValue: Value) throws(CLIError) -> Value {
    try value(option) ?? defaultValue
  }

  /// The value of the required `option` of `command`.
  /// - Throws: `CLIError.missingArgument` when it was not given.
  func required<Value>(_ option: Option<Value>, command: String) throws(CLIError) -> Value {
    guard let value = try value(option) else {
      throw .missingArgument("--\(option.name) \(option.spec.placeholder ?? "")", command: command)
    }
    return value
  }
}
