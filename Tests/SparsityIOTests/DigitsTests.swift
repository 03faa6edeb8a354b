import SparsityCore
import Foundation
import Testing

@testable import SparsityCore
@testable import SparsityIO

@Suite struct DigitsTests {
  @Test func loads1797ImagesOf8x8Pixels() throws {
    let digits = try DigitsDataset.load()
    #expect(digits.features.shape == [1797, 64])
    #expect(digits.sampleCount == DigitsDataset.sampleCount)
    #expect(digits.imageShape == ImageShape(rows: 8, columns: 8))
    #expect(digits.classCount == 10 && digits.name == "digits")
  }

  @Test func labelsAreTheTenDigitsAbout180Each() throws {
    let counts = try DigitsDataset.load().classCounts
    #expect(counts == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
    #expect(counts.allSatisfy { (170...190).contains($0) })
  }

  @Test func pixelsSpanTheGreyLevels0To16() throws {
    let scalars = try DigitsDataset.load().features.scalars
    #expect(scalars.min() == 0 && scalars.max() == 16)
    #expect(scalars.allSatisfy { $0.rounded() == $0 })
  }

  @Test func firstImageMatchesTheFirstLineOfTheCSV() throws {
    let line =
      "0,0,5,13,9,1,0,0,0,0,13,15,10,15,5,0,0,3,15,2,0,11,8,0,0,4,12,0,0,8,8,0,0,5,8,0,0,9,8,0,0,4,11,0,1,12,7,0,0,2,14,5,10,12,0,0,0,0,6,13,10,0,0,0,0"
    let values = line.split(separator: ",").map { Float($0)! }
    let digits = try DigitsDataset.load()
    #expect(digits.features.row(0).scalars == Array(values.prefix(64)))
    #expect(digits.labels[0] == Int(values[64]))
    #expect(Array(digits.labels.prefix(10)) == Array(0...9))
  }

  @Test func attributionCitesTheSource() {
    #expect(DigitsDataset.attribution.contains("Alpaydin"))
    #expect(DigitsDataset.attribution.contains("https://doi.org/10.24432/C50P49"))
    #expect(DigitsDataset.attribution.contains("CC BY 4.0"))
  }

  @Test func damagedResourceIsAnError() {
    let short = Gzip.compress(Data(repeating: 1, count: 65 * 10))
    #expect(throws: DatasetError.self) { try DigitsDataset.decode(short, name: "digits.bin.gz") }
    var badLabel = [UInt8](repeating: 0, count: 1797 * 65)
    badLabel[65 * 3 - 1] = 10
    let error = #expect(throws: DatasetError.self) {
      try DigitsDataset.decode(Gzip.compress(Data(badLabel)), name: "d")
    }
    #expect(
      error == .invalidLabel(file: "d", row: 3, value: "10", reason: "is outside 0..<10 for this data set's 10 classes")
    )
    #expect(throws: DatasetError.file(.corruptCompressedData(file: "d", detail: "there is no data (0 bytes)"))) {
      try DigitsDataset.decode(Data(), name: "d")
    }
  }
}
