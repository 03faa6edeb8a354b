// Points, segments and rectangles in SVG pixels, for laying out labels without overlaps.

/// A point in SVG pixels (y grows downwards).
struct PixelPoint: Equatable {
  var x: Double
  var y: Double
}

/// A straight line from one point to another, in SVG pixels.
struct PixelSegment: Equatable {
  var from: PixelPoint
  var to: PixelPoint
}

/// An axis-aligned rectangle in SVG pixels (y grows downwards).
struct PixelRect: Equatable {
  var minX: Double
  var minY: Double
  var maxX: Double
  var maxY: Double

  /// The rectangle with top-left corner (x, y) and the given size.
  init(x: Double, y: Double, width: Double, height: Double) {
    minX = x
    minY = y
    maxX = x + width
    maxY = y + height
  }

  var width: Double { maxX - minX }
  var height: Double { maxY - minY }
  var midX: Double { (minX + maxX) / 2 }
  var midY: Double { (minY + maxY) / 2 }

  /// The rectangle grown by `margin` on every side (shrunk for a negative margin).
  func expanded(by margin: Double) -> PixelRect {
    PixelRect(x: minX - margin, y: minY - margin, width: width + 2 * margin, height: height + 2 * margin)
  }

  /// True when the two rectangles share interior points or are closer than `gap` pixels.
  func intersects(_ other: PixelRect, gap: Double = 0) -> Bool {
    minX < other.maxX + gap && other.minX < maxX + gap && minY < other.maxY + gap && other.minY < maxY + gap
  }

  /// True when `other` lies inside this rectangle (edges included).
  func contains(_ other: PixelRect) -> Bool {
    other.minX >= minX && other.maxX <= maxX && other.minY >= minY && other.maxY <= maxY
  }

  /// True when `segment` passes through the rectangle's interior (Liang-Barsky clipping of
  /// the segment against the four edges).
  /// Reference: Y.-D. Liang and B. A. Barsky, "A New Concept and Method for Line Clipping",
  /// ACM Transactions on Graphics 3(1), 1984.
  func intersects(_ segment: PixelSegment) -> Bool {
    let (a, b) = (segment.from, segment.to)
    let (dx, dy) = (b.x - a.x, b.y - a.y)
    var (t0, t1) = (0.0, 1.0)
    for (p, q) in [(-dx, a.x - minX), (dx, maxX - a.x), (-dy, a.y - minY), (dy, maxY - a.y)] {
      if p == 0 {
        if q <= 0 { return false }
      } else {
        let t = q / p
        if p < 0 { t0 = max(t0, t) } else { t1 = min(t1, t) }
        if t0 >= t1 { return false }
      }
    }
    return true
  }
}
