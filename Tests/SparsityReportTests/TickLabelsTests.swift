import Testing

@testable import SparsityReport

@Suite struct TickLabelsTests {
  @Test func roomyLabelsAreAllKeptUncut() {
    let ticks = (0..<5).map { (position: 100 + Double($0) * 100, label: "\($0 * 20)") }
    let labels = TickLabels.horizontal(ticks, maxWidth: 90, maxLines: 1, size: 12, bounds: 0...800)
    #expect(labels.map(\.lines) == ticks.map { [$0.label] })
    #expect(TickLabels.areComplete(labels))
  }

  @Test func longCategoryNamesWrapThenAbbreviate() {
    let wraps = TickLabels.horizontal(
      [(position: 100.0, label: "act. L1 + 90% pruned")], maxWidth: 90, maxLines: 2, size: 12, bounds: 0...400)
    #expect(wraps.map(\.lines) == [["act. L1 + 90%", "pruned"]])
    #expect(TickLabels.areComplete(wraps))
    let long = "a name far too long to fit in two lines"
    let cut = TickLabels.horizontal(
      [(position: 200.0, label: long)], maxWidth: 90, maxLines: 2, size: 12, bounds: 0...400)
    #expect(cut[0].lines.count == 2 && cut[0].lines[1].hasSuffix("…"))
    #expect(cut[0].tooltip == long)
    #expect(cut[0].width(size: 12) <= 90)
    #expect(!TickLabels.areComplete(cut))
  }

  /// Labels that cannot all be complete even when thinned: the fewest dropped, the rest cut.
  @Test func labelsTooLongEvenWhenThinnedAreCut() {
    let ticks = (0..<3).map { (position: 100 + Double($0) * 100, label: "a long name that never fits \($0)") }
    let labels = TickLabels.horizontal(ticks, maxWidth: 90, maxLines: 1, size: 12, bounds: 0...400)
    #expect(labels.count == 3)
    #expect(labels.allSatisfy { $0.tooltip != nil && $0.width(size: 12) <= 90 })
  }

  @Test func crowdedCategoriesAreThinnedRatherThanCut() {
    let ticks = (0..<40).map { (position: Double($0) * 20, label: "setting \($0)") }
    let labels = TickLabels.horizontal(ticks, maxWidth: 14, maxLines: 2, size: 12, bounds: -100...900)
    #expect(labels.count < 40 && TickLabels.areComplete(labels))
    #expect(labels.first?.lines == ["setting 0"] || labels.first?.lines == ["setting", "0"])
  }

  @Test func crowdedLabelsAreThinnedUntilApart() {
    let ticks = (0..<50).map { (position: Double($0) * 10, label: "label \($0)") }
    let labels = TickLabels.horizontal(ticks, maxWidth: 500, maxLines: 1, size: 12, bounds: -100...600)
    #expect(labels.count < 50 && labels.first?.lines == ["label 0"])
    let extents = labels.map { $0.extent(size: 12, horizontal: true) }
    for (a, b) in zip(extents, extents.dropFirst()) { #expect(a.upperBound + TickLabels.gap <= b.lowerBound) }
  }

  @Test func labelsAtTheEdgeMoveInside() {
    let labels = TickLabels.horizontal(
      [(position: 398, label: "1000000")], maxWidth: 100, maxLines: 1, size: 12, bounds: 2...400)
    #expect(labels[0].position == 398)
    #expect(labels[0].extent(size: 12, horizontal: true).upperBound <= 400)
  }

  @Test func verticalLabelsAreCutToTheirWidthAndThinned() {
    let ticks = (0..<30).map { (position: 300 - Double($0) * 5, label: "row \($0) with a long name") }
    let labels = TickLabels.vertical(ticks, maxWidth: 60, size: 12)
    #expect(labels.allSatisfy { $0.width(size: 12) <= 60 && $0.tooltip != nil })
    let extents = labels.map { $0.extent(size: 12, horizontal: false) }.sorted { $0.lowerBound < $1.lowerBound }
    for (a, b) in zip(extents, extents.dropFirst()) { #expect(a.upperBound + TickLabels.gap <= b.lowerBound) }
  }
}
