// What a subcommand declares: its name, help text, options, and the function that runs it.
import SparsityIO

/// A subcommand of the `sparsity` tool. `main.swift` lists them; the dispatcher parses the
/// command's arguments, prints `usage` for `--help`, and otherwise calls `run`, which prints
/// its results to standard output and throws (`CLIError`, `ArrayFileError`, ...) on failure.
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
  /// Runs the command on its parsed arguments.
  let run: @Sendable (Arguments) throws -> Void
}
