import Foundation

/// Runs the built `sparsity` executable, the way a user does, and captures what it prints.
enum SparsityExecutable {
  /// What one run printed and returned.
  struct Output {
    var status: Int32
    var standardOutput: String
    var standardError: String
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

  /// Runs the executable at `url` with `arguments` and waits for it to finish.
  static func run(_ url: URL, _ arguments: [String]) throws -> Output {
    let process = Process()
    process.executableURL = url
    process.arguments = arguments
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
      standardError: String(decoding: stderr, as: UTF8.self))
  }

  /// Thrown when no built `sparsity` executable can be found.
  struct MissingExecutable: Error, CustomStringConvertible {
    var description: String {
      "no built 'sparsity' executable found next to the test bundle or in .build; build it first"
        + " (swift build --product sparsity) or set SPARSITY_EXECUTABLE"
    }
  }
}
