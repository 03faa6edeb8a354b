// The usage text of a command, composed from its declarations.

/// A positional argument of a command.
struct Positional: Sendable {
  /// How many times it may be given.
  enum Count: Sendable {
    case one, optional, oneOrMore
  }

  /// Its name in the usage, e.g. `MODEL.safetensors`.
  let name: String
  let count: Count

  init(_ name: String, _ count: Count = .one) {
    self.name = name
    self.count = count
  }

  var synopsis: String {
    switch count {
    case .one: return name
    case .optional: return "[\(name)]"
    case .oneOrMore: return "\(name)..."
    }
  }
}

/// Lays out a command's usage: the synopsis, the description, the options with their help and
/// defaults, and closing notes.
enum Usage {
  /// The width the text is wrapped to.
  static let width = 100

  /// `usage: sparsity NAME POSITIONALS [--option VALUE] ... [--flag]`, wrapped under the first
  /// option.
  static func synopsis(_ name: String, positionals: [Positional], options: [OptionSpec]) -> String {
    let head = (["usage: sparsity", name] + positionals.map(\.synopsis)).joined(separator: " ")
    let items = options.map { option -> String in
      let text = "--\(option.name)" + (option.placeholder.map { " \($0)" } ?? "")
      return option.isRequired ? text : "[\(text)]"
    }
    return wrap(items, first: head, indent: String(repeating: " ", count: min(head.count + 1, 40)))
  }

  /// One line per option: `  --name VALUE   help (default X)`, the help wrapped in its column.
  static func optionList(_ options: [OptionSpec]) -> String {
    let labels = options.map { "--\($0.name)" + ($0.placeholder.map { " \($0)" } ?? "") }
    let column = min(24, (labels.map(\.count).max() ?? 0) + 2)
    var lines = [String]()
    for (label, option) in zip(labels, options) {
      let help = option.help + (option.defaultText.map { " (default \($0))" } ?? "")
      let indent = String(repeating: " ", count: column + 2)
      let words = help.split(separator: " ").map(String.init)
      let first =
        "  " + label + (label.count + 2 > column ? "\n" + indent : String(repeating: " ", count: column - label.count))
      lines.append(wrap(words, first: first, indent: indent, separator: " ", joinFirst: ""))
    }
    return lines.joined(separator: "\n")
  }

  /// The whole usage: synopsis, description, `options:` and notes, separated by blank lines.
  static func text(
    _ name: String, positionals: [Positional], options: [OptionSpec], description: String, notes: String?
  ) -> String {
    var parts = [synopsis(name, positionals: positionals, options: options), description]
    if !options.isEmpty { parts.append("options:\n" + optionList(options)) }
    if let notes { parts.append(notes) }
    return parts.joined(separator: "\n\n")
  }

  /// Words joined by `separator` after `first`, a new line starting with `indent` whenever the
  /// next word would pass `width` (the last line of `first` counts).
  static func wrap(
    _ words: [String], first: String, indent: String, separator: String = " ", joinFirst: String = " "
  ) -> String {
    var text = first
    var lineLength = first.split(separator: "\n", omittingEmptySubsequences: false).last?.count ?? 0
    for (index, word) in words.enumerated() {
      let gap = index == 0 ? joinFirst : separator
      if lineLength + gap.count + word.count > width && lineLength > indent.count {
        text += "\n" + indent + word
        lineLength = indent.count + word.count
      } else {
        text += gap + word
        lineLength += gap.count + word.count
      }
    }
    return text
  }
}
