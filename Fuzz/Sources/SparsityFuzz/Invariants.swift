// What the harnesses share: bitwise equality, decoding what must decode, a scratch directory.

import Foundation
import SparsityCore

/// True when `a` and `b` hold the same floats bit for bit (NaN payloads and signed zeros included).
func sameBits(_ a: [Float], _ b: [Float]) -> Bool {
  a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
}

/// The value `decode` returns where a refusal is a bug: bytes the library itself wrote, or an
/// input another entry point already accepted. Traps naming `what` and the error otherwise.
func mustDecode<T, E: Error>(_ what: String, _ decode: () throws(E) -> T) -> T {
  do { return try decode() } catch { preconditionFailure("\(what) refuses what must decode: \(error)") }
}

/// A directory of this process's own under the temporary directory, created once, for the
/// harnesses whose parser reads files.
func processDirectory(_ name: String) -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent(
    "sparsity-fuzz-\(name)-\(ProcessInfo.processInfo.processIdentifier)")
  try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}
