// Hostile inputs end to end (issue 12): every parser and every option that sizes work, fed what
// an attacker or an accident would feed them, through the built executable as a user runs it.

import Foundation
import SparsityIO
import SparsityTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// One hostile input: the parser or option it attacks, its fault class, the files it needs, the
/// command line, and the one line `sparsity` must print for it.
///
/// Fault classes (issue 12): 1 nesting that would overflow the stack, 2 arithmetic overflow,
/// 3 decompression bombs, 4 unbounded allocations, 5 silent wrong answers, 6 misleading or late
/// errors. In `arguments` and `error`, `{dir}` stands for the case's own temporary directory; in
/// `error`, `{budget}` for the memory available and where that figure comes from.
struct BadInput: Sendable, CustomTestStringConvertible {
  /// The parser (`NPY`, `PNG`, `plan JSON`...) or option (`learn-dictionary --atoms`) attacked.
  var parser: String
  /// The fault class, 1...6.
  var fault: Int
  /// The command line, without the program name.
  var arguments: [String]
  /// The files the command reads, by path relative to `{dir}`.
  var files: [String: FileContent]
  /// Standard error, without the `sparsity: ` that starts it and the newline that ends it.
  var error: String
  /// `SPARSITY_MEMORY_LIMIT`, nil to leave the budget to the machine (and `ulimit -v`).
  var memoryLimit: String?
  /// True to run under `ulimit -v` (`BadInputTests.addressSpaceKiB`): for the bombs, which
  /// must be refused, not killed.
  var limitsAddressSpace: Bool

  init(
    _ parser: String, fault: Int, _ arguments: [String], files: [String: FileContent] = [:], error: String,
    memoryLimit: String? = nil, limitsAddressSpace: Bool = false
  ) {
    (self.parser, self.fault, self.arguments, self.files) = (parser, fault, arguments, files)
    (self.error, self.memoryLimit, self.limitsAddressSpace) = (error, memoryLimit, limitsAddressSpace)
  }

  /// The parser, the class and the command line, its control characters written out.
  var testDescription: String {
    let command = PrintableText.escaped(arguments.joined(separator: " "))
    return "\(parser), class \(fault): sparsity \(command)" + (limitsAddressSpace ? " (ulimit -v)" : "")
  }
}

@Suite struct BadInputTests {
  /// The address-space limit of the bombs: 3 GB, less than most of them would take.
  static let addressSpaceKiB = 3_000_000

  @Test(arguments: BadInput.arrayFiles + BadInput.compressedFiles + BadInput.imageFiles)
  func arrayAndImageFiles(_ input: BadInput) throws { try check(input) }

  @Test(arguments: BadInput.modelFiles + BadInput.planFiles)
  func modelsMetadataAndPlans(_ input: BadInput) throws { try check(input) }

  @Test(arguments: BadInput.options)
  func optionsThatAskForTooMuch(_ input: BadInput) throws { try check(input) }

  @Test(arguments: BadInput.soundFiles)
  func soundFilesAndOptions(_ input: BadInput) throws { try check(input) }

  @Test(arguments: BadInput.saeCases)
  func sparseAutoencoderFilesAndOptions(_ input: BadInput) throws { try check(input) }

  @Test(arguments: BadInput.newerCases)
  func newerSurfaces(_ input: BadInput) throws { try check(input) }

  @Test(arguments: BadInput.outputPaths + BadInput.controlCharacters)
  func outputPathsAndControlCharacters(_ input: BadInput) throws { try check(input) }

  /// Runs `input` in a fresh directory: exit status 2 (not a signal), exactly the expected line
  /// on standard error, nothing on standard output, and no file created or removed.
  private func check(_ input: BadInput) throws {
    let directory = try temporaryDirectory("sparsity-badinput")
    defer { try? FileManager.default.removeItem(at: directory) }
    try write(input.files, in: directory)
    let before = try listing(of: directory)
    let output = try SparsityExecutable.run(
      input.arguments.map { $0.replacingOccurrences(of: "{dir}", with: directory.path) },
      environment: [MemoryLimit.variable: input.memoryLimit],
      addressSpaceKiB: input.limitsAddressSpace ? Self.addressSpaceKiB : nil)
    #expect(!output.killedBySignal && output.status == 2, "status \(output.status): \(output.standardError)")
    let expected = "sparsity: " + input.error.replacingOccurrences(of: "{dir}", with: directory.path) + "\n"
    #expect(try Self.matches(output.standardError, expected), "stderr: \(output.standardError)")
    #expect(output.standardOutput.isEmpty, "stdout: \(output.standardOutput)")
    #expect(try listing(of: directory) == before, "the failed command left files behind")
  }

  /// True when `text` is `expected`, where `{budget}` in `expected` stands for a size and the
  /// machine limit it comes from, e.g. `2.62 GiB available (ulimit -v; SPARSITY_MEMORY_LIMIT
  /// overrides it)`.
  static func matches(_ text: String, _ expected: String) throws -> Bool {
    let parts = expected.components(separatedBy: "{budget}")
    guard parts.count == 2 else { return text == expected }
    guard text.hasPrefix(parts[0]), text.hasSuffix(parts[1]), text.count >= parts[0].count + parts[1].count else {
      return false
    }
    let budget = text.dropFirst(parts[0].count).dropLast(parts[1].count)
    let pattern = try Regex(
      #"[0-9.]+ (B|KiB|MiB|GiB|TiB) available \((ulimit -v|memory available|cgroup memory limit); "#
        + #"SPARSITY_MEMORY_LIMIT overrides it\)"#)
    return try pattern.wholeMatch(in: budget) != nil
  }

  /// Writes `files` under `directory`, creating folders on the way.
  private func write(_ files: [String: FileContent], in directory: URL) throws {
    for (name, content) in files {
      let url = directory.appendingPathComponent(name)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      switch content {
      case .bytes(let data): try data.write(to: url)
      case .fifo: guard mkfifo(url.path, 0o600) == 0 else { throw CocoaError(.fileWriteUnknown) }
      }
    }
  }

  /// Every path under `directory`, hidden files (a writer's temporaries) included, sorted.
  private func listing(of directory: URL) throws -> [String] {
    try FileManager.default.subpathsOfDirectory(atPath: directory.path).sorted()
  }

  /// Inputs that used to crash and are valid: a batch larger than the data is one batch of all
  /// of it (learn-dictionary and the fine-tuning of prune trapped on 2^63 - 1).
  @Test(arguments: [
    ["learn-dictionary", "--data", "digits", "--atoms", "8", "--epochs", "1", "--out", "{dir}/d.npy"],
    [
      "prune", "{dir}/model.safetensors", "--data", "digits", "--sparsity", "0.5", "--fine-tune-epochs", "1",
      "--out", "{dir}/pruned.safetensors",
    ],
  ])
  func aBatchLargerThanTheDataIsOneBatchOfAllOfIt(arguments: [String]) throws {
    let directory = try temporaryDirectory("sparsity-badinput")
    defer { try? FileManager.default.removeItem(at: directory) }
    try HostileFiles.model().write(to: directory.appendingPathComponent("model.safetensors"))
    let output = try SparsityExecutable.run(
      arguments.map { $0.replacingOccurrences(of: "{dir}", with: directory.path) } + ["--batch", "\(Int.max)"],
      environment: [:], addressSpaceKiB: Self.addressSpaceKiB)
    #expect(output.status == 0 && !output.killedBySignal, "\(output.standardError)")
  }
}

/// The memory budget's environment variable (`MemoryBudget.environmentVariable`) and the
/// fixed budget the cases that report memory use, so their messages do not depend on the machine.
enum MemoryLimit {
  static let variable = "SPARSITY_MEMORY_LIMIT"
  static let fixed = "1G"
  static let fixedText = "1.00 GiB the limit SPARSITY_MEMORY_LIMIT sets"
}
