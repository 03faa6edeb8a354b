import Testing

@testable import SparsityReport

@Suite struct PointLabelsTests {
  private let bounds = PixelRect(x: 0, y: 0, width: 600, height: 400)

  @Test func aLoneLabelGoesRightOfItsPoint() throws {
    let point = PixelPoint(x: 100, y: 200)
    var placer = PointLabelPlacer(bounds: bounds, size: 12, points: [point])
    let placed = placer.place("plain ReLU", at: point)
    let label = try #require(placed)
    #expect(label.box.minX > point.x + PointLabelPlacer.markerRadius)
    #expect(abs(label.box.midY - point.y) < 1e-9)
    #expect(label.leader == nil)
  }

  @Test func aLabelAtTheRightEdgeGoesLeft() throws {
    let point = PixelPoint(x: 595, y: 200)
    var placer = PointLabelPlacer(bounds: bounds, size: 12, points: [point])
    let placed = placer.place("act. L1 + 90% pruned", at: point)
    let label = try #require(placed)
    #expect(label.box.maxX < point.x - PointLabelPlacer.markerRadius)
    #expect(bounds.contains(label.box))
  }

  /// Eight long labels of points within a pixel of each other: all placed, in the bounds, their
  /// boxes (the estimate of `TextMetrics`) pairwise apart and clear of every marker.
  @Test func crowdedLabelsArePairwiseApart() throws {
    let points = (0..<8).map { PixelPoint(x: 300 + Double($0) * 0.1, y: 200 - Double($0) * 0.1) }
    var placer = PointLabelPlacer(bounds: bounds, size: 12, points: points)
    var labels: [PlacedLabel] = []
    for (i, point) in points.enumerated() {
      let placed = placer.place("a long label for point number \(i)", at: point)
      labels.append(try #require(placed))
    }
    for (i, a) in labels.enumerated() {
      #expect(bounds.contains(a.box))
      #expect(!placer.markers.contains { $0.intersects(a.box) }, "label \(i) covers a marker")
      for b in labels[(i + 1)...] { #expect(!a.box.intersects(b.box), "\(a.box) and \(b.box)") }
      if let leader = a.leader {
        #expect(!labels.contains { $0 != a && $0.box.intersects(leader) }, "leader \(i) crosses a label")
      }
    }
    #expect(labels.contains { $0.leader != nil }, "some labels are stacked away from the cluster")
  }

  @Test func aLabelWiderThanTheBoundsFindsNoPlace() {
    let point = PixelPoint(x: 50, y: 50)
    var placer = PointLabelPlacer(bounds: PixelRect(x: 0, y: 0, width: 100, height: 100), size: 12, points: [point])
    #expect(placer.place(String(repeating: "w", count: 40), at: point) == nil)
    #expect(placer.placed.isEmpty)
  }
}
