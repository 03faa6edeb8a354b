import SparsityCore
import SparsityTestSupport
import Testing

/// Windows on odd shapes: stride, padding, dilation, windows wider than the image's padding.
let patchWindows: [(ImageShape, SlidingWindow)] = [
  (ImageShape(channels: 1, rows: 1, columns: 1), SlidingWindow(kernelRows: 1, kernelColumns: 1)),
  (ImageShape(channels: 2, rows: 7, columns: 5), SlidingWindow(kernelRows: 3, kernelColumns: 3)),
  (ImageShape(channels: 3, rows: 7, columns: 5), SlidingWindow(kernelRows: 3, kernelColumns: 3, stride: 2, padding: 1)),
  (ImageShape(channels: 2, rows: 9, columns: 8), SlidingWindow(kernelRows: 5, kernelColumns: 5, padding: 2)),
  (ImageShape(channels: 1, rows: 8, columns: 9), SlidingWindow(kernelRows: 3, kernelColumns: 2, stride: 3, padding: 4)),
  (
    ImageShape(channels: 2, rows: 9, columns: 9),
    SlidingWindow(
      kernelRows: 3, kernelColumns: 3, strideRows: 1, strideColumns: 2, paddingRows: 2, paddingColumns: 0,
      dilationRows: 2, dilationColumns: 3)
  ),
]

@Suite struct ImagePatchesTests {
  @Test(arguments: patchWindows.indices)
  func extractAndAccumulateMatchTheirReferences(case index: Int) {
    let (shape, window) = patchWindows[index]
    let output = window.outputSize(rows: shape.rows, columns: shape.columns)!
    let rows = shape.channels * window.tapCount
    // Two images side by side, as a block of the convolution lays them out.
    let width = 2 * output.rows * output.columns
    var generator = Xoshiro256StarStar(seed: UInt64(index))
    let image = Tensor.normal(shape: [shape.featureCount], using: &generator).scalars
    var fast = [Float](repeating: .nan, count: rows * width)
    var reference = [Float](repeating: .nan, count: rows * width)
    image.withUnsafeBufferPointer { x in
      fast.withUnsafeMutableBufferPointer { p in
        extractPatches(
          p.baseAddress! + output.rows * output.columns, leadingDimension: width, x.baseAddress!,
          channels: shape.channels, rows: shape.rows, columns: shape.columns, window: window, output: output)
      }
      reference.withUnsafeMutableBufferPointer { p in
        extractPatchesReference(
          p.baseAddress! + output.rows * output.columns, leadingDimension: width, x.baseAddress!,
          channels: shape.channels, rows: shape.rows, columns: shape.columns, window: window, output: output)
      }
    }
    // The right half is written identically; the left half (another image's place) is untouched.
    for row in 0..<rows {
      for column in 0..<width {
        let (a, b) = (fast[row * width + column], reference[row * width + column])
        #expect(a == b || (a.isNaN && b.isNaN), "entry (\(row), \(column)): \(a) vs \(b)")
        if column < output.rows * output.columns { #expect(a.isNaN) }
      }
    }

    let patches = Tensor.normal(shape: [rows * width], using: &generator).scalars
    var accumulated = image
    var accumulatedReference = image
    patches.withUnsafeBufferPointer { p in
      accumulated.withUnsafeMutableBufferPointer { x in
        accumulatePatches(
          x.baseAddress!, p.baseAddress!, leadingDimension: width, channels: shape.channels, rows: shape.rows,
          columns: shape.columns, window: window, output: output)
      }
      accumulatedReference.withUnsafeMutableBufferPointer { x in
        accumulatePatchesReference(
          x.baseAddress!, p.baseAddress!, leadingDimension: width, channels: shape.channels, rows: shape.rows,
          columns: shape.columns, window: window, output: output)
      }
    }
    #expect(relativeError(Tensor(accumulated), Tensor(accumulatedReference)) < 1e-6)
  }

  /// col2im is the adjoint of im2col: <P x, q> = <x, P^T q> for random x and q.
  @Test func accumulateIsTheAdjointOfExtract() {
    let (shape, window) = patchWindows[5]
    let output = window.outputSize(rows: shape.rows, columns: shape.columns)!
    let width = output.rows * output.columns
    let count = shape.channels * window.tapCount * width
    var generator = Xoshiro256StarStar(seed: 9)
    let x = Tensor.normal(shape: [shape.featureCount], using: &generator).scalars
    let q = Tensor.normal(shape: [count], using: &generator).scalars
    var px = [Float](repeating: 0, count: count)
    var ptq = [Float](repeating: 0, count: shape.featureCount)
    x.withUnsafeBufferPointer { xp in
      px.withUnsafeMutableBufferPointer {
        extractPatches(
          $0.baseAddress!, leadingDimension: width, xp.baseAddress!, channels: shape.channels, rows: shape.rows,
          columns: shape.columns, window: window, output: output)
      }
    }
    q.withUnsafeBufferPointer { qp in
      ptq.withUnsafeMutableBufferPointer {
        accumulatePatches(
          $0.baseAddress!, qp.baseAddress!, leadingDimension: width, channels: shape.channels, rows: shape.rows,
          columns: shape.columns, window: window, output: output)
      }
    }
    let left = zip(px, q).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    let right = zip(x, ptq).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    #expect(abs(left - right) <= 1e-4 * max(1, abs(left)))
  }

  @Test func outputSizesFollowPyTorch() {
    // torch.nn.Conv2d(1, 1, 5)(28x28) -> 24x24; kernel 3, stride 2, padding 1 on 7x5 -> 4x3.
    #expect(SlidingWindow(kernelRows: 5, kernelColumns: 5).outputSize(rows: 28, columns: 28)! == (24, 24))
    #expect(
      SlidingWindow(kernelRows: 3, kernelColumns: 3, stride: 2, padding: 1).outputSize(rows: 7, columns: 5)! == (4, 3))
    #expect(SlidingWindow(kernelRows: 3, kernelColumns: 3, dilation: 2).outputSize(rows: 5, columns: 5)! == (1, 1))
    #expect(SlidingWindow(kernelRows: 3, kernelColumns: 3, dilation: 3).outputSize(rows: 5, columns: 5) == nil)
    var bad = SlidingWindow(kernelRows: 3, kernelColumns: 3)
    bad.kernelRows = 0
    #expect(bad.problem == "the kernel must be from 1 to 1048576, got 0")
    bad.kernelRows = 3
    bad.paddingColumns = -1
    #expect(bad.problem == "the padding must be from 0 to 1048576, got -1")
  }
}
