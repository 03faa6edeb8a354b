import Foundation
import SparsityTestSupport
import Testing

@testable import SparsityCore
@testable import SparsityIO

/// WAV files built by hand, byte by byte, for the cases the writer never makes.
private enum WAVBytes {
  /// Little-endian `UInt16`s.
  static func u16(_ values: Int...) -> [UInt8] {
    values.flatMap { withUnsafeBytes(of: UInt16(truncatingIfNeeded: $0).littleEndian, Array.init) }
  }

  /// Little-endian `UInt32`s.
  static func u32(_ values: Int...) -> [UInt8] {
    values.flatMap { withUnsafeBytes(of: UInt32(truncatingIfNeeded: $0).littleEndian, Array.init) }
  }

  /// A chunk: identifier, size (the payload's unless given), payload, pad byte when odd.
  static func chunk(_ id: String, _ payload: [UInt8], size: Int? = nil) -> [UInt8] {
    Array(id.utf8) + u32(size ?? payload.count) + payload + (payload.count % 2 == 1 ? [0] : [])
  }

  /// A plain `fmt ` chunk; block align defaults to channels x whole bytes per sample.
  static func fmt(tag: Int = 1, channels: Int = 1, rate: Int = 8000, bits: Int = 16, blockAlign: Int? = nil)
    -> [UInt8]
  {
    let align = blockAlign ?? channels * ((bits + 7) / 8)
    return chunk("fmt ", u16(tag, channels) + u32(rate, rate * align) + u16(align, bits))
  }

  /// A WAVE_FORMAT_EXTENSIBLE `fmt ` chunk of sub-format `subformat` (1 PCM, 3 float).
  static func extensible(
    channels: Int = 1, rate: Int = 8000, bits: Int, validBits: Int, subformat: Int = 1, extensionSize: Int = 22
  ) -> [UInt8] {
    let align = channels * bits / 8
    let guid = u16(subformat, 0) + [0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71]
    let fields = u16(0xFFFE, channels) + u32(rate, rate * align) + u16(align, bits)
    return chunk("fmt ", fields + u16(extensionSize, validBits) + u32(0) + guid)
  }

  /// A RIFF/WAVE file of `chunks`, its RIFF size right unless given.
  static func file(_ chunks: [UInt8]..., riffSize: Int? = nil) -> Data {
    let body = chunks.flatMap { $0 }
    return Data(Array("RIFF".utf8) + u32(riffSize ?? 4 + body.count) + Array("WAVE".utf8) + body)
  }

  /// A mono 16-bit file at 8 kHz of `samples`.
  static func pcm16(_ samples: [Int]) -> Data {
    file(fmt(), chunk("data", samples.flatMap { u16($0) }))
  }

  /// Little-endian float32 samples.
  static func float32(_ samples: [Float]) -> [UInt8] { samples.flatMap { u32(Int($0.bitPattern)) } }

  /// Little-endian float64 samples.
  static func float64(_ samples: [Double]) -> [UInt8] {
    samples.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
  }
}

/// The error `WAVFile.decode` throws for `data`, or nil when it decodes.
private func wavError(_ data: Data, file: String = "s.wav") -> ArrayFileError? {
  do {
    _ = try WAVFile.decode(data, file: file)
    return nil
  } catch { return error }
}

@Suite struct WAVFileTests {
  /// A folder of its own for one test, removed by `remove`.
  private func temporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wav-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  @Test func pcm16RoundTripsThroughAFileExactlyOnItsGrid() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let samples = [-32768, -1, 0, 1, 12345, 32767].map { Float($0) / 32768 }
    let sound = Sound(mono: samples, sampleRate: 22050)
    let url = folder.appendingPathComponent("a.wav")
    try WAVFile.write(sound, to: url)
    #expect(try WAVFile.read(contentsOf: url) == sound)
    let format = try WAVFile.readFormat(contentsOf: url)
    #expect(format.encoding == .pcm16 && format.validBitsPerSample == 16 && !format.isTruncated)
    #expect(format.description == "16-bit PCM, 1 channel, 22,050 Hz, 6 frames (0.000 s)")
    #expect(try Data(contentsOf: url) == WAVFile.encode(sound))
  }

  @Test func pcm16RoundsAndClipsAndWritesNaNAsZero() throws {
    let sound = Sound(mono: [1, -1, 2, -3, .infinity, -.infinity, .nan, 0.3, 1e-6], sampleRate: 8000)
    let decoded = try WAVFile.decode(WAVFile.encode(sound, encoding: .pcm16), file: "c.wav")
    let expected = [32767, -32768, 32767, -32768, 32767, -32768, 0, 9830, 0].map { Float($0) / 32768 }
    #expect(decoded.samples == expected)
  }

  @Test func float32RoundTripsBitForBitInStereo() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let sound = Sound(channels: [[0.25, -1.5, .leastNonzeroMagnitude, -0.0], [1, 0.1, -2, 7]], sampleRate: 48000)
    let url = folder.appendingPathComponent("f.wav")
    try WAVFile.write(sound, encoding: .float32, to: url)
    let read = try WAVFile.read(contentsOf: url)
    #expect(read.samples.map(\.bitPattern) == sound.samples.map(\.bitPattern))
    #expect(read.channelCount == 2 && read.sampleRate == 48000 && read.frameCount == 4)
    #expect(try WAVFile.readFormat(contentsOf: url).encoding == .float32)
  }

  @Test func stereoChannelsAndMixDown() {
    let sound = Sound(samples: [1, 0, 0.5, -0.5, -1, -1], channelCount: 2, sampleRate: 4)
    #expect(sound.frameCount == 3 && sound.duration == 0.75)
    #expect(sound.channel(0) == [1, 0.5, -1] && sound.channel(1) == [0, -0.5, -1])
    #expect(sound.mixedDown() == [0.5, 0, -1])
    #expect(Sound(channels: [[1, 0.5, -1], [0, -0.5, -1]], sampleRate: 4) == sound)
    #expect(Sound(mono: [1, 2], sampleRate: 1).mixedDown() == [1, 2])
  }

  @Test func pcm8IsUnsignedAroundOneHundredTwentyEight() throws {
    let data = WAVBytes.file(WAVBytes.fmt(bits: 8), WAVBytes.chunk("data", [0, 128, 255, 64, 192]))
    let sound = try WAVFile.decode(data, file: "8.wav")
    #expect(sound.samples == [-1, 0, 127.0 / 128, -0.5, 0.5])
    #expect(try WAVFile.format(of: data, file: "8.wav").encoding == .pcm8)
  }

  @Test func pcm16ScalesBy2To15() throws {
    let sound = try WAVFile.decode(WAVBytes.pcm16([-32768, 0, 16384, 32767, -1]), file: "16.wav")
    #expect(sound.samples == [-1, 0, 0.5, 32767.0 / 32768, -1.0 / 32768])
  }

  @Test func pcm24ScalesBy2To23() throws {
    let values = [-(1 << 23), 0, 1 << 22, 1, (1 << 23) - 1, -1]
    let payload = values.flatMap { Array(WAVBytes.u32($0).prefix(3)) }
    let data = WAVBytes.file(WAVBytes.fmt(channels: 2, bits: 24), WAVBytes.chunk("data", payload))
    let sound = try WAVFile.decode(data, file: "24.wav")
    #expect(sound.samples == values.map { Float($0) / Float(1 << 23) })
    #expect(sound.channelCount == 2 && sound.frameCount == 3)
  }

  @Test func pcm32ScalesBy2To31() throws {
    let payload = WAVBytes.u32(Int(Int32.min), 0, 1 << 30, -(1 << 29))
    let data = WAVBytes.file(WAVBytes.fmt(bits: 32), WAVBytes.chunk("data", payload))
    #expect(try WAVFile.decode(data, file: "32.wav").samples == [-1, 0, 0.5, -0.25])
  }

  @Test func floatSamplesAreKeptAsTheyAre() throws {
    let single = WAVBytes.file(
      WAVBytes.fmt(tag: 3, bits: 32), WAVBytes.chunk("data", WAVBytes.float32([1.5, -0.25, 0])))
    #expect(try WAVFile.decode(single, file: "f32.wav").samples == [1.5, -0.25, 0])
    let double = WAVBytes.file(
      WAVBytes.fmt(tag: 3, bits: 64), WAVBytes.chunk("data", WAVBytes.float64([0.1, -2, 1e-300])))
    #expect(try WAVFile.decode(double, file: "f64.wav").samples == [Float(0.1), -2, 0])
    #expect(try WAVFile.format(of: double, file: "f64.wav").encoding == .float64)
  }

  @Test func extensibleFilesDecodeByTheirSubformatAndClearBitsBelowTheValidOnes() throws {
    // 24 valid bits in 32-bit containers: the low byte (0xFF) carries no signal.
    let pcm = WAVBytes.file(
      WAVBytes.extensible(bits: 32, validBits: 24), WAVBytes.chunk("data", WAVBytes.u32(0x4000_00FF, -255)))
    #expect(try WAVFile.decode(pcm, file: "e.wav").samples == [0.5, -1.0 / Float(1 << 23)])
    let format = try WAVFile.format(of: pcm, file: "e.wav")
    #expect(format.encoding == .pcm32 && format.validBitsPerSample == 24)
    #expect(format.description.hasPrefix("24-bit PCM in 32-bit containers, 1 channel"))
    let float = WAVBytes.file(
      WAVBytes.extensible(channels: 2, bits: 32, validBits: 0, subformat: 3),
      WAVBytes.chunk("data", WAVBytes.float32([0.5, -0.5])))
    #expect(try WAVFile.decode(float, file: "e.wav").samples == [0.5, -0.5])
  }

  @Test func twelveBitPCMSitsInSixteenBitContainers() throws {
    let data = WAVBytes.file(WAVBytes.fmt(bits: 12), WAVBytes.chunk("data", WAVBytes.u16(0x4000 | 0xF, 0x8000)))
    #expect(try WAVFile.decode(data, file: "12.wav").samples == [0.5, -1])
    #expect(try WAVFile.format(of: data, file: "12.wav").validBitsPerSample == 12)
  }

  @Test func chunksComeInAnyOrderAndUnknownOddOnesAreSkippedWithTheirPadByte() throws {
    let samples = WAVBytes.chunk("data", WAVBytes.u16(16384, -16384))
    let list = WAVBytes.chunk("LIST", Array("INFOabc".utf8))  // 7 bytes and a pad byte
    let fact = WAVBytes.chunk("fact", WAVBytes.u32(2))
    for data in [
      WAVBytes.file(list, WAVBytes.fmt(), fact, samples), WAVBytes.file(samples, list, WAVBytes.fmt()),
      WAVBytes.file(WAVBytes.fmt(), samples, list, [1, 2, 3]), WAVBytes.file(WAVBytes.fmt(), samples, riffSize: 0),
      WAVBytes.file(WAVBytes.fmt(), samples, riffSize: 0xFFFF_FFFF),
    ] {
      #expect(try WAVFile.decode(data, file: "o.wav").samples == [0.5, -0.5])
    }
    // An odd-sized data chunk (three 8-bit samples) followed by its pad byte and the fmt chunk.
    let odd = WAVBytes.file(WAVBytes.chunk("data", [128, 255, 0]), WAVBytes.fmt(bits: 8))
    #expect(try WAVFile.decode(odd, file: "o.wav").samples == [0, 127.0 / 128, -1])
  }

  @Test func aDataChunkRunningPastTheEndIsReadAsTheWholeFramesPresent() throws {
    let payload = WAVBytes.u16(16384, -16384, 8192) + [0x7F]  // three frames and half of a fourth
    for declared in [100, 0xFFFF_FFFF] {
      let data = WAVBytes.file(WAVBytes.fmt(), Array("data".utf8) + WAVBytes.u32(declared) + payload)
      #expect(try WAVFile.decode(data, file: "t.wav").samples == [0.5, -0.5, 0.25])
      let format = try WAVFile.format(of: data, file: "t.wav")
      #expect(format.isTruncated && format.frameCount == 3 && format.description.hasSuffix(", truncated"))
    }
  }

  @Test func hostileFilesAreOneLineErrorsNamingTheFile() throws {
    let (fmt, data) = (WAVBytes.fmt(), WAVBytes.chunk("data", WAVBytes.u16(1, 2)))
    let cases: [(Data, String)] = [
      (Data(), "not a WAV file: the file is empty"),
      (Data("RIF".utf8), "not a WAV file: the file has only 3 bytes"),
      (Data("RIFF\0\0\0".utf8), "truncated: the file ends after 7 bytes, inside the 12-byte RIFF header"),
      (Data("\u{1b}[2J....WAVE".utf8), #"it starts with '\x1B[2J', not 'RIFF'"#),
      (Data("RIFF\0\0\0\0AVI ".utf8), "a RIFF file of form 'AVI ', not 'WAVE'"),
      (Data("RF64\u{ff}\u{ff}\u{ff}\u{ff}WAVE".utf8), "unsupported WAV file: 'RF64' (64-bit sizes"),
      (Data("RIFX\0\0\0\0WAVE".utf8), "big-endian 'RIFX'"),
      (WAVBytes.file(data), "no fmt chunk"),
      (WAVBytes.file(fmt), "no data chunk"),
      (WAVBytes.file(fmt, data, data), "a second 'data' chunk at byte 48 (the first is at byte 36)"),
      (WAVBytes.file(fmt, fmt, data), "a second 'fmt ' chunk at byte 36 (the first is at byte 12)"),
      (WAVBytes.file(Array(fmt.prefix(20))), "truncated: the 'fmt ' chunk at byte 12 declares 16 bytes but only 12"),
      (WAVBytes.file(WAVBytes.chunk("fmt ", WAVBytes.u16(1, 1, 0, 0, 0, 0, 2)), data), "fewer than the 16"),
      (WAVBytes.file(WAVBytes.fmt(channels: 0), data), "malformed WAV file: 0 channels"),
      (WAVBytes.file(WAVBytes.fmt(channels: 65535, bits: 8), data), "65,535 channels, more than this reader"),
      (WAVBytes.file(WAVBytes.fmt(rate: 0), data), "a sample rate of 0 Hz"),
      (WAVBytes.file(WAVBytes.fmt(rate: 200_000_000), data), "200,000,000 Hz, more than"),
      (WAVBytes.file(WAVBytes.fmt(channels: 2, blockAlign: 3), data), "block align is 3 bytes, but a frame of 2"),
      (WAVBytes.file(WAVBytes.fmt(channels: 2, bits: 12, blockAlign: 3), data), "block align is 3 bytes"),
      (WAVBytes.file(WAVBytes.fmt(bits: 0), data), "0 bits per sample"),
      (WAVBytes.file(WAVBytes.fmt(bits: 40), data), "40-bit PCM; this reader decodes 1 to 32 bits"),
      (WAVBytes.file(WAVBytes.fmt(tag: 3, bits: 16), data), "16-bit IEEE float"),
      (WAVBytes.file(WAVBytes.fmt(tag: 6, bits: 8), data), "format tag 0x0006 (A-law)"),
      (WAVBytes.file(WAVBytes.extensible(bits: 16, validBits: 16, extensionSize: 0), data), "a 0-byte extension"),
      (WAVBytes.file(WAVBytes.extensible(bits: 16, validBits: 17), data), "17 valid bits in 16-bit"),
      (WAVBytes.file(WAVBytes.extensible(bits: 20, validBits: 20), data), "20-bit containers of PCM"),
      (
        WAVBytes.file(WAVBytes.extensible(bits: 16, validBits: 16, subformat: 2), data),
        "sub-format GUID {00000002-0000-0010-8000-00AA00389B71}, neither PCM nor IEEE float"
      ),
      (WAVBytes.file(fmt, WAVBytes.chunk("data", [1, 2, 3])), "holds 3 bytes, not a whole number of 2-byte frames"),
      (
        WAVBytes.file(WAVBytes.chunk("LIST", [], size: 0xFFFF_FFFF), fmt, data),
        "no fmt chunk (the last chunk, 'LIST' at byte 12, declares 4,294,967,295 bytes but only 36 remain)"
      ),
    ]
    for (bytes, phrase) in cases {
      let error = try #require(wavError(bytes, file: "bad\u{d}.wav"), "\(phrase)")
      #expect(error.file == "bad\u{d}.wav")
      #expect(error.description.contains(phrase), "expected '\(phrase)' in: \(error)")
      #expect(!error.problem.contains("\n"))
    }
  }

  @Test func nonFiniteFloatSamplesAreRefusedByFrameAndChannel() throws {
    let stereo = WAVBytes.fmt(tag: 3, channels: 2, bits: 32)
    let cases: [(Data, String)] = [
      (
        WAVBytes.file(stereo, WAVBytes.chunk("data", WAVBytes.float32([0, 1, 0.5, .nan]))),
        "frame 1, channel 1 holds NaN"
      ),
      (
        WAVBytes.file(stereo, WAVBytes.chunk("data", WAVBytes.float32([-.infinity, 0]))),
        "frame 0, channel 0 holds -inf"
      ),
      (
        WAVBytes.file(WAVBytes.fmt(tag: 3, bits: 64), WAVBytes.chunk("data", WAVBytes.float64([0, 0, 1e300]))),
        "frame 2, channel 0 holds 1e+300, past the float32 range"
      ),
    ]
    for (bytes, phrase) in cases {
      let error = try #require(wavError(bytes, file: "nan.wav"))
      #expect(error.description == "nan.wav: malformed WAV file: \(phrase), not a finite sample")
    }
  }

  @Test func samplesThatDoNotFitTheMemoryBudgetAreRefusedBeforeDecoding() throws {
    let data = WAVBytes.pcm16(Array(repeating: 7, count: 1000))
    let budget = MemoryBudget.Budget(bytes: 3999, source: "test")
    #expect(
      throws: ArrayFileError.exceedsMemory(
        file: "big.wav", what: "a 1-channel sound of 1,000 frames", needed: .floats(1000), budget: budget)
    ) {
      _ = try WAVFile.decode(data, file: "big.wav", budget: budget)
    }
    let enough = MemoryBudget.Budget(bytes: 4000, source: "test")
    #expect(try WAVFile.decode(data, file: "big.wav", budget: enough).frameCount == 1000)
  }

  @Test func writingRefusesWhatAWAVFileCannotHoldAndLeavesNoFile() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("w.wav")
    let cases: [(Sound, String)] = [
      (Sound(samples: [0, 0, .nan, 0], channelCount: 2, sampleRate: 8000), "frame 1, channel 0 holds NaN"),
      (Sound(mono: [0, -.infinity], sampleRate: 8000), "frame 1, channel 0 holds -inf"),
      (Sound(samples: [Float](repeating: 0, count: 2000), channelCount: 2000, sampleRate: 8000), "2,000 channels"),
      (Sound(mono: [0], sampleRate: 200_000_000), "200,000,000 Hz"),
    ]
    for (sound, phrase) in cases {
      for encoding in WAVFile.WriteEncoding.allCases {
        do {
          try WAVFile.write(sound, encoding: encoding, to: url)
          Issue.record("wrote \(phrase)")
        } catch {
          guard case .unwritable(let file, let reason) = error else { throw error }
          #expect(file == url.relativePath && reason.contains(phrase), "\(reason)")
        }
        #expect(!FileManager.default.fileExists(atPath: url.path))
      }
    }
  }

  /// A fuzzer's find: 129 channels at 8,396,608 Hz read fine (its own header says so), but as
  /// float32 its byte rate passes the format's 32-bit field. The writer refuses that encoding with
  /// a reason and writes the pcm16 one, whose byte rate fits.
  @Test func aSoundWhoseFloat32ByteRatePassesThirtyTwoBitsIsRefusedInThatEncodingOnly() throws {
    let sound = try WAVFile.decode(
      Data(contentsOf: fuzzCorpusFile("wav/crash-float32-byte-rate-past-32-bits.wav")), file: "crash.wav")
    #expect(sound.channelCount == 129 && sound.sampleRate == 8_396_608)
    let problem = WAVFile.encodingProblem(sound, encoding: .float32)
    #expect(problem?.contains("32-bit sizes of a WAV file") == true, "\(problem ?? "no problem")")
    #expect(WAVFile.encodingProblem(sound, encoding: .pcm16) == nil)
    let back = try WAVFile.decode(WAVFile.encode(sound, encoding: .pcm16), file: "again.wav")
    #expect(back.channelCount == 129 && back.sampleRate == sound.sampleRate && back.frameCount == sound.frameCount)
  }

  @Test func readingAMissingFileOrADirectoryNamesIt() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let missing = folder.appendingPathComponent("none.wav")
    #expect(throws: ArrayFileError.unreadable(file: missing.relativePath, reason: "no such file")) {
      _ = try WAVFile.read(contentsOf: missing)
    }
    #expect(throws: ArrayFileError.unreadable(file: folder.relativePath, reason: "is a directory")) {
      _ = try WAVFile.readFormat(contentsOf: folder)
    }
  }
}
