import Testing

@testable import SparsityCore

@Suite struct FramesTests {
  static func sqrtHann(_ n: Int) -> [Float] { Window.sqrtHann.values(length: n) }

  static func signal(_ count: Int, seed: UInt64 = 1) -> [Float] {
    var random = Xoshiro256StarStar(seed: seed)
    return (0..<count).map { _ in Float.random(in: -1...1, using: &random) }
  }

  /// Framing then overlap-add gives the signal back for hops that divide the length and ones
  /// that do not, for signals shorter than a frame and ones that end mid-frame. Each output
  /// sample is a ratio of sums of at most length/hop + 1 products, so the error is a few ulps.
  @Test(arguments: [(16, 8), (16, 4), (16, 5), (16, 15), (7, 3), (256, 128)])
  func overlapAddInvertsSplit(length: Int, hop: Int) {
    let layout = FrameLayout(length: length, hop: hop, window: Self.sqrtHann(length))
    for count in [1, length - 1, length, 3 * length + 1, 1000] {
      let x = Self.signal(count)
      let frames = Frames.split(x, layout: layout)
      #expect(frames.rows == layout.frameCount(samples: count))
      let y = Frames.overlapAdd(frames, layout: layout, samples: count)
      let bound = Float(length / hop + 2) * 4 * Float.ulpOfOne
      #expect(zip(x, y).allSatisfy { abs($0 - $1) <= bound * 2 }, "length \(length), hop \(hop), \(count) samples")
    }
  }

  /// With sqrt-Hann at half-frame hops the squared windows sum to 1 at every sample, padding
  /// included, so the frames hold exactly the signal's energy.
  @Test func sqrtHannAtHalfHopKeepsTheEnergy() {
    let layout = FrameLayout(length: 64, hop: 32, window: Self.sqrtHann(64))
    let sums = Frames.squaredWindowSum(layout: layout, samples: 300)
    #expect(sums.allSatisfy { abs($0 - 1) < 1e-6 })
    let x = Self.signal(300)
    let frames = Frames.split(x, layout: layout)
    let energy = x.reduce(0) { $0 + Double($1) * Double($1) }
    let framed = frames.scalars.reduce(0) { $0 + Double($1) * Double($1) }
    #expect(abs(framed - energy) <= 1e-5 * energy)
  }

  /// Frame f starts at f * hop - (length - hop); frames outside the signal are zero there.
  @Test func framesSitWhereTheLayoutSays() {
    let layout = FrameLayout(length: 4, hop: 2, window: [1, 1, 1, 1])
    let x: [Float] = [1, 2, 3, 4, 5]
    let frames = Frames.split(x, layout: layout)
    #expect(frames.rows == 4)
    #expect(frames.scalars == [0, 0, 1, 2, 1, 2, 3, 4, 3, 4, 5, 0, 5, 0, 0, 0])
    #expect(layout.start(ofFrame: 0) == -2 && layout.start(ofFrame: 3) == 4)
  }

  /// Frames left out (skipped silence) count as zero frames: the samples only they cover come
  /// back as zero and the others as before.
  @Test func skippedFramesAreZeros() {
    let layout = FrameLayout(length: 4, hop: 2, window: [1, 1, 1, 1])
    let x: [Float] = [1, 2, 3, 4, 5, 6, 7, 8]
    let kept = [0, 1, 2]
    let frames = Frames.split(x, layout: layout, frames: kept)
    let y = Frames.overlapAdd(frames, layout: layout, frames: kept, samples: x.count)
    #expect(Array(y.prefix(4)) == [1, 2, 3, 4])
    #expect(y[4] == 2.5 && y[5] == 3)  // half of the frames that cover samples 4 and 5
    #expect(y[6] == 0 && y[7] == 0)
  }

  @Test func frameCountOfAnEmptyOrHugeSignal() {
    let layout = FrameLayout(length: 8, hop: 4, window: [Float](repeating: 1, count: 8))
    #expect(layout.frameCount(samples: 0) == 0)
    #expect(layout.frameCount(samples: Int.max) == nil)
    #expect(layout.frameCount(samples: 1) == 2)
  }
}
