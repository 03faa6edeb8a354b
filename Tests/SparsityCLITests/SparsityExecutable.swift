import Foundation

/// Runs the built `sparsity` executable, the way a user does, and captures what it prints.
enum SparsityExecutable {
  /// What one run printed and returned.
  struct Output {
    var status: Int32
    var standardOutput: String
    var standardError: String
    /// True when a signal ended the process (a trap, SIGKILL from the kernel) rather than `exit`.
    var killedBySignal = false
  }

  /// The built `sparsity` executable: `$SPARSITY_EXECUTABLE` when set, else next to the test
  /// bundle (the build products directory, whatever `--scratch-path` is), else the package's
  /// `.build/release` or `.build/debug`.
  static let url: URL? = {
    if let path = ProcessInfo.processInfo.environment["SPARSITY_EXECUTABLE"] { return URL(fileURLWithPath: path) }
    var directories: [URL] = []
    for start in [Bundle.main.bundleURL, URL(fileURLWithPath: CommandLine.arguments[0])] {
      var directory = start
      for _ in 0..<4 {
        directories.append(directory)
        directory.deleteLastPathComponent()
      }
    }
    let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    directories += ["release", "debug"].map { package.appendingPathComponent(".build/\($0)") }
    return directories.map { $0.appendingPathComponent("sparsity") }.first {
      var isDirectory: ObjCBool = false
      return FileManager.default.fileExists(atPath: $0.path, isDirectory: &isDirectory) && !isDirectory.boolValue
        && FileManager.default.isExecutableFile(atPath: $0.path)
    }
  }()

  /// Runs `sparsity` with `arguments` and waits for it to finish.
  static func run(_ arguments: [String]) throws -> Output {
    guard let url else { throw MissingExecutable() }
    return try run(url, arguments)
  }

  /// Runs `sparsity` with `arguments`, the inherited environment changed by `environment` (a
  /// nil value removes the variable), and, with `addressSpaceKiB`, under that address-space
  /// limit (`ulimit -v`, set by `/bin/sh` before it becomes `sparsity`).
  static func run(_ arguments: [String], environment: [String: String?], addressSpaceKiB: Int? = nil) throws -> Output {
    guard let url else { throw MissingExecutable() }
    var variables = ProcessInfo.processInfo.environment
    for (name, value) in environment { variables[name] = value }
    guard let kibibytes = addressSpaceKiB else { return try run(url, arguments, environment: variables) }
    let limited = ["-c", "ulimit -v \(kibibytes) && exec \"$0\" \"$@\"", url.path] + arguments
    return try run(URL(fileURLWithPath: "/bin/sh"), limited, environment: variables)
  }

  /// Runs the executable at `url` with `arguments` (and `environment`, else the inherited one)
  /// and waits for it to finish.
  static func run(_ url: URL, _ arguments: [String], environment: [String: String]? = nil) throws -> Output {
    let process = Process()
    process.executableURL = url
    process.arguments = arguments
    if let environment { process.environment = environment }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Output(
      status: process.terminationStatus,
      standardOutput: String(decoding: stdout, as: UTF8.self),
      standardError: String(decoding: stderr, as: UTF8.self),
      killedBySignal: process.terminationReason == .uncaughtSignal)
  }

  /// Thrown when no built `sparsity` executable can be found.
  struct MissingExecutable: Error, CustomStringConvertible {
    var description: String {
      "no built 'sparsity' executable found next to the test bundle or in .build; build it first"
        + " (swift build --product sparsity) or set SPARSITY_EXECUTABLE"
    }
  }
}
