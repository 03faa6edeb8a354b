// The temporary files of atomic writes: their names, which say whose they are, and the removal of
// those whose writer was killed.

import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The names of the temporary files written beside one destination:
/// `.<name>.sparsity-<pid>-<8 hex digits>.tmp`, hidden, naming the destination and the process
/// that wrote it, so that a temporary left by a killed writer can be told apart from anyone
/// else's file and from the temporary of a write still under way.
struct AtomicFileTemporaries {
  /// What every temporary of this destination starts with: `.` + name + `.sparsity-`.
  let prefix: String

  /// The longest part of the destination's name, in UTF-8 bytes, that goes into a temporary's
  /// name, so that the whole stays under the usual limit of 255 bytes.
  static let nameBytes = 200

  /// The temporaries of the destination called `name` (its last path component).
  init(for name: String) {
    var kept = ""
    var bytes = 0
    for scalar in name.unicodeScalars {
      bytes += UTF8.width(scalar)
      guard bytes <= Self.nameBytes else { break }
      kept.unicodeScalars.append(scalar)
    }
    prefix = "." + kept + ".sparsity-"
  }

  /// A fresh name for a temporary of process `process`.
  func name(process: pid_t = getpid()) -> String {
    let random = String(UInt32.random(in: .min ... .max), radix: 16)
    return prefix + "\(process)-" + String(repeating: "0", count: 8 - random.count) + random + ".tmp"
  }

  /// The process that wrote the temporary `entry`, or nil when `entry` is not a temporary of
  /// this destination. Compared byte for byte, as the file system compares names.
  func process(of entry: String) -> pid_t? {
    guard entry.utf8.starts(with: prefix.utf8), entry.utf8.count > prefix.utf8.count + 4,
      entry.utf8.suffix(4).elementsEqual(".tmp".utf8)
    else { return nil }
    let middle = entry.utf8.dropFirst(prefix.utf8.count).dropLast(4)
    let parts = middle.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
    let digits = UInt8(ascii: "0")...UInt8(ascii: "9")
    let hex = Array("0123456789abcdef".utf8)
    guard parts.count == 2, (1...10).contains(parts[0].count), parts[0].allSatisfy(digits.contains),
      parts[1].count == 8, parts[1].allSatisfy(hex.contains),
      let process = pid_t(String(decoding: parts[0], as: UTF8.self)), process > 0
    else { return nil }
    return process
  }

  /// Removes the temporaries of this destination in `directory` (an open descriptor of the
  /// folder at `path`) whose writer no longer runs: those a writer killed between naming its
  /// file and renaming it left behind. Anyone else's files, the temporaries of live processes
  /// (this one included) and anything that is not a regular file are left alone. Best effort:
  /// a failure here does not stop the write.
  /// - Complexity: O(entries in the directory).
  func removeAbandoned(in directory: Int32, path: String) {
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
    for entry in entries {
      guard let process = process(of: entry), !Self.isRunning(process) else { continue }
      var status = stat()
      guard fstatat(directory, entry, &status, AT_SYMLINK_NOFOLLOW) == 0, status.st_mode & S_IFMT == S_IFREG else {
        continue
      }
      _ = unlinkat(directory, entry, 0)
    }
  }

  /// Whether process `process` exists (signal 0 checks without sending anything; a process of
  /// another user answers EPERM, which means it exists).
  static func isRunning(_ process: pid_t) -> Bool {
    kill(process, 0) == 0 || errno != ESRCH
  }
}
