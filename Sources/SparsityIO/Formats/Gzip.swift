// Gzip and zlib compression through the system zlib: the one file that talks to zlib.

import CZlib
import Foundation
import SparsityCore

/// Deflate compression in the gzip (RFC 1952) and zlib (RFC 1950) wrappers, and CRC-32.
///
/// Decompression detects the wrapper from the first bytes (zlib's `windowBits = 15 + 32`), reads
/// every member of a multi-member gzip file (what `cat a.gz b.gz` produces) and ignores zero
/// padding after the last member. Anything else, including a stream cut short, is an error
/// naming the file.
///
/// Reference: P. Deutsch, "DEFLATE Compressed Data Format Specification version 1.3", RFC 1951,
/// and "GZIP file format specification version 4.3", RFC 1952 (1996); https://zlib.net/manual.html
public enum Gzip {
  /// The wrapper around deflate data.
  public enum Format: Sendable, Equatable {
    /// A gzip file (RFC 1952): magic `1f 8b`, header, deflate data, CRC-32 and length.
    case gzip
    /// A zlib stream (RFC 1950): two header bytes, deflate data, Adler-32; used inside PNG.
    case zlib
  }

  /// Bytes read or written per zlib call.
  private static let chunkSize = 1 << 18

  /// True when `data` starts with the gzip magic bytes `1f 8b`.
  public static func isCompressed(_ data: Data) -> Bool {
    data.count >= 2 && data[data.startIndex] == 0x1F && data[data.startIndex + 1] == 0x8B
  }

  /// The decompressed content of gzip or zlib data (the wrapper is detected, not assumed).
  /// - Parameters:
  ///   - data: one or more gzip members, or one zlib stream.
  ///   - file: names the data in errors.
  ///   - maximumBytes: the most the content may hold, such as the size a file's header allows;
  ///     inflation stops as soon as it is passed, so a small file cannot inflate to gigabytes.
  /// - Throws: `ArrayFileError.corruptCompressedData` naming `file` for empty, corrupt or
  ///   truncated data (a bad header, a bad block, a CRC mismatch, a missing end);
  ///   `.inflatesPastLimit` for content larger than `maximumBytes`.
  /// - Complexity: O(compressed + decompressed size), at most `maximumBytes` plus one chunk held.
  public static func decompress(_ data: Data, file: String, maximumBytes: Int) throws(ArrayFileError) -> Data {
    try inflateLimited(data, file: file, limit: .maximum(maximumBytes))
  }

  /// The first `count` bytes of the content of gzip or zlib `data` (fewer when it is shorter),
  /// inflating no more than that: for reading a header that says how large the rest may be.
  /// - Throws: `ArrayFileError.corruptCompressedData` as `decompress` does.
  public static func decompressedPrefix(_ data: Data, file: String, count: Int) throws(ArrayFileError) -> Data {
    try inflateLimited(data, file: file, limit: .prefix(count))
  }

  /// Where inflation stops.
  private enum Limit {
    /// More than this many bytes is an error.
    case maximum(Int)
    /// This many bytes are all that is wanted.
    case prefix(Int)
  }

  private static func inflateLimited(_ data: Data, file: String, limit: Limit) throws(ArrayFileError) -> Data {
    guard !data.isEmpty else { throw .corruptCompressedData(file: file, detail: "there is no data (0 bytes)") }
    let result: Result<Data, ArrayFileError> = data.withUnsafeBytes { raw in
      Result { () throws(ArrayFileError) -> Data in try inflateMembers(raw, file: file, limit: limit) }
    }
    return try result.get()
  }

  /// `data` deflate-compressed in the gzip or zlib wrapper.
  /// - Parameters:
  ///   - data: the bytes to compress.
  ///   - format: `.gzip` for `.gz` files, `.zlib` for PNG image data.
  ///   - level: 0 (store) ... 9 (smallest); 6 is zlib's default balance.
  /// - Complexity: O(size).
  public static func compress(_ data: Data, format: Format = .gzip, level: Int = 6) -> Data {
    precondition((0...9).contains(level), "Gzip.compress: level \(level) is outside 0...9")
    var stream = z_stream()
    let windowBits: Int32 = format == .gzip ? 15 + 16 : 15
    let status = deflateInit2_(
      &stream, Int32(level), Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
      Int32(MemoryLayout<z_stream>.size))
    precondition(status == Z_OK, "Gzip.compress: deflateInit2 failed with code \(status)")
    defer { deflateEnd(&stream) }
    return data.withUnsafeBytes { raw in
      var output = Data()
      var chunk = [UInt8](repeating: 0, count: chunkSize)
      var consumed = 0
      var code = Z_OK
      while code != Z_STREAM_END {
        feed(&stream, from: raw, consumed: &consumed)
        let flush = consumed == raw.count ? Z_FINISH : Z_NO_FLUSH
        code = step(&stream, chunk: &chunk, into: &output) { deflate(&$0, flush) }
        precondition(
          code == Z_OK || code == Z_STREAM_END || code == Z_BUF_ERROR, "Gzip.compress: deflate failed with code \(code)"
        )
      }
      return output
    }
  }

  /// The CRC-32 of `data` (ISO 3309, as in gzip and PNG), continuing from `initial`.
  public static func crc32(_ data: Data, continuing initial: UInt32 = 0) -> UInt32 {
    data.withUnsafeBytes { raw in
      var crc = uLong(initial)
      var offset = 0
      while offset < raw.count {
        let length = min(raw.count - offset, Int(Int32.max))
        crc = CZlib.crc32(crc, raw.baseAddress!.assumingMemoryBound(to: Bytef.self) + offset, uInt(length))
        offset += length
      }
      return UInt32(crc)
    }
  }

  /// Inflates every member in `input`; zero padding after the last one is ignored.
  private static func inflateMembers(_ input: UnsafeRawBufferPointer, file: String, limit: Limit) throws(ArrayFileError)
    -> Data
  {
    var stream = z_stream()
    let status = inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
    precondition(status == Z_OK, "Gzip.decompress: inflateInit2 failed with code \(status)")
    defer { inflateEnd(&stream) }
    var output = Data()
    var chunk = [UInt8](repeating: 0, count: chunkSize)
    var consumed = 0
    var member = 1
    while true {
      feed(&stream, from: input, consumed: &consumed)
      let code = step(&stream, chunk: &chunk, into: &output) { inflate(&$0, Z_NO_FLUSH) }
      let position = consumed - Int(stream.avail_in)
      switch limit {
      case .prefix(let count) where output.count >= count: return output.prefix(count)
      case .maximum(let maximum) where output.count > maximum:
        throw .inflatesPastLimit(file: file, limit: maximum)
      default: break
      }
      switch code {
      case Z_OK:
        continue
      case Z_STREAM_END:
        if input[position...].allSatisfy({ $0 == 0 }) { return output }
        inflateReset(&stream)
        member += 1
      case Z_BUF_ERROR:
        throw .corruptCompressedData(
          file: file,
          detail: "truncated: the data ends after \(ArrayFileError.grouped(input.count)) bytes,"
            + " inside compressed member \(member) (\(ArrayFileError.grouped(output.count)) bytes decompressed so far)")
      default:
        let reason = stream.msg.map { String(cString: $0) } ?? "zlib error \(code)"
        throw .corruptCompressedData(
          file: file, detail: "\(reason) in compressed member \(member), near byte \(ArrayFileError.grouped(position))")
      }
    }
  }

  /// Points the stream at the next slice of `input` once it has used up the previous one.
  private static func feed(_ stream: inout z_stream, from input: UnsafeRawBufferPointer, consumed: inout Int) {
    guard stream.avail_in == 0, consumed < input.count else { return }
    let length = min(input.count - consumed, Int(Int32.max))
    stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress!.assumingMemoryBound(to: Bytef.self) + consumed)
    stream.avail_in = uInt(length)
    consumed += length
  }

  /// Runs one zlib call writing into the whole of `chunk`, then appends what it produced to `output`.
  private static func step(
    _ stream: inout z_stream, chunk: inout [UInt8], into output: inout Data, _ call: (inout z_stream) -> Int32
  ) -> Int32 {
    let (code, produced) = chunk.withUnsafeMutableBufferPointer { buffer in
      stream.next_out = buffer.baseAddress
      stream.avail_out = uInt(buffer.count)
      let code = call(&stream)
      let produced = buffer.count - Int(stream.avail_out)
      stream.next_out = nil
      return (code, produced)
    }
    output.append(contentsOf: chunk[0..<produced])
    return code
  }
}
