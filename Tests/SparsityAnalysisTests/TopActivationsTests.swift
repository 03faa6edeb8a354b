import SparsityCore
import Testing

@testable import SparsityAnalysis

@Suite struct TopActivationsTests {
  @Test(arguments: [0, 1, 3, 7, 50])
  func matchesSortingEverything(capacity: Int) {
    var generator = Xoshiro256StarStar(seed: UInt64(capacity))
    // Few distinct values, so that ties are common.
    let values = (0..<40).map { _ in Float(Int(generator.uniform(in: 0...5))) }
    var top = TopActivations(capacity: capacity)
    for (input, value) in values.enumerated() { top.offer(value, input: input) }
    let expected = values.indices.sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }.prefix(
      capacity)
    #expect(top.sorted.map(\.input) == Array(expected))
    #expect(top.sorted.map(\.value) == expected.map { values[$0] })
  }

  @Test func keepsAtMostCapacity() {
    var top = TopActivations(capacity: 2)
    for input in 0..<100 { top.offer(Float(input % 10), input: input) }
    #expect(top.sorted == [.init(input: 9, value: 9), .init(input: 19, value: 9)])
  }
}
