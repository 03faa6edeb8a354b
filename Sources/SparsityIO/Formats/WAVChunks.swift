// Finding the chunks of a RIFF/WAVE file: its header, the fmt chunk and the data chunk.

/// Where the two chunks a WAV file needs lie in its bytes, found by one walk over its chunks.
struct WAVChunks {
  /// The byte offset of the `fmt ` chunk's header, for messages.
  let formatOffset: Int
  /// The `fmt ` chunk's payload.
  let format: Range<Int>
  /// The byte offset of the `data` chunk's header, for messages.
  let dataOffset: Int
  /// The part of the `data` chunk's payload that the file holds.
  let data: Range<Int>
  /// The payload size the `data` chunk's header declares.
  let declaredDataBytes: Int

  /// True when the data chunk declares more bytes than the file holds.
  var isTruncated: Bool { declaredDataBytes > data.count }

  /// Chunk identifiers as little-endian `UInt32`s, compared without building strings.
  static let riff = fourCC("RIFF")
  static let wave = fourCC("WAVE")
  static let formatChunk = fourCC("fmt ")
  static let dataChunk = fourCC("data")

  /// Walks the chunks of the WAV file `raw` after its 12-byte RIFF header, in any order,
  /// skipping unknown ones (`LIST`, `fact`, ...) and the pad byte after an odd-sized chunk.
  ///
  /// The RIFF size field is not trusted (streaming writers leave it 0 or 0xFFFFFFFF): the walk
  /// goes to the end of the file. A `data` chunk that declares more bytes than remain is taken
  /// to run to the end of the file, and ends the walk; any other chunk that does ends it too
  /// (a `fmt ` chunk is then an error); fewer than 8 bytes left over are ignored.
  /// - Throws: `ArrayFileError.malformedSound` or `.unsupportedSound` for a header that is not
  ///   RIFF/WAVE, a missing or repeated `fmt ` or `data` chunk, or a cut-off `fmt ` chunk.
  /// - Complexity: O(number of chunks), no allocation.
  static func locate(in raw: UnsafeRawBufferPointer, file: String) throws(ArrayFileError) -> WAVChunks {
    try checkRIFFHeader(raw, file: file)
    var format: (offset: Int, payload: Range<Int>)?
    var data: (offset: Int, payload: Range<Int>, declared: Int)?
    var stop = ""  // why the walk ended before the end of the file, for a missing chunk's message
    var offset = 12
    while raw.count - offset >= 8 {
      let id = raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian
      let declared = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)))
      let start = offset + 8
      let available = raw.count - start
      if id == dataChunk {
        if let data { throw repeated("data", at: offset, first: data.offset, file: file) }
        data = (offset, start..<(start + min(declared, available)), declared)
        if declared > available { break }  // cut short: the rest of the file is data
      } else if declared > available {
        let sizes =
          "declares \(ArrayFileError.grouped(declared)) bytes but only \(ArrayFileError.grouped(available)) remain"
        guard id != formatChunk else {
          throw .malformedSound(file: file, detail: "truncated: the 'fmt ' chunk at byte \(offset) \(sizes)")
        }
        stop = " (the last chunk, \(name(raw, at: offset)) at byte \(offset), \(sizes))"
        break
      } else if id == formatChunk {
        if let format { throw repeated("fmt ", at: offset, first: format.offset, file: file) }
        format = (offset, start..<(start + declared))
      }
      // declared <= available here, so start + declared <= raw.count: no overflow.
      offset = start + declared + (declared & 1)
    }
    guard let format else { throw .malformedSound(file: file, detail: "no fmt chunk\(stop)") }
    guard let data else { throw .malformedSound(file: file, detail: "no data chunk\(stop)") }
    return WAVChunks(
      formatOffset: format.offset, format: format.payload, dataOffset: data.offset, data: data.payload,
      declaredDataBytes: data.declared)
  }

  /// Throws unless `raw` starts with `RIFF`, a size and `WAVE`.
  private static func checkRIFFHeader(_ raw: UnsafeRawBufferPointer, file: String) throws(ArrayFileError) {
    guard raw.count >= 4 else {
      let size = raw.isEmpty ? "the file is empty" : "the file has only \(raw.count) bytes"
      throw .malformedSound(file: file, detail: "not a WAV file: \(size)")
    }
    switch name(raw, at: 0) {
    case "'RIFF'": break
    case "'RF64'", "'BW64'":
      throw .unsupportedSound(
        file: file, detail: "\(name(raw, at: 0)) (64-bit sizes, for sound over 4 GiB) is not read; split the sound")
    case "'RIFX'": throw .unsupportedSound(file: file, detail: "big-endian 'RIFX' files are not read")
    default: throw .malformedSound(file: file, detail: "not a WAV file: it starts with \(name(raw, at: 0)), not 'RIFF'")
    }
    guard raw.count >= 12 else {
      throw .malformedSound(
        file: file, detail: "truncated: the file ends after \(raw.count) bytes, inside the 12-byte RIFF header")
    }
    guard raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self).littleEndian == wave else {
      throw .malformedSound(file: file, detail: "a RIFF file of form \(name(raw, at: 8)), not 'WAVE'")
    }
  }

  /// The error for a second `fmt ` or `data` chunk: which one to use would be a guess.
  private static func repeated(_ id: String, at offset: Int, first: Int, file: String) -> ArrayFileError {
    .malformedSound(file: file, detail: "a second '\(id)' chunk at byte \(offset) (the first is at byte \(first))")
  }

  /// The four bytes at `offset` quoted, printable ASCII as it is and other bytes as `\xHH`:
  /// `'data'`, `'\x00\x01ab'`.
  static func name(_ raw: UnsafeRawBufferPointer, at offset: Int) -> String {
    var text = "'"
    for byte in raw[offset..<(offset + 4)] {
      if (0x20...0x7E).contains(byte) && byte != UInt8(ascii: "'") && byte != UInt8(ascii: "\\") {
        text.unicodeScalars.append(Unicode.Scalar(byte))
      } else {
        let hex = String(byte, radix: 16, uppercase: true)
        text += (hex.count == 1 ? "\\x0" : "\\x") + hex
      }
    }
    return text + "'"
  }

  /// The little-endian `UInt32` of a four-character code: "data" -> 0x6174_6164.
  private static func fourCC(_ text: String) -> UInt32 {
    Array(text.utf8).reversed().reduce(0) { $0 << 8 | UInt32($1) }
  }
}
