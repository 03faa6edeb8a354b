// What a subcommand declares: its name, positionals, options, help text, and the function that runs it.
import SparsityIO

/// A subcommand of the `sparsity` tool. `main.swift` lists them; the dispatcher parses the
/// command's arguments against its declarations, checks the positionals, prints `usage` for
/// `--help`, and otherwise calls `run`, which prints its results to standard output and throws
/// (`CLIError`, `ArrayFileError`, ...) on failure.
struct Command: Sendable {
  /// The word after `sparsity`, e.g. `measure`.
  let name: String
  /// One line for the command list of `sparsity help`.
  let summary: String
  /// The full help text of `sparsity help <name>`.
  let usage: String
  /// Options that take a value, without the leading `--`.
  let options: Set<String>
  /// Boolean flags, without the leading `--`.
  let flags: Set<String>
  /// The positional arguments, checked by the dispatcher.
  let positionals: [Positional]
  /// Runs the command on its parsed arguments.
  let run: @Sendable (Arguments) throws -> Void

  /// A command whose usage comes from its declarations: the synopsis from `positionals` and
  /// `options`, then `description`, then the option list, then `notes`.
  init(
    name: String, summary: String, positionals: [Positional] = [], options: [OptionSpec], description: String,
    notes: String? = nil, run: @escaping @Sendable (Arguments) throws -> Void
  ) {
    self.name = name
    self.summary = summary
    self.positionals = positionals
    self.options = Set(options.filter { !$0.isFlag }.map(\.name))
    self.flags = Set(options.filter(\.isFlag).map(\.name))
    precondition(
      self.options.count + flags.count == options.count, "Command \(name): an option is declared twice")
    usage = Usage.text(name, positionals: positionals, options: options, description: description, notes: notes)
    self.run = run
  }

  /// One form of a command whose single positional selects what it does, e.g. `bench kernels`:
  /// that positional, the options the form takes and what it does.
  struct Form: Sendable {
    let positional: Positional
    let options: [OptionSpec]
    let description: String

    /// The names of the options and flags this form takes.
    var optionNames: Set<String> { Set(options.map(\.name)) }
  }

  /// A command with several forms told apart by its single positional, e.g. `bench kernels`,
  /// `bench training` and `bench MODEL.safetensors`. Each form declares its own options (a name
  /// may mean different things in different forms, but takes a value in all of them or in none);
  /// the usage shows each form's synopsis, description and options in turn, then `notes`. `run`
  /// tells the forms apart and rejects the options of the others.
  init(
    name: String, summary: String, forms: [Form], notes: String? = nil,
    run: @escaping @Sendable (Arguments) throws -> Void
  ) {
    self.name = name
    self.summary = summary
    positionals = [Positional(forms.map(\.positional.name).joined(separator: "|"))]
    let all = forms.flatMap(\.options)
    options = Set(all.filter { !$0.isFlag }.map(\.name))
    flags = Set(all.filter(\.isFlag).map(\.name))
    precondition(options.isDisjoint(with: flags), "Command \(name): an option is a flag in one form only")
    for form in forms {
      precondition(form.positional.count == .one, "Command \(name): a form's positional must be given once")
      precondition(
        form.optionNames.count == form.options.count,
        "Command \(name) \(form.positional.name): an option is declared twice")
    }
    let sections = forms.map {
      Usage.text(name, positionals: [$0.positional], options: $0.options, description: $0.description, notes: nil)
    }
    usage = (sections + (notes.map { [$0] } ?? [])).joined(separator: "\n\n")
    self.run = run
  }

  /// Throws unless `given` fits the declared positionals: the missing one or the extra ones named.
  func checkPositionals(_ given: [String]) throws(CLIError) {
    let required = positionals.filter { $0.count != .optional }
    if given.count < required.count { throw .missingArgument(required[given.count].name, command: name) }
    guard positionals.last?.count != .oneOrMore else { return }
    if given.count > positionals.count {
      throw .unexpectedArguments(Array(given.dropFirst(positionals.count)), command: name)
    }
  }
}

extension Arguments {
  /// Throws when an option `form` does not take was given: one of another form of `command`,
  /// which this one would silently ignore.
  func rejectAll(but form: Command.Form, subject: String, command: String) throws {
    let accepted = form.optionNames
    if let name = givenNames.first(where: { !accepted.contains($0) }) {
      throw CLIError.invalidInput(
        "\(command) \(subject): option --\(name) does not apply here; see 'sparsity help \(command)'")
    }
  }
}
