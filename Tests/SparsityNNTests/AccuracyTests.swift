import SparsityCore
import Testing

@testable import SparsityNN

@Suite struct AccuracyTests {
  @Test func countsArgmaxHitsWithFirstMaximumOnTies() {
    let logits = Tensor(rows: [[0.1, 0.9, 0], [2, 1, 0], [1, 1, 0], [0, 0, 5]])
    #expect(accuracy(logits: logits, labels: [1, 0, 1, 2]) == 0.75)
    #expect(accuracy(logits: logits, labels: [0, 1, 0, 0]) == 0.25)
    #expect(accuracy(logits: Tensor(zeros: [0, 3]), labels: []) == 0)
  }
}
