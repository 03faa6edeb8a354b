// Converting WAV samples between their stored encodings and Float.

extension WAVFormatChunk {
  /// The first `count` samples of `bytes` as Floats: PCM scaled by the container's full scale
  /// (`v / 2^(bits - 1)`, 8-bit unsigned `(b - 128) / 128`) after clearing the bits below the
  /// valid ones, float as it is (float64 rounded to the nearest Float).
  /// - Precondition: `bytes` holds `count` samples.
  /// - Complexity: O(`count`).
  func samples(_ bytes: UnsafeRawBufferPointer, count: Int) -> [Float] {
    precondition(count >= 0 && bytes.count / encoding.bytesPerSample >= count, "WAV: \(count) samples past the data")
    let unused = encoding.bytesPerSample * 8 - validBits  // low bits that carry no signal
    switch encoding {
    case .pcm8:
      let mask = UInt8(truncatingIfNeeded: Int(0xFF) << unused)
      return (0..<count).map { Float(Int(bytes[$0] & mask) - 128) / 128 }
    case .pcm16:
      let mask = Int16(truncatingIfNeeded: Int(-1) << unused)
      return (0..<count).map { i in
        Float(Int16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * i, as: Int16.self)) & mask) / 32768
      }
    case .pcm24:
      // Three bytes placed in the top of an Int32: the value times 256, exact in a Float.
      let mask = Int32(truncatingIfNeeded: Int(-1) << (unused + 8))
      return (0..<count).map { i in
        let word = UInt32(bytes[3 * i]) << 8 | UInt32(bytes[3 * i + 1]) << 16 | UInt32(bytes[3 * i + 2]) << 24
        return Float(Int32(bitPattern: word) & mask) / 2_147_483_648
      }
    case .pcm32:
      let mask = Int32(truncatingIfNeeded: Int(-1) << unused)
      return (0..<count).map { i in
        Float(Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self)) & mask) / 2_147_483_648
      }
    case .float32:
      return (0..<count).map { i in
        Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
      }
    case .float64:
      return (0..<count).map { i in Float(float64(bytes, at: i)) }
    }
  }

  /// Throws for the first sample of `samples` (decoded from `bytes`) that is NaN or infinite,
  /// or a float64 past the Float range, naming its frame and channel.
  /// - Throws: `ArrayFileError.malformedSound`.
  func checkFinite(_ samples: [Float], decodedFrom bytes: UnsafeRawBufferPointer, file: String) throws(ArrayFileError) {
    guard encoding.isFloat, let index = samples.firstIndex(where: { !$0.isFinite }) else { return }
    let value = encoding == .float64 ? float64(bytes, at: index) : Double(samples[index])
    let what =
      value.isNaN ? "NaN" : value.isInfinite ? (value < 0 ? "-inf" : "+inf") : "\(value), past the float32 range"
    throw .malformedSound(
      file: file,
      detail: "frame \(index / channelCount), channel \(index % channelCount) holds \(what), not a finite sample")
  }

  /// The float64 sample `index` of `bytes`.
  private func float64(_ bytes: UnsafeRawBufferPointer, at index: Int) -> Double {
    Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8 * index, as: UInt64.self)))
  }
}

extension WAVFile.WriteEncoding {
  /// `samples` in this encoding, little-endian: float32 bit for bit; pcm16 as
  /// `round(s * 32768)` clamped to -32768...32767, NaN as 0.
  /// - Complexity: O(`samples.count`).
  func bytes(_ samples: [Float]) -> [UInt8] {
    switch self {
    case .pcm16:
      let values = samples.map { sample -> Int16 in
        guard !sample.isNaN else { return 0 }
        return Int16(min(max((sample * 32768).rounded(), -32768), 32767)).littleEndian
      }
      return values.withUnsafeBytes(Array.init)
    case .float32:
      return samples.map(\.bitPattern.littleEndian).withUnsafeBytes(Array.init)
    }
  }
}
