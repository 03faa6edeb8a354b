import Foundation
import Testing

@testable import SparsityCore
@testable import SparsityIO

/// `count` samples whose first feature is the sample's index (to identify it after shuffling)
/// and whose second is 10 * its label; labels cycle through `classCount` classes.
private func indexedDataset(count: Int, classCount: Int = 3) -> LabeledDataset {
  let labels = (0..<count).map { $0 % classCount }
  let rows = (0..<count).map { [Float($0), Float(10 * labels[$0])] }
  return LabeledDataset(features: Tensor(rows: rows), labels: labels, classCount: classCount, name: "indexed")
}

/// The sample indices a derived data set holds, read back from the first feature.
private func sampleIndices(_ dataset: LabeledDataset) -> [Int] {
  (0..<dataset.sampleCount).map { Int(dataset.features[$0, 0]) }
}

@Suite struct LabeledDatasetTests {
  @Test func countsSamplesFeaturesAndClasses() {
    let data = indexedDataset(count: 10, classCount: 4)
    #expect(data.sampleCount == 10 && data.featureCount == 2)
    #expect(data.classCounts == [3, 3, 2, 2])
  }

  @Test func subsetGathersRowsAndLabelsTogether() {
    let data = indexedDataset(count: 10)
    let part = data.subset([7, 2, 7])
    #expect(sampleIndices(part) == [7, 2, 7])
    #expect(part.labels == [1, 2, 1])
    #expect(part.classCount == 3 && part.name == "indexed")
  }

  @Test func shuffleIsASeededPermutation() {
    let data = indexedDataset(count: 50)
    let once = data.shuffled(seed: 5)
    #expect(once == data.shuffled(seed: 5))
    #expect(once != data.shuffled(seed: 6))
    #expect(sampleIndices(once).sorted() == Array(0..<50))
    #expect(zip(sampleIndices(once), once.labels).allSatisfy { $0 % 3 == $1 })
  }

  @Test func splitIsDeterministicDisjointAndComplete() {
    let data = indexedDataset(count: 101)
    let (train, test) = data.split(testFraction: 0.2, seed: 42)
    let again = data.split(testFraction: 0.2, seed: 42)
    #expect(train == again.train && test == again.test)
    #expect(test.sampleCount == 20 && train.sampleCount == 81)
    let (trainSet, testSet) = (Set(sampleIndices(train)), Set(sampleIndices(test)))
    #expect(trainSet.isDisjoint(with: testSet))
    #expect(trainSet.union(testSet) == Set(0..<101))
    #expect(data.split(testFraction: 0.2, seed: 43).test != test)
    #expect(zip(sampleIndices(test), test.labels).allSatisfy { $0 % 3 == $1 })
  }

  @Test func splitKeepsAtLeastOneSampleOnEachSide() {
    let data = indexedDataset(count: 5)
    #expect(data.split(testFraction: 0.01, seed: 1).test.sampleCount == 1)
    #expect(data.split(testFraction: 0.99, seed: 1).train.sampleCount == 1)
  }

  @Test func stratifiedSplitKeepsClassProportions() {
    let labels = (0..<200).map { $0 < 150 ? 0 : 1 }  // 150 of class 0, 50 of class 1
    let features = Tensor(shape: [200, 1], scalars: (0..<200).map { Float($0) })
    let data = LabeledDataset(features: features, labels: labels, classCount: 2, name: "skewed")
    let (train, test) = data.split(testFraction: 0.1, seed: 9, stratified: true)
    #expect(test.classCounts == [15, 5] && train.classCounts == [135, 45])
    #expect(Set(sampleIndices(train)).isDisjoint(with: sampleIndices(test)))
    #expect(test.labels != test.labels.sorted(), "classes are interleaved, not grouped")
  }

  @Test func standardizeUsesTrainingStatisticsOnly() {
    let train = LabeledDataset(
      features: Tensor(rows: [[1, 5], [3, 5], [5, 5]]), labels: [0, 1, 0], classCount: 2, name: "t")
    let test = LabeledDataset(features: Tensor(rows: [[3, 7], [7, 5]]), labels: [1, 1], classCount: 2, name: "t")
    let scaler = FeatureScaler(fitting: .standardize, to: train)
    #expect(scaler.offsets == [3, 5])
    let deviation = Float((8.0 / 3.0).squareRoot())
    #expect(abs(scaler.scales[0] - 1 / deviation) < 1e-6)
    #expect(scaler.scales[1] == 1, "a constant feature is only centred")
    let scaledTrain = scaler.apply(to: train)
    #expect(abs(scaledTrain.features.scalars.reduce(0, +)) < 1e-5)
    let column = (0..<3).map { scaledTrain.features[$0, 0] }
    #expect(abs(column.map { $0 * $0 }.reduce(0, +) / 3 - 1) < 1e-5)
    let scaledTest = scaler.apply(to: test)
    #expect(scaledTest.features[0, 0] == 0 && scaledTest.features[0, 1] == 2)
    #expect(abs(scaledTest.features[1, 0] - 4 / deviation) < 1e-5)
    #expect(scaledTest.labels == test.labels && scaledTest.name == test.name)
  }

  @Test func unitRangeDividesByTheTrainingMaximum() {
    let train = Tensor(rows: [[0, -4], [2, 1]])
    let scaler = FeatureScaler(fitting: .unitRange, to: train)
    #expect(scaler.apply(to: train) == Tensor(rows: [[0, -1], [0.5, 0.25]]))
    #expect(scaler.apply(to: Tensor(rows: [[8, 0]])) == Tensor(rows: [[2, 0]]), "test data may exceed 1")
    let zeros = FeatureScaler(fitting: .unitRange, to: Tensor(zeros: [2, 2]))
    #expect(zeros.apply(to: Tensor(rows: [[3, 4]])) == Tensor(rows: [[3, 4]]))
  }

  @Test func fixedRangeDividesByTheGivenMaximum() throws {
    let digits = try DigitsDataset.load()
    let scaled = FeatureScaler(fitting: .fixedRange(maximum: DigitsDataset.maximumPixelValue), to: digits).apply(
      to: digits)
    #expect(scaled.features.scalars.max() == 1 && scaled.features.scalars.min() == 0)
    #expect(scaled.features[0, 2] == 5.0 / 16)
    #expect(scaled.imageShape == digits.imageShape)
  }
}
