import Foundation
import SparsityCore
import SparsityIO
import Testing

@testable import SparsityExperiments

/// A dictionary learning run on the digits, its start, and the mosaic of its atoms.
@Suite struct DictionaryTrainingTests {
  @Test func learnsUnitNormAtomsAndSummarizes() throws {
    var training = DictionaryTraining()
    training.atoms = 8
    training.epochs = 2
    training.lambda = 0.1
    let samples = try DictionarySamples.digits()
    var batches = 0
    let (learner, summary) = try training.learn(samples) { _, _ in batches += 1 }
    let dictionary = learner.dictionary
    #expect(dictionary.shape == [8, 64])
    for atom in 0..<8 {
      let norm = (0..<64).reduce(Float(0)) { $0 + dictionary[atom, $1] * dictionary[atom, $1] }.squareRoot()
      #expect(abs(norm - 1) < 1e-3, "atom \(atom) has norm \(norm)")
    }
    #expect(summary.atoms == 8 && summary.samples == 1797 && summary.epochObjectives.count == 2)
    #expect(batches == 2 * ((1797 + 255) / 256))
  }

  @Test func theSameSettingsLearnTheSameDictionary() throws {
    var training = DictionaryTraining()
    training.atoms = 4
    training.epochs = 1
    training.start = .randomDirections
    training.positiveCodes = true
    training.positiveAtoms = true
    let samples = try DictionarySamples.digits(removingMean: false)
    let (first, second) = try BLAS.withThreadCount(1) {
      (try training.learn(samples).learner.dictionary, try training.learn(samples).learner.dictionary)
    }
    #expect(first == second)
    #expect(first.scalars.allSatisfy { $0 >= 0 })
  }

  @Test func aStartingFileMustFitTheSamples() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("start-\(UUID().uuidString).npy")
    defer { try? FileManager.default.removeItem(at: file) }
    try NPYFile.write(Tensor(repeating: 1, shape: [4, 10]), to: file)
    var training = DictionaryTraining()
    training.atoms = 4
    training.start = DictionaryTraining.Start(parsing: file.path)
    #expect(training.start == .file(file.path))
    #expect(
      throws: ExperimentError.unusableData(
        "learn-dictionary: --init '\(file.path)' has shape [4, 10], expected 4 atoms x 64 features")
    ) {
      try training.learner(for: try DictionarySamples.digits())
    }
    #expect(DictionaryTraining.Start(parsing: "samples") == .samples)
    #expect(DictionaryTraining.Start(parsing: "random") == .randomDirections)
  }

  @Test func theMosaicNeedsSquareAtoms() throws {
    #expect(try DictionaryMosaic.tileSize(features: 64, file: "atoms.png") == 8)
    #expect(
      throws: ExperimentError.unusableData(
        "learn-dictionary: --image atoms.png needs square patches, but the samples have 17 features (not a perfect square)"
      )
    ) {
      try DictionaryMosaic.tileSize(features: 17, file: "atoms.png")
    }
    let atoms = Tensor(repeating: 0.5, shape: [16, 64])
    let image = DictionaryMosaic.image(atoms, tileSize: 8)
    #expect(image.width == 37 && image.height == 37)  // 4 x 4 tiles of 8 pixels, 1-pixel borders
    let enlarged = DictionaryMosaic.image(atoms, tileSize: 8, scale: 2)
    #expect(enlarged.width == 74 && enlarged.height == 74)
    #expect(enlarged[3, 5] == image[1, 2])
  }
}
