// Files for the tests: a fresh temporary directory, a seeded image to draw patches from, and the
// fuzzers' corpus.

import Foundation
import SparsityCore
import SparsityIO

/// A fresh, empty temporary directory whose name starts with `prefix`; the caller removes it.
public func temporaryDirectory(_ prefix: String) throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// A seeded `size` x `size` image: a diagonal gradient plus Gaussian noise, clipped to 0...1.
public func gradientImage(size: Int, seed: UInt64 = 7) -> GrayImage {
  var generator = Xoshiro256StarStar(seed: seed)
  var pixels = [Float]()
  for row in 0..<size {
    for column in 0..<size {
      let gradient = Float(row + column) / Float(2 * size)
      pixels.append(min(1, max(0, 0.8 * gradient + 0.1 + 0.05 * generator.normal())))
    }
  }
  return GrayImage(width: size, height: size, pixels: pixels)
}

/// A file of the fuzzers' checked-in corpus, `Fuzz/Corpus/<path>` (such as
/// `idx/crash-no-images-too-large.idx3`): inputs that once crashed a parser, kept as tests.
public func fuzzCorpusFile(_ path: String) -> URL {
  URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fuzz/Corpus/\(path)")
}
