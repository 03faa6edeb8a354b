import Foundation
import Testing

#if os(Linux)
  import Glibc

  /// `kill -9` during a model write: the old file stays whole and nothing else appears beside it.
  @Suite struct KilledWriteTests {
    /// Waits until process `pid` has a file open in `folder` holding fewer than `limit` bytes
    /// (its write is under way) and kills it with SIGKILL there; false when the process ended
    /// first. Reads /proc/PID/fd: an unnamed file shows as `FOLDER/#INODE (deleted)`.
    private func killMidWrite(_ process: Process, folder: String, limit: Int) -> Bool {
      let descriptors = "/proc/\(process.processIdentifier)/fd"
      while process.isRunning {
        for descriptor in (try? FileManager.default.contentsOfDirectory(atPath: descriptors)) ?? [] {
          let path = "\(descriptors)/\(descriptor)"
          guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path),
            target.hasPrefix(folder + "/")
          else { continue }
          var status = stat()
          guard stat(path, &status) == 0, status.st_size < limit else { continue }
          return kill(process.processIdentifier, SIGKILL) == 0
        }
        usleep(200)
      }
      return false
    }

    /// Whether the file system of `folder` makes unnamed files (O_TMPFILE: ext4, XFS, Btrfs, tmpfs).
    private func unnamedFilesWork(in folder: String) -> Bool {
      let descriptor = open(folder, 0o20_000_000 | O_DIRECTORY | O_WRONLY | O_CLOEXEC, 0o600)
      if descriptor >= 0 { close(descriptor) }
      return descriptor >= 0
    }

    /// A ~100 MB model (two hidden layers of 5,000 on a small CSV, one epoch), killed while its
    /// first half is being written; then a normal write to the same path.
    @Test func aWriterKilledMidWriteLeavesTheOldFileAndNothingElse() throws {
      guard let executable = SparsityExecutable.url else { throw SparsityExecutable.MissingExecutable() }
      let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
        "sparsity-kill-\(UUID().uuidString)")
      let folder = directory.appendingPathComponent("out")
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      defer { try? FileManager.default.removeItem(at: directory) }
      let csv = directory.appendingPathComponent("data.csv")
      let rows = (0..<40).map { i in "\(i % 2),\(Double(i % 2) * 3 + Double(i % 7) / 7),\(Double(i % 5) / 5)" }
      try rows.joined(separator: "\n").write(to: csv, atomically: true, encoding: .utf8)
      let model = folder.appendingPathComponent("model.safetensors")
      let old = Data("the old model".utf8)
      try old.write(to: model)
      let train = ["train", "--data", "csv:\(csv.path)", "--label-column", "0", "--scaling", "none", "--epochs", "1"]

      var killed: pid_t?
      for _ in 0..<3 where killed == nil {
        let process = Process()
        process.executableURL = executable
        process.arguments = train + ["--layers", "5000,5000", "--out", model.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        if killMidWrite(process, folder: folder.path, limit: 50_000_000) { killed = process.processIdentifier }
        process.waitUntilExit()
        if killed != nil {
          #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL)
        }
      }
      let writer = try #require(killed, "the write was never seen under way")
      #expect(try Data(contentsOf: model) == old)
      // Nothing beside it, or where the file system has no unnamed files, only the killed
      // writer's temporary, which the next write removes.
      let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
        $0 != "model.safetensors"
      }
      if unnamedFilesWork(in: folder.path) {
        #expect(leftovers.isEmpty)
      } else {
        #expect(leftovers.allSatisfy { $0.hasPrefix(".model.safetensors.sparsity-\(writer)-") }, "\(leftovers)")
      }

      let next = try SparsityExecutable.run(train + ["--layers", "8", "--out", model.path])
      #expect(next.status == 0, "\(next.standardError)")
      #expect(try Data(contentsOf: model) != old)
      #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["model.safetensors"])
    }
  }
#endif
