import Testing

@testable import SparsityReport

@Suite struct AxisMappingTests {
  @Test func linearTicksAreRoundAndCoverTheData() {
    let mapping = AxisMapping.fit(Axis("a"), values: [0.13, 0.87])
    #expect(mapping.lower <= 0.13 && mapping.upper >= 0.87)
    #expect(mapping.ticks.map(\.label) == ["0", "0.2", "0.4", "0.6", "0.8", "1"])
    #expect(mapping.pixel(mapping.lower, from: 0, to: 100) == 0)
    #expect(mapping.pixel(mapping.upper, from: 0, to: 100) == 100)
  }

  @Test func wholeNumberDataGetsWholeNumberTicks() {
    let mapping = AxisMapping.fit(Axis("epoch"), values: [1, 2, 3])
    #expect(mapping.ticks.map(\.label) == ["1", "2", "3"])
  }

  @Test func fixedRangeIsKeptExactly() {
    let mapping = AxisMapping.fit(Axis("accuracy", unit: "%", range: 0...100), values: [97, 98])
    #expect(mapping.lower == 0 && mapping.upper == 100)
    #expect(mapping.ticks.first?.value == 0 && mapping.ticks.last?.value == 100)
  }

  @Test func degenerateDataGivesAUsableRange() {
    for values in [
      [], [5.0], [0.0, 0.0], [.nan, .infinity], [-1e308, 1e308],
      [Double.leastNormalMagnitude / 4, Double.leastNormalMagnitude / 2],
    ] {
      let mapping = AxisMapping.fit(Axis("v"), values: values)
      #expect(mapping.upper > mapping.lower, "\(values)")
      #expect(mapping.lower.isFinite && mapping.upper.isFinite, "\(values)")
      #expect(mapping.ticks.count >= 2 && mapping.ticks.count <= 101, "\(values)")
    }
  }

  @Test func logarithmicAxisSkipsNonPositiveValuesAndTicksAtDecades() {
    let mapping = AxisMapping.fit(Axis("l1", scale: .logarithmic), values: [0, -1, 1e-4, 1e-2])
    #expect(mapping.ticks.map(\.label) == ["1e-4", "0.001", "0.01"])
    #expect(mapping.transform(0) == nil)
    #expect(mapping.pixel(1e-3, from: 0, to: 100) == 50)
  }

  @Test func categoriesTakeOneSlotEach() {
    let mapping = AxisMapping.fit(Axis("value", scale: .categories(["0", "1e-4", "1e-3"])), values: [])
    #expect(mapping.ticks.map(\.label) == ["0", "1e-4", "1e-3"])
    #expect(mapping.pixel(1, from: 0, to: 300) == 150)
  }
}
