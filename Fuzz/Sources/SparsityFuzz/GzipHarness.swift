// Gzip and zlib data: Gzip.decompress (bounded) and Gzip.decompressedPrefix.

import Foundation
import SparsityIO

/// `Gzip.decompress` and `Gzip.decompressedPrefix`: the content never passes the limit, and a
/// prefix is the start of the whole content whenever both decode.
enum GzipHarness: Harness {
  static let maximumLength = 4096
  static let entryPoints = "Gzip.decompress, Gzip.decompressedPrefix"
  /// The most content accepted: 256 times the longest input, well past typical ratios.
  static let limit = 1 << 20
  /// The prefix length asked for (an IDX3 header's 16 bytes, and more).
  static let prefixLength = 100

  static func run(_ data: Data) -> Bool {
    let whole = try? Gzip.decompress(data, file: "fuzz.gz", maximumBytes: limit)
    let prefix = try? Gzip.decompressedPrefix(data, file: "fuzz.gz", count: prefixLength)
    if let whole { precondition(whole.count <= limit, "Gzip.decompress passed its limit: \(whole.count) bytes") }
    if let prefix { precondition(prefix.count <= prefixLength, "decompressedPrefix gave \(prefix.count) bytes") }
    if let whole, let prefix {
      precondition(prefix == whole.prefix(prefixLength), "decompressedPrefix is not the start of the content")
    }
    return whole != nil || prefix != nil
  }

  static var seeds: [String: Data] {
    let text = Data(String(repeating: "sparsity 0123456789 ", count: 12).utf8)
    let member = Gzip.compress(text)
    return [
      "text.gz": member,
      "stored.gz": Gzip.compress(text, level: 0),
      "empty.gz": Gzip.compress(Data()),
      "two-members.gz": member + Gzip.compress(Data("second member".utf8)),
      "zero-padded.gz": member + Data(count: 16),
      "text.zlib": Gzip.compress(text, format: .zlib),
    ]
  }
}
