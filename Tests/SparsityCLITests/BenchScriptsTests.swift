import Foundation
import Testing

/// Every `sparsity` command line the bench scripts build, run against the built executable.
///
/// Each script's `--print-commands DIR` mode writes its inputs into DIR and prints, one JSON array
/// a line, the arguments it would pass to `sparsity`; here the scripts run at tiny sizes (flags
/// below) and every printed command must exit 0, so a documented benchmark cannot silently rot.
@Suite(
  .enabled(if: BenchScript.hasPythonWithNumPy, "python3 with numpy is needed to print the bench scripts' commands"))
struct BenchScriptsTests {
  /// A script and the flags that make its runs tiny; `MODEL` stands for a small trained model.
  static let scripts: [(String, [String])] = [
    (
      "train_speed.py",
      ["--samples", "64", "--batch", "16", "--inputs", "8", "--layers", "8", "--classes", "3", "--epochs", "1"]
    ),
    ("cnn_train.py", ["--samples", "64", "--epochs", "1", "--arch", "conv:2:3x3,relu,maxpool:2,flatten,8,relu"]),
    ("sparse_encode.py", ["--samples", "20", "--features", "8", "--atoms", "16"]),
    ("npz_scipy_check.py", []),
    ("dictionary_learning.py", ["--samples", "300", "--atoms", "16", "--max-epochs", "2"]),
    ("compiled_inference.py", ["MODEL", "--batch", "1,8"]),
    ("torch_inference.py", ["MODEL", "--samples", "2"]),
    ("speech_coding.py", ["--atoms", "16", "--epochs", "1", "--nonzeros", "4"]),
    ("sae_bench.py", ["--latents", "64", "--k", "4", "--epochs", "1", "--batch", "64"]),
    ("saelens_exchange.py", ["--rows", "8", "--d-in", "8", "--d-sae", "16", "--k", "4"]),
  ]

  @Test(arguments: scripts)
  func printedCommandsAreAccepted(script: String, flags: [String]) throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "sparsity-bench-script-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    var flags = flags
    if let index = flags.firstIndex(of: "MODEL") {
      let model = directory.appendingPathComponent("model.safetensors").path
      let train = try SparsityExecutable.run([
        "train", "--epochs", "1", "--layers", "16", "--act-l1", "1e-4", "--out", model, "--json",
      ])
      try #require(train.status == 0, "\(train.standardError)")
      flags[index] = model
    }
    let commands = try BenchScript.printedCommands(script, flags + ["--print-commands", directory.path])
    #expect(!commands.isEmpty, "\(script) printed no sparsity command")
    for arguments in commands {
      let run = try SparsityExecutable.run(arguments)
      #expect(run.status == 0, "\(script): sparsity \(arguments.joined(separator: " ")) failed: \(run.standardError)")
    }
  }

  /// Every script that runs `sparsity` does it through bench/sparsity_commands.py (so its
  /// --print-commands mode sees it) and is listed above.
  @Test func everyScriptThatRunsSparsityIsCovered() throws {
    let covered = Set(Self.scripts.map(\.0))
    for folder in ["bench", "scripts"] {
      let url = BenchScript.packageRoot.appendingPathComponent(folder)
      for name in try FileManager.default.contentsOfDirectory(atPath: url.path) where name.hasSuffix(".py") {
        let text = try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)
        guard name != "sparsity_commands.py" else { continue }
        #expect(
          !text.contains("import subprocess"), "\(folder)/\(name) should run sparsity through sparsity_commands.run")
        if text.contains("sparsity_commands.run(") {
          #expect(covered.contains(name), "\(folder)/\(name) is missing from BenchScriptsTests.scripts")
        }
      }
    }
  }
}

/// Runs the Python bench scripts of this package.
enum BenchScript {
  /// The package directory (three levels above this file).
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// True when `python3` is on the PATH and imports numpy.
  static let hasPythonWithNumPy: Bool = (try? python(["-c", "import numpy"]).status) == 0

  /// The argument lists `bench/SCRIPT` (else `scripts/SCRIPT`) prints with `arguments` (which
  /// include --print-commands).
  static func printedCommands(_ script: String, _ arguments: [String]) throws -> [[String]] {
    let folder =
      ["bench", "scripts"].first {
        FileManager.default.fileExists(
          atPath: packageRoot.appendingPathComponent($0).appendingPathComponent(script).path)
      } ?? "bench"
    let path = packageRoot.appendingPathComponent(folder).appendingPathComponent(script).path
    let run = try python([path] + arguments)
    try #require(run.status == 0, "python3 \(folder)/\(script) failed: \(run.standardError)")
    return try run.standardOutput.split(separator: "\n").map { line in
      try #require(
        try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String], "not a JSON list of strings: \(line)")
    }
  }

  /// Runs `python3 ARGUMENTS` and waits for it.
  static func python(_ arguments: [String]) throws -> SparsityExecutable.Output {
    try SparsityExecutable.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3"] + arguments)
  }
}
