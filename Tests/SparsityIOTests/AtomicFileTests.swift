import Foundation
import Testing

@testable import SparsityIO

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Every test runs both ways a file can reach its folder: unnamed first (O_TMPFILE on Linux),
/// and named from the start (the fallback, and what other systems always do).
@Suite struct AtomicFileTests {
  static let methods: [AtomicFile.Method] = [.unnamedWherePossible, .named]

  private func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("atomicfile-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
    return url
  }

  private func entries(_ directory: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
  }

  /// The permission bits of the file at `path`.
  private func mode(_ path: String) -> mode_t {
    var status = stat()
    return stat(path, &status) == 0 ? status.st_mode & 0o7777 : 0
  }

  /// The pid of a process that has finished (and been waited for), so no process has it.
  private func finishedProcess() throws -> pid_t {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "exit 0"]
    try process.run()
    process.waitUntilExit()
    return process.processIdentifier
  }

  @Test(arguments: methods) func replacesTheContentAndLeavesNoTemporary(method: AtomicFile.Method) throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("model.npy")
    try AtomicFile.write(Data("old".utf8), to: url, method: method)
    let large = Data((0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
    try AtomicFile.write(large, to: url, method: method)
    #expect(try Data(contentsOf: url) == large)
    try AtomicFile.write(Data(), to: url, method: method)
    #expect(try Data(contentsOf: url).isEmpty)
    #expect(try entries(directory) == ["model.npy"])
  }

  /// The result has a new file's mode (0666 less the umask), also when it replaces a file of
  /// another mode, as Foundation's atomic write gives on Linux.
  @Test(arguments: methods) func theFileHasTheModeOfANewFile(method: AtomicFile.Method) throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let reference = directory.appendingPathComponent("reference").path
    let descriptor = open(reference, O_WRONLY | O_CREAT | O_EXCL, 0o666)
    try #require(descriptor >= 0)
    close(descriptor)
    let url = directory.appendingPathComponent("plan.json")
    try AtomicFile.write(Data("{}".utf8), to: url, method: method)
    #expect(mode(url.path) == mode(reference))
    chmod(url.path, 0o600)
    try AtomicFile.write(Data("{}".utf8), to: url, method: method)
    #expect(mode(url.path) == mode(reference))
  }

  /// A temporary of this naming for this destination whose process is gone is removed; anyone
  /// else's files, a live process's temporary and another destination's are left alone.
  @Test(arguments: methods) func removesOnlyTheAbandonedTemporariesOfItsDestination(method: AtomicFile.Method) throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let gone = try finishedProcess()
    let abandoned = ".model.safetensors.sparsity-\(gone)-0badf00d.tmp"
    let kept = [
      ".model.safetensors.sparsity-\(getpid())-0badf00d.tmp",  // a write under way in this process
      ".other.safetensors.sparsity-\(gone)-0badf00d.tmp",  // another destination's
      ".model.safetensors.sparsity-\(gone)-0badf00d.tmp.keep",
      ".model.safetensors.sparsity-\(gone)-0BADF00D.tmp",
      ".model.safetensors.sparsity-\(gone).tmp",
      ".model.safetensors.tmp",
      ".dat.nosync1a2b.x7Yz3Q",  // Foundation's
      "model.safetensors~",
    ]
    for name in [abandoned] + kept { try Data("x".utf8).write(to: directory.appendingPathComponent(name)) }
    let folder = ".model.safetensors.sparsity-\(gone)-12345678.tmp"
    try FileManager.default.createDirectory(
      at: directory.appendingPathComponent(folder), withIntermediateDirectories: false)
    try AtomicFile.write(Data("new".utf8), to: directory.appendingPathComponent("model.safetensors"), method: method)
    #expect(try entries(directory) == (kept + [folder, "model.safetensors"]).sorted())
  }

  @Test func temporaryNamesSayWhoseTheyAre() {
    let temporaries = AtomicFileTemporaries(for: "model.safetensors")
    let name = temporaries.name(process: 4321)
    #expect(name.hasPrefix(".model.safetensors.sparsity-4321-") && name.hasSuffix(".tmp"))
    #expect(name.utf8.count == ".model.safetensors.sparsity-4321-".utf8.count + 8 + 4)
    #expect(temporaries.process(of: name) == 4321)
    #expect(AtomicFileTemporaries(for: "model").process(of: name) == nil)
    for other in [
      ".model.safetensors.sparsity--0badf00d.tmp", ".model.safetensors.sparsity-+12-0badf00d.tmp",
      ".model.safetensors.sparsity-0-0badf00d.tmp", ".model.safetensors.sparsity-12-0badf00.tmp",
      ".model.safetensors.sparsity-12-0badf00d-1.tmp", ".model.safetensors.sparsity-99999999999-0badf00d.tmp",
    ] {
      #expect(temporaries.process(of: other) == nil, "\(other)")
    }
    // A long name is cut at a character boundary, so a temporary's name stays under 255 bytes.
    let long = String(repeating: "é", count: 127) + ".npy"
    let longName = AtomicFileTemporaries(for: long).name(process: .max)
    #expect(longName.utf8.count <= 255)
    #expect(AtomicFileTemporaries(for: long).process(of: longName) == .max)
  }

  @Test(arguments: methods) func writesALongNameAndCleansUpAfterIt(method: AtomicFile.Method) throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let name = String(repeating: "w", count: 250) + ".npy"
    try AtomicFile.write(Data("long".utf8), to: directory.appendingPathComponent(name), method: method)
    #expect(try entries(directory) == [name])
  }

  /// A destination that exists but is not a regular file is refused at once, and left as it is:
  /// a folder, a FIFO (which must not block the writer) and, through a link, /dev/null.
  @Test(arguments: methods) func refusesADestinationThatIsNotARegularFile(method: AtomicFile.Method) throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let folder = directory.appendingPathComponent("out.npy")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
    #expect(throws: AtomicFileError(file: folder.path, reason: "is a directory")) {
      try AtomicFile.write(Data("x".utf8), to: folder, method: method)
    }
    let fifo = directory.appendingPathComponent("fifo.npy")
    try #require(mkfifo(fifo.path, 0o644) == 0)
    #expect(throws: AtomicFileError(file: fifo.path, reason: "is a FIFO, not a regular file")) {
      try AtomicFile.write(Data("x".utf8), to: fifo, method: method)
    }
    let null = directory.appendingPathComponent("null.npy")
    try FileManager.default.createSymbolicLink(atPath: null.path, withDestinationPath: "/dev/null")
    #expect(throws: AtomicFileError(file: null.path, reason: "is a character device, not a regular file")) {
      try AtomicFile.write(Data("x".utf8), to: null, method: method)
    }
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: null.path) == "/dev/null")
    #expect(mode(fifo.path) != 0)
    #expect(try entries(directory) == ["fifo.npy", "null.npy", "out.npy"])
  }

  /// A symbolic link to a regular file is replaced by the new file; its target is untouched.
  @Test(arguments: methods) func replacesALinkToARegularFile(method: AtomicFile.Method) throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let target = directory.appendingPathComponent("target.json")
    try Data("target".utf8).write(to: target)
    let link = directory.appendingPathComponent("link.json")
    try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: target.path)
    try AtomicFile.write(Data("new".utf8), to: link, method: method)
    #expect(try Data(contentsOf: target) == Data("target".utf8))
    #expect(try Data(contentsOf: link) == Data("new".utf8))
    #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link.path)) == nil)
  }

  @Test(arguments: methods) func aMissingFolderIsNamed(method: AtomicFile.Method) throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let missing = URL(fileURLWithPath: "/nonexistent-dir/model.npy")
    #expect(
      throws: AtomicFileError(file: "/nonexistent-dir/model.npy", reason: "directory /nonexistent-dir does not exist")
    ) { try AtomicFile.write(Data("x".utf8), to: missing, method: method) }
    let file = directory.appendingPathComponent("file")
    try Data("x".utf8).write(to: file)
    let below = file.appendingPathComponent("model.npy")
    #expect(throws: AtomicFileError(file: below.path, reason: "\(file.path) is not a directory")) {
      try AtomicFile.write(Data("x".utf8), to: below, method: method)
    }
    #expect(
      AtomicFileError(file: "m.npy", reason: "permission denied").description
        == "m.npy: cannot write: permission denied")
    #expect(AtomicFileError(file: "m.npy", errno: ENOSPC).reason == "no space left on device")
  }

  /// Writers racing on one destination: the last rename wins whole, nothing is left over.
  @Test(arguments: methods) func concurrentWritersLeaveOneWholeFile(method: AtomicFile.Method) async throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("race.bin")
    let contents = (0..<8).map { Data(repeating: UInt8($0), count: 200_000 + $0) }
    try await withThrowingTaskGroup(of: Void.self) { group in
      for content in contents { group.addTask { try AtomicFile.write(content, to: url, method: method) } }
      try await group.waitForAll()
    }
    #expect(contents.contains(try Data(contentsOf: url)))
    #expect(try entries(directory) == ["race.bin"])
  }
}
