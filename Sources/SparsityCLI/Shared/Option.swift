// Options declared once: the name, the value it takes, its default and its help line, from
// which the parser, the validation and the usage text all come.

/// What the usage text and the parser need of an option or flag, whatever its value type.
struct OptionSpec: Sendable {
  /// The name without `--`, e.g. `batch`.
  let name: String
  /// The value's placeholder in the usage, e.g. `N`; nil for a boolean flag.
  let placeholder: String?
  /// The help text (wrapped when printed); the default is appended as `(default X)`.
  let help: String
  /// The default as shown, e.g. `1`; nil when there is none to show.
  let defaultText: String?
  /// Shown without brackets in the synopsis and required by `Arguments.required`.
  let isRequired: Bool

  var isFlag: Bool { placeholder == nil }
}

/// An option that takes a value of type `Value`, declared once.
struct Option<Value>: Sendable {
  let spec: OptionSpec
  /// What a valid value is, for the error `option --NAME: 'TEXT' is not EXPECTED`.
  let expected: String
  /// The value, or nil when `text` is not a valid one.
  let parse: @Sendable (String) -> Value?

  /// - Parameters:
  ///   - name: the option's name without `--`.
  ///   - placeholder: the value's name in the usage, e.g. `N` or `FILE`.
  ///   - expected: what a valid value is, completing "'TEXT' is not ...".
  ///   - defaultText: the default as the usage shows it, if any.
  ///   - required: whether the command needs it.
  ///   - help: the help text.
  ///   - parse: the value of a text, nil when invalid.
  init(
    _ name: String, _ placeholder: String, expected: String, default defaultText: String? = nil,
    required: Bool = false, help: String, parse: @escaping @Sendable (String) -> Value?
  ) {
    spec = OptionSpec(
      name: name, placeholder: placeholder, help: help, defaultText: defaultText, isRequired: required)
    self.expected = expected
    self.parse = parse
  }

  var name: String { spec.name }

  /// This option accepting only the values for which `isValid` holds, for a range known only
  /// at run time (`--prune-end` from `--prune-start` to `--epochs`); `expected` says what is valid.
  func narrowed(expected: String, to isValid: @escaping @Sendable (Value) -> Bool) -> Option<Value> {
    Option(
      name, spec.placeholder ?? "", expected: expected, default: spec.defaultText, required: spec.isRequired,
      help: spec.help, parse: { [parse] text in parse(text).flatMap { isValid($0) ? $0 : nil } })
  }
}

extension Option where Value == String {
  /// An option whose value is any text (a path, a source), checked where it is used.
  init(_ name: String, _ placeholder: String, default defaultText: String? = nil, required: Bool = false, help: String)
  {
    self.init(
      name, placeholder, expected: "a value", default: defaultText, required: required, help: help, parse: { $0 })
  }
}

/// A boolean flag, declared once.
struct Flag: Sendable {
  let spec: OptionSpec

  init(_ name: String, help: String) {
    spec = OptionSpec(name: name, placeholder: nil, help: help, defaultText: nil, isRequired: false)
  }

  var name: String { spec.name }
}

/// Parsers the options share.
enum Parse {
  /// An integer > 0.
  static func positiveInteger(_ text: String) -> Int? { Int(text).flatMap { $0 > 0 ? $0 : nil } }
  /// An integer >= 0.
  static func nonNegativeInteger(_ text: String) -> Int? { Int(text).flatMap { $0 >= 0 ? $0 : nil } }
  /// A 64-bit seed.
  static func seed(_ text: String) -> UInt64? { UInt64(text) }
  /// A finite number >= 0.
  static func nonNegativeFloat(_ text: String) -> Float? { Float(text).flatMap { $0 >= 0 && $0.isFinite ? $0 : nil } }
  /// A finite number > 0.
  static func positiveFloat(_ text: String) -> Float? { Float(text).flatMap { $0 > 0 && $0.isFinite ? $0 : nil } }
  /// A fraction strictly between 0 and 1.
  static func openFraction(_ text: String) -> Double? { Double(text).flatMap { $0 > 0 && $0 < 1 ? $0 : nil } }
}
