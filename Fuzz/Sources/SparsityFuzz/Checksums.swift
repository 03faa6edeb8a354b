// Recomputing the checksums of mutated inputs (PNG chunk CRCs and stored zlib streams, stored
// zip entries' CRCs), so that the fuzzer's mutations reach the code behind the checksum checks.

import Foundation
import SparsityIO

/// Field access to a mutable input: little- and big-endian integers, bounds checked by callers.
extension UnsafeMutableBufferPointer<UInt8> {
  func littleEndian16(at offset: Int) -> Int { Int(self[offset]) | Int(self[offset + 1]) << 8 }
  func littleEndian32(at offset: Int) -> Int { littleEndian16(at: offset) | littleEndian16(at: offset + 2) << 16 }
  func bigEndian32(at offset: Int) -> Int { (0..<4).reduce(0) { $0 << 8 | Int(self[offset + $1]) } }

  func setLittleEndian32(_ value: UInt32, at offset: Int) {
    for i in 0..<4 { self[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) }
  }

  func setBigEndian32(_ value: UInt32, at offset: Int) {
    for i in 0..<4 { self[offset + i] = UInt8(truncatingIfNeeded: value >> (24 - 8 * i)) }
  }

  /// The CRC-32 of `range`, as gzip, zip and PNG compute it.
  func crc32(_ range: Range<Int>) -> UInt32 { Gzip.crc32(Data(self[range])) }
}

/// Checksum repair per format.
enum Checksums {
  /// Sets the CRC of every PNG chunk that lies wholly inside `bytes`, and the Adler-32 of an
  /// `IDAT` zlib stream made only of stored blocks (so mutated pixels stay a valid stream).
  static func repairPNG(_ bytes: UnsafeMutableBufferPointer<UInt8>) {
    var offset = 8
    while offset + 12 <= bytes.count {
      let length = bytes.bigEndian32(at: offset)
      guard length <= bytes.count - offset - 12 else { return }
      let data = (offset + 8)..<(offset + 8 + length)
      if Array(bytes[(offset + 4)..<(offset + 8)]) == Array("IDAT".utf8) { repairStoredZlib(bytes, data) }
      bytes.setBigEndian32(bytes.crc32((offset + 4)..<data.upperBound), at: data.upperBound)
      offset = data.upperBound + 4
    }
  }

  /// Sets the Adler-32 trailer of the zlib stream in `range` when its blocks are all stored
  /// (deflate block type 0, as `Gzip.compress(level: 0)` writes them) and fill the range.
  static func repairStoredZlib(_ bytes: UnsafeMutableBufferPointer<UInt8>, _ range: Range<Int>) {
    var at = range.lowerBound + 2
    var content = [UInt8]()
    while at + 5 <= range.upperBound, bytes[at] & 0b110 == 0 {
      let length = bytes.littleEndian16(at: at + 1)
      guard at + 5 + length <= range.upperBound else { return }
      content += bytes[(at + 5)..<(at + 5 + length)]
      let final = bytes[at] & 1 == 1
      at += 5 + length
      if final { break }
    }
    guard at + 4 == range.upperBound else { return }
    bytes.setBigEndian32(adler32(content), at: at)
  }

  /// The Adler-32 checksum of `bytes` (RFC 1950, section 8.2).
  static func adler32(_ bytes: [UInt8]) -> UInt32 {
    var (a, b): (UInt32, UInt32) = (1, 0)
    for byte in bytes {
      a = (a + UInt32(byte)) % 65521
      b = (b + a) % 65521
    }
    return b << 16 | a
  }

  /// Sets the CRC-32 of every stored (method 0) zip entry, in its central directory record and
  /// its local header, when the directory, the header and the data all lie inside `bytes`.
  static func repairZip(_ bytes: UnsafeMutableBufferPointer<UInt8>) {
    guard bytes.count >= 22,
      let end = stride(from: bytes.count - 22, through: 0, by: -1).first(where: {
        bytes.littleEndian32(at: $0) == 0x0605_4B50
      })
    else { return }
    var position = bytes.littleEndian32(at: end + 16)
    for _ in 0..<bytes.littleEndian16(at: end + 10) {
      guard position + 46 <= bytes.count, bytes.littleEndian32(at: position) == 0x0201_4B50 else { return }
      let size = bytes.littleEndian32(at: position + 24)
      let local = bytes.littleEndian32(at: position + 42)
      if bytes.littleEndian16(at: position + 10) == 0, bytes.littleEndian32(at: position + 20) == size,
        local + 30 <= bytes.count, bytes.littleEndian32(at: local) == 0x0403_4B50
      {
        let start = local + 30 + bytes.littleEndian16(at: local + 26) + bytes.littleEndian16(at: local + 28)
        if start + size <= bytes.count {
          let crc = bytes.crc32(start..<(start + size))
          bytes.setLittleEndian32(crc, at: position + 16)
          bytes.setLittleEndian32(crc, at: local + 14)
        }
      }
      // Past the record: its fixed 46 bytes, then its name, extra field and comment.
      position += 46 + [28, 30, 32].reduce(0) { $0 + bytes.littleEndian16(at: position + $1) }
    }
  }
}
