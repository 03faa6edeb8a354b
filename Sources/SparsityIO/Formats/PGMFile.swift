// Reading and writing Netpbm gray maps (.pgm), binary P5 and plain-text P2.

import Foundation
import SparsityCore

/// Netpbm portable gray map files.
///
/// Layout: the magic `P5` (binary) or `P2` (plain text), then width, height and maxval
/// (1...65535) as decimal numbers separated by whitespace, where `#` starts a comment running to
/// the end of the line. P5 follows with exactly one whitespace byte and `width * height` samples
/// of one byte (maxval < 256) or two big-endian bytes; P2 follows with decimal samples. Samples
/// are scaled by `1 / maxval`. Only the first image of a multi-image file is read.
///
/// Reference: http://netpbm.sourceforge.net/doc/pgm.html
public enum PGMFile {
  /// Reads the PGM file at `url`.
  /// - Throws: `ArrayFileError` naming the file and the problem.
  /// - Complexity: O(file size).
  public static func read(contentsOf url: URL) throws(ArrayFileError) -> GrayImage {
    try decode(ArrayFileAccess.contents(of: url), file: url.relativePath)
  }

  /// Writes `image` as an 8-bit binary (P5) gray map, atomically.
  /// - Throws: `ArrayFileError.unwritable` naming the file.
  public static func write(_ image: GrayImage, to url: URL) throws(ArrayFileError) {
    try ArrayFileAccess.write(encode(image), to: url)
  }

  /// The bytes of an 8-bit binary (P5) gray map holding `image`.
  public static func encode(_ image: GrayImage) -> Data {
    Data("P5\n\(image.width) \(image.height)\n255\n".utf8) + Data(image.bytes)
  }

  /// True when `bytes` starts with the P5 or P2 magic.
  static func hasMagic<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
    bytes.starts(with: Array("P5".utf8)) || bytes.starts(with: Array("P2".utf8))
  }

  /// Decodes the bytes of a P5 or P2 file; `file` names it in errors.
  /// - Throws: `ArrayFileError.malformedImage` for a wrong magic, a malformed header, too few
  ///   samples, or a sample above maxval.
  public static func decode(_ data: Data, file: String) throws(ArrayFileError) -> GrayImage {
    var scanner = PGMScanner(bytes: [UInt8](data), file: file)
    guard hasMagic(scanner.bytes) else {
      let start = String(decoding: scanner.bytes.prefix(2), as: UTF8.self).debugDescription
      throw .malformedImage(file: file, detail: "not a PGM file: it starts with \(start), not P5 or P2")
    }
    let binary = scanner.bytes[1] == UInt8(ascii: "5")
    scanner.position = 2
    let width = try scanner.integer(named: "width", in: 1...GrayImage.maximumPixels)
    let height = try scanner.integer(named: "height", in: 1...GrayImage.maximumPixels)
    let maxval = try scanner.integer(named: "maxval", in: 1...65535)
    try GrayImage.checkSize(width: width, height: height, file: file)
    let count = width * height
    // Each sample takes at least one byte (P5) or a digit and a separator (P2): a header that
    // promises more than the file holds is cut short here, before anything is allocated.
    if binary { try scanner.checkBinaryRoom(count: count, wide: maxval > 255) }
    let room = scanner.bytes.count - scanner.position
    guard binary || count <= (room + 1) / 2 else {
      throw .malformedImage(
        file: file,
        detail:
          "truncated: \(width)x\(height) samples need at least \(ArrayFileError.grouped(2 * count - 1)) bytes of text"
          + " but only \(ArrayFileError.grouped(room)) follow the header")
    }
    try ArrayFileError.checkMemory(
      .floats(count) + .elements([count], bytes: MemoryLayout<Int>.stride), file: file,
      for: "a \(width)x\(height) image")
    let samples =
      binary
      ? try scanner.binarySamples(count: count, wide: maxval > 255)
      : try scanner.textSamples(count: count, maxval: maxval)
    if let (index, value) = samples.enumerated().first(where: { $0.element > maxval }) {
      throw .malformedImage(
        file: file,
        detail: "sample \(index) (row \(index / width), column \(index % width)) is \(value), above maxval \(maxval)")
    }
    let maximum = Float(maxval)  // divide, so sample k becomes exactly k / maxval
    return GrayImage(width: width, height: height, pixels: samples.map { Float($0) / maximum })
  }
}

/// A cursor over the bytes of a PGM file that reads header numbers and samples.
struct PGMScanner {
  let bytes: [UInt8]
  let file: String
  var position = 0

  /// Skips whitespace and `#` comments (to the end of the line).
  mutating func skipSpaceAndComments() {
    while position < bytes.count {
      if bytes[position] == UInt8(ascii: "#") {
        while position < bytes.count && bytes[position] != 0x0A && bytes[position] != 0x0D { position += 1 }
      } else if Self.isSpace(bytes[position]) {
        position += 1
      } else {
        return
      }
    }
  }

  /// The next decimal number, which must lie in `range`; `name` describes it in errors.
  mutating func integer(named name: String, in range: ClosedRange<Int>) throws(ArrayFileError) -> Int {
    skipSpaceAndComments()
    let start = position
    var value = 0
    while position < bytes.count, (0x30...0x39).contains(bytes[position]), value <= 1 << 40 {
      value = value * 10 + Int(bytes[position] - 0x30)
      position += 1
    }
    guard position > start else {
      let found =
        position < bytes.count ? "'\(String(decoding: [bytes[position]], as: UTF8.self))'" : "the end of the file"
      throw .malformedImage(
        file: file, detail: "expected the \(name) (a decimal number) at byte \(start), found \(found)")
    }
    guard range.contains(value),
      position == bytes.count || Self.isSpace(bytes[position]) || bytes[position] == UInt8(ascii: "#")
    else {
      throw .malformedImage(
        file: file, detail: "the \(name) at byte \(start) is not a number in \(range.lowerBound)...\(range.upperBound)")
    }
    return value
  }

  /// Throws unless the file holds `count` binary samples after the single whitespace byte that
  /// ends the header (at `position`).
  func checkBinaryRoom(count: Int, wide: Bool) throws(ArrayFileError) {
    let size = wide ? 2 : 1
    let available = max(0, bytes.count - position - 1)
    guard available >= count * size else {
      throw .malformedImage(
        file: file,
        detail: "truncated: \(count) samples need \(ArrayFileError.grouped(count * size)) bytes"
          + " but only \(ArrayFileError.grouped(available)) follow the header")
    }
  }

  /// `count` binary samples after the single whitespace byte that ends the header.
  mutating func binarySamples(count: Int, wide: Bool) throws(ArrayFileError) -> [Int] {
    try checkBinaryRoom(count: count, wide: wide)
    position += 1  // the one whitespace byte after maxval (checked by `integer`)
    return (0..<count).map { i in
      wide ? Int(bytes[position + 2 * i]) << 8 | Int(bytes[position + 2 * i + 1]) : Int(bytes[position + i])
    }
  }

  /// `count` plain-text (P2) samples, each at most `maxval`.
  mutating func textSamples(count: Int, maxval: Int) throws(ArrayFileError) -> [Int] {
    var samples = [Int]()
    samples.reserveCapacity(count)
    for i in 0..<count {
      skipSpaceAndComments()
      guard position < bytes.count else {
        throw .malformedImage(file: file, detail: "truncated: the file ends after \(i) of \(count) samples")
      }
      samples.append(try integer(named: "sample \(i)", in: 0...maxval))
    }
    return samples
  }

  /// Netpbm whitespace: blank, tab, CR, LF, vertical tab, form feed.
  static func isSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || (0x09...0x0D).contains(byte)
  }
}
