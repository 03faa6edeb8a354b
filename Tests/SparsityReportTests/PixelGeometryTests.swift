import Testing

@testable import SparsityReport

@Suite struct PixelGeometryTests {
  private let box = PixelRect(x: 10, y: 10, width: 20, height: 10)

  @Test func rectanglesIntersectOnlyWhenTheyShareInterior() {
    #expect(box.intersects(PixelRect(x: 25, y: 15, width: 10, height: 10)))
    #expect(!box.intersects(PixelRect(x: 30, y: 10, width: 5, height: 5)), "touching edges do not overlap")
    #expect(box.intersects(PixelRect(x: 31, y: 10, width: 5, height: 5), gap: 2), "closer than the gap")
    #expect(box.contains(PixelRect(x: 10, y: 10, width: 20, height: 10)))
    #expect(!box.contains(box.expanded(by: 1)))
  }

  @Test func segmentsCrossingAndMissingTheRectangle() {
    func segment(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double) -> PixelSegment {
      PixelSegment(from: PixelPoint(x: x1, y: y1), to: PixelPoint(x: x2, y: y2))
    }
    #expect(box.intersects(segment(0, 15, 40, 15)), "straight through")
    #expect(box.intersects(segment(15, 12, 16, 13)), "inside")
    #expect(box.intersects(segment(0, 0, 40, 30)), "diagonally through")
    #expect(!box.intersects(segment(0, 0, 40, 5)), "above")
    #expect(!box.intersects(segment(0, 30, 9, 0)), "left of it")
    #expect(!box.intersects(segment(0, 10, 40, 10)), "along the top edge")
  }
}
