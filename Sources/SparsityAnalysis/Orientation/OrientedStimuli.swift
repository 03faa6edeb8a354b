// Synthetic oriented images to probe units with: sinusoidal gratings and thin bars.

import Foundation
import SparsityCore

/// Gratings and bars at evenly spaced orientations, the classic probes of orientation tuning
/// (Hubel and Wiesel's bars, the gratings of visual neuroscience).
///
/// Orientation is that of the stripes or the bar, in degrees in [0, 180): 0 is horizontal, 90
/// vertical. A grating of period P at orientation θ is
///
///     I(r, c) = 1/2 + 1/2 cos(2π (c cos(θ - 90°) - r sin(θ - 90°)) / P + phase)
///
/// (rows r grow downwards, so the stripes run along θ measured counter-clockwise); a bar is a line
/// of `barWidth` pixels through a point of the image at orientation θ, 1 on it and 0 elsewhere,
/// anti-aliased. Each orientation gets every period at `phases` phases and bars at offsets
/// spaced 1 pixel apart across the image, so every unit sees its preferred pattern at every
/// position. Values lie in [0, 1]; `images(low:high:)` maps them to the model's input range.
public struct OrientedStimuli: Sendable {
  /// The image probed (every channel gets the same pattern).
  public let shape: ImageShape
  /// The orientations, degrees in [0, 180), evenly spaced from 0.
  public let angles: [Double]
  /// The stimulus images, one row per stimulus, in [0, 1]; `orientationIndex[i]` gives row i's angle.
  public let images: Tensor
  /// The index in `angles` of each stimulus row.
  public let orientationIndex: [Int]

  /// Stimuli at `orientations` evenly spaced angles (even, so each angle's orthogonal is probed):
  /// gratings of the given `periods` (pixels) at `phases` phases, and bars at every offset.
  /// - Precondition: `orientations` even and positive, periods positive, phases positive.
  public init(
    shape: ImageShape, orientations: Int = 12, periods: [Double]? = nil, phases: Int = 8, barWidth: Double = 1.5
  ) {
    precondition(orientations > 0 && orientations % 2 == 0, "OrientedStimuli: \(orientations) orientations, need even")
    precondition(phases > 0, "OrientedStimuli: \(phases) phases")
    let side = Double(Swift.max(shape.rows, shape.columns))
    let periods = periods ?? [Swift.max(3, side / 6), Swift.max(4, side / 3)]
    precondition(periods.allSatisfy { $0 > 0 }, "OrientedStimuli: periods must be positive")
    self.shape = shape
    angles = (0..<orientations).map { Double($0) * 180 / Double(orientations) }
    let diagonal = (Double(shape.rows * shape.rows + shape.columns * shape.columns)).squareRoot()
    let offsets = Array(stride(from: -diagonal / 2, through: diagonal / 2, by: 1))
    var rows = [[Float]]()
    var index = [Int]()
    for (a, angle) in angles.enumerated() {
      for period in periods {
        for p in 0..<phases {
          rows.append(
            Self.grating(shape, angle: angle, period: period, phase: 2 * Double.pi * Double(p) / Double(phases)))
          index.append(a)
        }
      }
      for offset in offsets {
        rows.append(Self.bar(shape, angle: angle, offset: offset, width: barWidth))
        index.append(a)
      }
    }
    images = Tensor(rows: rows)
    orientationIndex = index
  }

  /// The stimuli mapped from [0, 1] to [low, high] (the model's background and foreground).
  public func images(low: Float, high: Float) -> Tensor { images.map { low + (high - low) * $0 } }

  /// Unit vectors across and along stripes of orientation `angle`: (row, column) components.
  private static func axes(_ angle: Double) -> (across: (Double, Double), along: (Double, Double)) {
    let radians = angle * Double.pi / 180
    // Along the stripes: (dr, dc) = (-sin θ, cos θ) (rows grow downwards); across: perpendicular.
    let along = (-sin(radians), cos(radians))
    return ((along.1, -along.0), along)
  }

  private static func grating(_ shape: ImageShape, angle: Double, period: Double, phase: Double) -> [Float] {
    let across = axes(angle).across
    let (centerRow, centerColumn) = (Double(shape.rows - 1) / 2, Double(shape.columns - 1) / 2)
    var plane = [Float](repeating: 0, count: shape.pixelCount)
    for r in 0..<shape.rows {
      for c in 0..<shape.columns {
        let distance = (Double(r) - centerRow) * across.0 + (Double(c) - centerColumn) * across.1
        plane[r * shape.columns + c] = Float(0.5 + 0.5 * cos(2 * Double.pi * distance / period + phase))
      }
    }
    return Array([[Float]](repeating: plane, count: shape.channels).joined())
  }

  private static func bar(_ shape: ImageShape, angle: Double, offset: Double, width: Double) -> [Float] {
    let across = axes(angle).across
    let (centerRow, centerColumn) = (Double(shape.rows - 1) / 2, Double(shape.columns - 1) / 2)
    var plane = [Float](repeating: 0, count: shape.pixelCount)
    for r in 0..<shape.rows {
      for c in 0..<shape.columns {
        let distance = (Double(r) - centerRow) * across.0 + (Double(c) - centerColumn) * across.1 - offset
        // 1 within width/2 of the line, fading to 0 over the next pixel.
        plane[r * shape.columns + c] = Float(Swift.min(1, Swift.max(0, width / 2 + 0.5 - abs(distance))))
      }
    }
    return Array([[Float]](repeating: plane, count: shape.channels).joined())
  }
}
