// The `sparsity` command-line tool: `sparsity <command> [arguments]`.
//
// Every command is a `Command` value listed below; the dispatcher parses its arguments, runs it,
// and turns any thrown error into `sparsity: <message>` on standard error with exit code 2,
// its control characters written out (`PrintableText`), so that it stays one line.
// This file is the only place that exits.

#if canImport(Glibc)
  @preconcurrency import Glibc
#endif
import Foundation
import SparsityCore
import SparsityIO

/// The subcommands, in the order `sparsity help` lists them. Add new commands here.
let commands: [Command] = [
  MeasureCommand.command,
  BenchCommand.command,
  DemoCommand.command,
  TrainCommand.command,
  EvalCommand.command,
  PruneCommand.command,
  AnalyzeCommand.command,
  CompileCommand.command,
  CodeCommand.command,
  LearnDictionaryCommand.command,
  SpikegramCommand.command,
  SAECommand.command,
  SweepCommand.command,
]

/// The overview printed by `sparsity help`.
func overview() -> String {
  let width = (commands.map(\.name.count) + [4]).max()!
  let list = commands.map { "  " + $0.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.summary }
  return """
    usage: sparsity <command> [arguments]

    commands:
    \(list.joined(separator: "\n"))
      \("help".padding(toLength: width, withPad: " ", startingAt: 0))  this overview; 'sparsity help <command>' for one command

    Exit codes: 0 success, 2 bad usage or unreadable input.
    """
}

/// Runs the command line `arguments` (without the program name) and returns the exit code.
func dispatch(_ arguments: [String]) -> Int32 {
  guard let name = arguments.first else {
    FileHandle.standardError.write(Data("sparsity: missing command\n\n\(overview())\n".utf8))
    return 2
  }
  do {
    if ["help", "--help", "-h"].contains(name) {
      guard let topic = arguments.dropFirst().first else {
        print(overview())
        return 0
      }
      guard let command = commands.first(where: { $0.name == topic }) else {
        throw CLIError.unknownCommand(topic, known: commands.map(\.name) + ["help"])
      }
      print(command.usage)
      return 0
    }
    guard let command = commands.first(where: { $0.name == name }) else {
      throw CLIError.unknownCommand(name, known: commands.map(\.name) + ["help"])
    }
    let parsed = try Arguments(
      Array(arguments.dropFirst()), command: name, options: command.options, flags: command.flags)
    if parsed.wantsHelp {
      print(command.usage)
      return 0
    }
    try command.checkPositionals(parsed.positionals)
    if let problem = KernelInstructionSet.environmentProblem { throw CLIError.invalidInput(problem) }
    try command.run(parsed)
    return 0
  } catch {
    FileHandle.standardError.write(
      Data("sparsity: \(Processes.label)\(PrintableText.escaped("\(error)"))\n".utf8))
    return 2
  }
}

// Line-buffered standard output, so that long commands (demo, sweep, train) show each result
// line as it is printed even when the output goes to a pipe or a log file.
setvbuf(stdout, nil, _IOLBF, 0)
let status = dispatch(Array(CommandLine.arguments.dropFirst()))
// In the MPI build a failed rank stops the job (MPI_Abort); every rank ends MPI before it exits.
Processes.finish(failed: status != 0)
exit(status)
