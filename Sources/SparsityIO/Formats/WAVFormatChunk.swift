// Reading a WAV file's fmt chunk: PCM, IEEE float and WAVE_FORMAT_EXTENSIBLE.

/// How the samples of a WAV file are laid out, as its `fmt ` chunk says, checked.
struct WAVFormatChunk {
  /// The sample container.
  let encoding: WAVEncoding
  /// The bits of each container that carry the signal (the most significant ones).
  let validBits: Int
  /// Samples per frame, 1...`WAVFile.maximumChannelCount`.
  let channelCount: Int
  /// Frames per second, 1...`WAVFile.maximumSampleRate`.
  let sampleRate: Int

  /// The bytes of one frame, the chunk's block align.
  var bytesPerFrame: Int { channelCount * encoding.bytesPerSample }

  /// Bytes 2...15 of the sub-format GUIDs `0000xxxx-0000-0010-8000-00AA00389B71` of
  /// WAVE_FORMAT_EXTENSIBLE, whose first two bytes are a format tag (1 PCM, 3 float).
  static let guidTail: [UInt8] = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71]

  /// Names of common format tags this reader does not decode, for its messages.
  static let tagNames: [Int: String] = [
    0x0002: "Microsoft ADPCM", 0x0006: "A-law", 0x0007: "mu-law", 0x0011: "IMA ADPCM", 0x0031: "GSM 6.10",
    0x0050: "MPEG", 0x0055: "MP3", 0x0161: "WMA", 0x1610: "AAC", 0xF1AC: "FLAC",
  ]

  /// Reads the payload `fmt` of the chunk at byte `offset` (for messages).
  ///
  /// Format tag 1 (PCM) takes 1 to 32 bits in containers of whole bytes (12 bits in 16-bit
  /// containers); tag 3 (IEEE float) 32 or 64 bits; tag 0xFFFE (WAVE_FORMAT_EXTENSIBLE) either,
  /// by its sub-format GUID, with the container size in `wBitsPerSample` and the valid bits
  /// (0 meaning all) in the extension. Block align must be channels x container bytes. The
  /// byte rate field, which no decoder needs, is not checked.
  /// - Throws: `ArrayFileError.malformedSound` or `.unsupportedSound` naming the field.
  init(parsing fmt: UnsafeRawBufferPointer, offset: Int, file: String) throws(ArrayFileError) {
    guard fmt.count >= 16 else {
      throw .malformedSound(
        file: file,
        detail: "the fmt chunk at byte \(offset) has \(fmt.count) bytes, fewer than the 16 of its fixed fields")
    }
    let channels = Self.field16(fmt, 2)
    let rate = Int(UInt32(littleEndian: fmt.loadUnaligned(fromByteOffset: 4, as: UInt32.self)))
    let blockAlign = Self.field16(fmt, 12)
    let (encoding, validBits) = try Self.sampleType(fmt, file: file)
    try Self.checkRanges(channels: channels, rate: rate, file: file)
    guard blockAlign == channels * encoding.bytesPerSample else {
      throw .malformedSound(
        file: file,
        detail: "block align is \(blockAlign) bytes, but a frame of \(channels) \(encoding) samples takes"
          + " \(channels * encoding.bytesPerSample)")
    }
    self.init(encoding: encoding, validBits: validBits, channelCount: channels, sampleRate: rate)
  }

  /// A layout known to be valid (the writer's).
  init(encoding: WAVEncoding, validBits: Int, channelCount: Int, sampleRate: Int) {
    self.encoding = encoding
    self.validBits = validBits
    self.channelCount = channelCount
    self.sampleRate = sampleRate
  }

  /// The little-endian `UInt16` at `offset`.
  private static func field16(_ fmt: UnsafeRawBufferPointer, _ offset: Int) -> Int {
    Int(UInt16(littleEndian: fmt.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
  }

  /// The container and valid bits that the format tag and bits per sample describe.
  private static func sampleType(
    _ fmt: UnsafeRawBufferPointer, file: String
  ) throws(ArrayFileError) -> (WAVEncoding, validBits: Int) {
    let tag = field16(fmt, 0)
    let bits = field16(fmt, 14)
    guard bits > 0 else { throw .malformedSound(file: file, detail: "0 bits per sample") }
    switch tag {
    case 1:
      guard bits <= 32, let encoding = WAVEncoding(bytes: (bits + 7) / 8, isFloat: false) else {
        throw .unsupportedSound(file: file, detail: "\(bits)-bit PCM; this reader decodes 1 to 32 bits")
      }
      return (encoding, bits)
    case 3:
      guard let encoding = WAVEncoding(bytes: bits / 8, isFloat: true), bits % 8 == 0 else {
        throw .unsupportedSound(file: file, detail: "\(bits)-bit IEEE float; this reader decodes 32 and 64 bits")
      }
      return (encoding, bits)
    case 0xFFFE:
      return try extensibleType(fmt, bits: bits, file: file)
    default:
      let name = tagNames[tag].map { " (\($0))" } ?? ""
      throw .unsupportedSound(
        file: file,
        detail: "format tag \(hex(tag))\(name); this reader decodes PCM (1), IEEE float (3)"
          + " and WAVE_FORMAT_EXTENSIBLE (0xFFFE) holding either")
    }
  }

  /// The container and valid bits of a WAVE_FORMAT_EXTENSIBLE chunk, whose container size is
  /// `bits`.
  private static func extensibleType(
    _ fmt: UnsafeRawBufferPointer, bits: Int, file: String
  ) throws(ArrayFileError) -> (WAVEncoding, validBits: Int) {
    let extensionSize = fmt.count >= 18 ? field16(fmt, 16) : 0
    guard fmt.count >= 40, extensionSize >= 22 else {
      throw .malformedSound(
        file: file,
        detail: "a WAVE_FORMAT_EXTENSIBLE fmt chunk of \(fmt.count) bytes with a \(extensionSize)-byte extension;"
          + " it needs at least 40 bytes and a 22-byte extension")
    }
    let subformat = field16(fmt, 24)
    guard Array(fmt[26..<40]) == guidTail, subformat == 1 || subformat == 3 else {
      throw .unsupportedSound(
        file: file, detail: "sub-format GUID \(guid(fmt, at: 24)), neither PCM nor IEEE float")
    }
    let isFloat = subformat == 3
    guard bits % 8 == 0, let encoding = WAVEncoding(bytes: bits / 8, isFloat: isFloat) else {
      throw .unsupportedSound(
        file: file,
        detail: "\(bits)-bit containers of \(isFloat ? "IEEE float" : "PCM"); this reader decodes"
          + (isFloat ? " 32 and 64 bits" : " 8, 16, 24 and 32 bits"))
    }
    let declaredValid = field16(fmt, 18)
    let valid = declaredValid == 0 ? bits : declaredValid
    guard valid <= bits, !isFloat || valid == bits else {
      throw .malformedSound(file: file, detail: "\(declaredValid) valid bits in \(encoding) containers")
    }
    return (encoding, valid)
  }

  /// Throws unless the channel count and sample rate are within the reader's limits.
  private static func checkRanges(channels: Int, rate: Int, file: String) throws(ArrayFileError) {
    guard channels > 0 else { throw .malformedSound(file: file, detail: "0 channels") }
    guard rate > 0 else { throw .malformedSound(file: file, detail: "a sample rate of 0 Hz") }
    guard channels <= WAVFile.maximumChannelCount else {
      throw .unsupportedSound(
        file: file,
        detail: "\(ArrayFileError.grouped(channels)) channels, more than this reader decodes"
          + " (\(ArrayFileError.grouped(WAVFile.maximumChannelCount)))")
    }
    guard rate <= WAVFile.maximumSampleRate else {
      throw .unsupportedSound(
        file: file,
        detail: "a sample rate of \(ArrayFileError.grouped(rate)) Hz, more than this reader decodes"
          + " (\(ArrayFileError.grouped(WAVFile.maximumSampleRate)) Hz)")
    }
  }

  /// `0x0006`: a 16-bit field in hexadecimal.
  static func hex(_ value: Int, digits: Int = 4) -> String {
    let text = String(value, radix: 16, uppercase: true)
    return "0x" + String(repeating: "0", count: max(0, digits - text.count)) + text
  }

  /// The GUID of the 16 bytes at `offset` in its usual text form,
  /// `{00000001-0000-0010-8000-00AA00389B71}` (the first three fields little-endian).
  static func guid(_ fmt: UnsafeRawBufferPointer, at offset: Int) -> String {
    let bytes = Array(fmt[offset..<(offset + 16)])
    let hexBytes = { (range: [Int]) in range.map { hex(Int(bytes[$0]), digits: 2).dropFirst(2) }.joined() }
    return "{" + hexBytes([3, 2, 1, 0]) + "-" + hexBytes([5, 4]) + "-" + hexBytes([7, 6]) + "-"
      + hexBytes([8, 9]) + "-" + hexBytes(Array(10..<16)) + "}"
  }
}
