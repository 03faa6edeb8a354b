import Foundation
import SparsityTestSupport
import Testing

@testable import SparsityCore
@testable import SparsityIO

/// The error thrown by decompressing `data`, or nil when it decompresses.
private func decompressionError(_ data: Data, file: String = "t.gz") -> ArrayFileError? {
  do {
    _ = try Gzip.decompress(data, file: file, maximumBytes: .max)
    return nil
  } catch { return error }
}

/// `count` bytes that compress poorly (seeded noise) or well (a short repeating pattern).
private func sampleBytes(_ count: Int, noisy: Bool, seed: UInt64 = 3) -> Data {
  var generator = Xoshiro256StarStar(seed: seed)
  return Data((0..<count).map { noisy ? UInt8(truncatingIfNeeded: generator.next()) : UInt8($0 % 7) })
}

@Suite struct GzipTests {
  @Test func roundTripsGzipAndZlibAtEveryLevelAndSize() throws {
    for count in [0, 1, 100, 300_000] {
      for noisy in [false, true] {
        let original = sampleBytes(count, noisy: noisy)
        for format in [Gzip.Format.gzip, .zlib] {
          for level in [0, 1, 6, 9] {
            let packed = Gzip.compress(original, format: format, level: level)
            #expect(
              try Gzip.decompress(packed, file: "r.gz", maximumBytes: .max) == original,
              "\(count) bytes, \(format), level \(level)")
          }
        }
      }
    }
  }

  @Test func repetitiveDataShrinks() {
    let original = sampleBytes(100_000, noisy: false)
    #expect(Gzip.compress(original).count < 2_000)
  }

  @Test func readsWhatGzipAndZlibProduce() throws {
    // `printf 'hello\n' | gzip -n` and Python's `zlib.compress(b'hello\n')`.
    let gzip = Data([
      0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0xe7,
      0x02, 0x00, 0x20, 0x30, 0x3a, 0x36, 0x06, 0x00, 0x00, 0x00,
    ])
    let zlib = Data([120, 156, 203, 72, 205, 201, 201, 231, 2, 0, 8, 75, 2, 31])
    #expect(try Gzip.decompress(gzip, file: "hello.gz", maximumBytes: .max) == Data("hello\n".utf8))
    #expect(try Gzip.decompress(zlib, file: "hello.z", maximumBytes: .max) == Data("hello\n".utf8))
  }

  @Test func detectsGzipByMagicBytes() {
    #expect(Gzip.isCompressed(Gzip.compress(Data("abc".utf8))))
    #expect(!Gzip.isCompressed(Gzip.compress(Data("abc".utf8), format: .zlib)))
    #expect(!Gzip.isCompressed(Data([0x1f])))
    #expect(!Gzip.isCompressed(Data()))
    #expect(!Gzip.isCompressed(Data("plain text".utf8)))
    let sliced = Data([0, 0x1f, 0x8b]).dropFirst()
    #expect(Gzip.isCompressed(sliced))
  }

  @Test func readsEveryMemberOfAMultiMemberFile() throws {
    let first = Data("first member\n".utf8)
    let second = sampleBytes(70_000, noisy: true)
    let joined = Gzip.compress(first) + Gzip.compress(second, level: 1) + Gzip.compress(Data())
    #expect(try Gzip.decompress(joined, file: "cat.gz", maximumBytes: .max) == first + second)
  }

  @Test func ignoresZeroPaddingAfterTheLastMember() throws {
    let padded = Gzip.compress(Data("tape".utf8)) + Data(repeating: 0, count: 512)
    #expect(try Gzip.decompress(padded, file: "padded.gz", maximumBytes: .max) == Data("tape".utf8))
  }

  @Test func truncatedDataIsAnErrorNamingTheFile() throws {
    let packed = Gzip.compress(sampleBytes(50_000, noisy: true))
    for keep in [1, 5, 10, 100, packed.count / 2, packed.count - 1] {
      let error = try #require(decompressionError(packed.prefix(keep), file: "data/short.gz"))
      guard case .corruptCompressedData(let file, let detail) = error else {
        Issue.record("unexpected error \(error)")
        continue
      }
      #expect(file == "data/short.gz")
      #expect(detail.contains("truncated"), "\(keep) bytes: \(detail)")
      #expect(error.description.hasPrefix("data/short.gz: "))
    }
  }

  @Test func corruptDataIsAnErrorNamingTheFile() throws {
    var packed = [UInt8](Gzip.compress(Data("a sentence long enough to be worth compressing".utf8)))
    var badHeader = packed
    badHeader[2] = 0x07  // compression method other than deflate
    let headerError = try #require(decompressionError(Data(badHeader), file: "h.gz"))
    #expect(headerError.file == "h.gz")
    packed[packed.count - 6] ^= 0xFF  // the CRC-32 no longer matches
    let crcError = try #require(decompressionError(Data(packed), file: "crc.gz"))
    #expect(crcError.description.contains("crc.gz"))
    #expect(crcError.description.contains("check"), "\(crcError)")
    let garbage = Gzip.compress(Data("x".utf8)) + Data("trailing junk".utf8)
    #expect(decompressionError(garbage, file: "junk.gz")?.file == "junk.gz")
  }

  @Test func emptyAndUncompressedInputAreErrors() {
    #expect(decompressionError(Data(), file: "empty.gz") != nil)
    #expect(decompressionError(Data("not compressed at all".utf8), file: "plain.gz")?.file == "plain.gz")
  }

  @Test func crc32MatchesTheStandardCheckValue() {
    #expect(Gzip.crc32(Data("123456789".utf8)) == 0xCBF4_3926)
    let whole = Data("hello, world".utf8)
    #expect(Gzip.crc32(whole.suffix(5), continuing: Gzip.crc32(whole.prefix(7))) == Gzip.crc32(whole))
    #expect(Gzip.crc32(Data()) == 0)
  }

  @Test func aPrefixAndALimitStopInflationEarly() throws {
    let zeros = Gzip.compress(Data(count: 32 << 20), level: 9)
    #expect(try Gzip.decompressedPrefix(zeros, file: "z.gz", count: 10) == Data(count: 10))
    #expect(throws: ArrayFileError.inflatesPastLimit(file: "z.gz", limit: 1000)) {
      try Gzip.decompress(zeros, file: "z.gz", maximumBytes: 1000)
    }
    let small = Gzip.compress(Data("tape".utf8))
    #expect(try Gzip.decompressedPrefix(small, file: "s.gz", count: 10) == Data("tape".utf8))
    #expect(try Gzip.decompress(small, file: "s.gz", maximumBytes: 4) == Data("tape".utf8))
  }

  /// Found by fuzzing (Fuzz/Corpus/gzip/crash-empty-first-member.gz): a prefix stopped at the end
  /// of the first member, so a file whose first member holds fewer bytes than asked for (none
  /// here) gave a short prefix, unlike `decompress`.
  @Test func aPrefixReadsOnIntoTheNextMember() throws {
    let joined = Gzip.compress(Data()) + Gzip.compress(Data("second member".utf8))
    #expect(try Gzip.decompressedPrefix(joined, file: "cat.gz", count: 6) == Data("second".utf8))
    let fuzzed = try Data(contentsOf: fuzzCorpusFile("gzip/crash-empty-first-member.gz"))
    let whole = try Gzip.decompress(fuzzed, file: "f.gz", maximumBytes: 1 << 20)
    #expect(try Gzip.decompressedPrefix(fuzzed, file: "f.gz", count: 100) == whole.prefix(100))
  }
}
