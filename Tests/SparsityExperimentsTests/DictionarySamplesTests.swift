import Foundation
import SparsityCore
import SparsityIO
import SparsityTestSupport
import Testing

@testable import SparsityExperiments

/// The samples of dictionary learning: patches of a synthetic image, matrices, starting
/// dictionaries, and the errors that name their file.
@Suite struct DictionarySamplesTests {
  /// `gradientImage(size:)` written to a PNG file in `directory`; its path.
  private func imageFile(size: Int, in directory: URL) throws -> String {
    let url = directory.appendingPathComponent("gradient-\(size).png")
    try PNGFile.write(gradientImage(size: size), to: url)
    return url.path
  }

  /// The largest |mean| of a row of `x`.
  private func largestRowMean(_ x: Tensor) -> Float {
    (0..<x.rows).map { i in abs((0..<x.columns).reduce(Float(0)) { $0 + x[i, $1] } / Float(x.columns)) }.max() ?? 0
  }

  @Test func patchesHaveTheRequestedCountSizeAndZeroMean() throws {
    let directory = try temporaryDirectory("samples")
    defer { try? FileManager.default.removeItem(at: directory) }
    let image = try imageFile(size: 32, in: directory)
    let patches = try DictionarySamples.load(
      .patches(image: image), patches: PatchSampling(size: 6, count: 50, seed: 3))
    #expect(patches.shape == [50, 36])
    #expect(largestRowMean(patches) < 1e-5)
    #expect(patches.scalars.allSatisfy { $0.isFinite })
    let again = try DictionarySamples.patches(file: image, PatchSampling(size: 6, count: 50, seed: 3))
    #expect(again == patches)

    let filtered = try DictionarySamples.patches(file: image, PatchSampling(size: 8, count: 20, whitenImage: true))
    #expect(filtered.shape == [20, 64])
    #expect(largestRowMean(filtered) < 1e-5)
    let whitened = try DictionarySamples.patches(file: image, PatchSampling(size: 4, count: 200, whiten: true))
    #expect(whitened.shape == [200, 16] && whitened != patches)
  }

  @Test func anImageSmallerThanThePatchIsNamed() throws {
    let directory = try temporaryDirectory("samples")
    defer { try? FileManager.default.removeItem(at: directory) }
    let image = try imageFile(size: 4, in: directory)
    #expect(
      throws: ExperimentError.unusableData(
        "learn-dictionary: image '\(image)' is 4x4 pixels, smaller than the 8x8 patch")
    ) {
      try DictionarySamples.load(.patches(image: image))
    }
    let missing = directory.appendingPathComponent("nowhere.png").path
    let error = #expect(throws: (any Error).self) { try DictionarySamples.load(.patches(image: missing)) }
    #expect(error.map { "\($0)".contains("nowhere.png") } == true)
  }

  @Test func unusableMatricesAreNamed() throws {
    let directory = try temporaryDirectory("samples")
    defer { try? FileManager.default.removeItem(at: directory) }
    let vector = directory.appendingPathComponent("vector.npy").path
    try NPYFile.write(Tensor([1, 2, 3]), to: URL(fileURLWithPath: vector))
    #expect(
      throws: ExperimentError.unusableData(
        "learn-dictionary: '\(vector)' has shape [3], expected samples x features with both >= 1")
    ) {
      try DictionarySamples.load(.npy(file: vector))
    }
    let nan = directory.appendingPathComponent("nan.npy").path
    try NPYFile.write(Tensor(rows: [[1, 2], [3, .nan]]), to: URL(fileURLWithPath: nan))
    #expect(
      throws: ExperimentError.unusableData("learn-dictionary: '\(nan)' has a non-finite value at row 1, column 1")
    ) {
      try DictionarySamples.matrix(file: nan)
    }
    let good = directory.appendingPathComponent("good.npy").path
    try NPYFile.write(Tensor(rows: [[1, 2], [3, 4]]), to: URL(fileURLWithPath: good))
    #expect(try DictionarySamples.load(.npy(file: good)) == Tensor(rows: [[1, 2], [3, 4]]))
  }

  @Test func aStartingDictionaryMustFit() throws {
    let directory = try temporaryDirectory("samples")
    defer { try? FileManager.default.removeItem(at: directory) }
    let wrong = directory.appendingPathComponent("wrong.npy").path
    try NPYFile.write(Tensor(zeros: [3, 64]), to: URL(fileURLWithPath: wrong))
    #expect(
      throws: ExperimentError.unusableData(
        "learn-dictionary: --init '\(wrong)' has shape [3, 64], expected 16 atoms x 64 features")
    ) {
      try DictionarySamples.initialDictionary(file: wrong, atoms: 16, features: 64)
    }
    let zero = directory.appendingPathComponent("zero.npy").path
    try NPYFile.write(Tensor(rows: [[1, 0], [0, 0]]), to: URL(fileURLWithPath: zero))
    #expect(throws: ExperimentError.unusableData("learn-dictionary: --init '\(zero)' has an all-zero row 1")) {
      try DictionarySamples.initialDictionary(file: zero, atoms: 2, features: 2)
    }
  }

  @Test func digitsAndSourcesByName() throws {
    let centered = try DictionarySamples.load(.digits(removingMean: true))
    #expect(centered.shape == [1797, 64])
    #expect(largestRowMean(centered) < 1e-5)
    #expect(try DictionarySamples.digits(removingMean: false).scalars.allSatisfy { $0 >= 0 && $0 <= 1 })
    #expect(DictionaryDataSource(parsing: "digits") == .digits(removingMean: true))
    #expect(DictionaryDataSource(parsing: "digits:raw") == .digits(removingMean: false))
    #expect(DictionaryDataSource(parsing: "patches:a.png") == .patches(image: "a.png"))
    #expect(DictionaryDataSource(parsing: "npy:x.npy") == .npy(file: "x.npy"))
    #expect(DictionaryDataSource(parsing: "magic") == nil)
  }
}
