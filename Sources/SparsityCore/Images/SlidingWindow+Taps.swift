// Which taps of a sliding window land inside the image (the rest fall on padding): the bounds
// every pooling kernel clips its loops to.

extension SlidingWindow {
  /// The taps k in 0..<kernel of a window whose first tap sits at `start` (in image coordinates,
  /// negative inside the leading padding) that land inside 0..<length, taps `dilation` apart:
  ///
  ///     { k : 0 <= start + k * dilation < length }  =  low..<high
  ///
  /// Empty when every tap falls on padding.
  /// - Complexity: O(1).
  @inline(__always)
  static func insideTaps(start: Int, kernel: Int, dilation: Int, length: Int) -> Range<Int> {
    let low = start < 0 ? (dilation - 1 - start) / dilation : 0
    let high = start >= length ? 0 : Swift.min(kernel, (length - 1 - start) / dilation + 1)
    return low..<Swift.max(low, high)
  }

  /// Calls `body` with the inside taps of every output row and every output column, in scratch
  /// memory valid only inside `body`: output row i uses row taps rows[2 i]..<rows[2 i + 1], output
  /// column j column taps columns[2 j]..<columns[2 j + 1] (see `insideTaps`). Computed once per
  /// call so the kernels' inner loops divide nothing.
  /// - Complexity: O(outputRows + outputColumns).
  func withInsideTaps<Result>(
    image: ImageShape, output: ImageShape,
    _ body: (_ rows: UnsafePointer<Int>, _ columns: UnsafePointer<Int>) -> Result
  ) -> Result {
    Scratch.withBuffer(of: Int.self, count: 2 * (output.rows + output.columns)) { taps in
      for i in 0..<output.rows {
        let range = Self.insideTaps(
          start: i * strideRows - paddingRows, kernel: kernelRows, dilation: dilationRows, length: image.rows)
        (taps[2 * i], taps[2 * i + 1]) = (range.lowerBound, range.upperBound)
      }
      let columns = taps + 2 * output.rows
      for j in 0..<output.columns {
        let range = Self.insideTaps(
          start: j * strideColumns - paddingColumns, kernel: kernelColumns, dilation: dilationColumns,
          length: image.columns)
        (columns[2 * j], columns[2 * j + 1]) = (range.lowerBound, range.upperBound)
      }
      return body(taps, columns)
    }
  }
}
