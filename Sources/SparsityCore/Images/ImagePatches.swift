// im2col and col2im: the patches a sliding window sees, as the columns of a matrix, and back.

/// The range of output positions whose tap at `offset` (tap index times dilation, minus the
/// padding) falls inside an input of `length` pixels when windows move by `stride`.
@inline(__always)
func validOutputRange(length: Int, outputs: Int, offset: Int, stride: Int) -> Range<Int> {
  // Input position o * stride + offset must lie in 0..<length.
  let low = offset >= 0 ? 0 : Swift.min(outputs, (-offset + stride - 1) / stride)
  let last = length - 1 - offset
  let high = last < 0 ? 0 : Swift.min(outputs, last / stride + 1)
  return low..<Swift.max(low, high)
}

/// Copies `count` floats from `source` to `target` (not overlapping). The rows im2col copies
/// are short (a LeNet's are 8 and 24 floats), so vector moves inline beat a call to memmove,
/// which is what `update(from:count:)` becomes, by a wide margin; long runs still go to memmove.
@inline(__always)
func copyRun(_ target: UnsafeMutablePointer<Float>, _ source: UnsafePointer<Float>, count: Int) {
  guard count <= 64 else { return target.update(from: source, count: count) }
  var x = 0
  while x + 8 <= count {
    UnsafeMutableRawPointer(target + x).storeBytes(
      of: UnsafeRawPointer(source + x).loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
    x += 8
  }
  while x < count {
    target[x] = source[x]
    x += 1
  }
}

/// target[x] += source[x] for x in 0..<count, 8 at a time: col2im's inner loop over a row.
@inline(__always)
func addRun(_ target: UnsafeMutablePointer<Float>, _ source: UnsafePointer<Float>, count: Int) {
  var x = 0
  while x + 8 <= count {
    let sum =
      UnsafeRawPointer(target + x).loadUnaligned(as: SIMD8<Float>.self)
      + UnsafeRawPointer(source + x).loadUnaligned(as: SIMD8<Float>.self)
    UnsafeMutableRawPointer(target + x).storeBytes(of: sum, as: SIMD8<Float>.self)
    x += 8
  }
  while x < count {
    target[x] += source[x]
    x += 1
  }
}

extension SlidingWindow {
  /// True when every tap of every window lies inside the image: no padding and stride 1.
  var hasEveryTapInside: Bool { paddingRows == 0 && paddingColumns == 0 && strideRows == 1 && strideColumns == 1 }
}

/// For a window with every tap inside the image: `body(tap, start)` for each patch row
/// tap = (c * kernelRows + i) * kernelColumns + j, with `start` the offset in the image of the
/// tap's value for output (0, 0); output row y reads the image from start + y * columns.
@inline(__always)
private func forEachTapRow(
  channels: Int, planeSize: Int, columns: Int, window: SlidingWindow, _ body: (Int, Int) -> Void
) {
  for c in 0..<channels {
    for i in 0..<window.kernelRows {
      for j in 0..<window.kernelColumns {
        let tap = (c * window.kernelRows + i) * window.kernelColumns + j
        body(tap, c * planeSize + i * window.dilationRows * columns + j * window.dilationColumns)
      }
    }
  }
}

/// im2col: writes the patches of one image as a (channels * taps, outputRows * outputColumns)
/// matrix with leading dimension `leadingDimension`, so the patches of several images can sit
/// side by side.
///
///     patches[(c * kernelRows + i) * kernelColumns + j, y * outputColumns + x]
///       = image[c, y * strideRows - paddingRows + i * dilationRows,
///                  x * strideColumns - paddingColumns + j * dilationColumns]   (0 outside)
///
/// Shapes: `image` is (channels, rows, columns) contiguous; `output` gives the output rows and
/// columns (`window.outputSize`).
/// - Complexity: O(channels * taps * outputRows * outputColumns), every entry written once.
public func extractPatches(
  _ patches: UnsafeMutablePointer<Float>, leadingDimension: Int, _ image: UnsafePointer<Float>,
  channels: Int, rows: Int, columns: Int, window: SlidingWindow, output: (rows: Int, columns: Int)
) {
  let (outputRows, outputColumns) = output
  let planeSize = rows * columns
  if window.hasEveryTapInside {
    // Each (c, i, j) row of the patches is output rows of image runs, nothing to clip or fill.
    forEachTapRow(channels: channels, planeSize: planeSize, columns: columns, window: window) { tap, start in
      let (source, target) = (image + start, patches + tap * leadingDimension)
      for y in 0..<outputRows { copyRun(target + y * outputColumns, source + y * columns, count: outputColumns) }
    }
    return
  }
  for c in 0..<channels {
    let plane = image + c * planeSize
    for i in 0..<window.kernelRows {
      let rowOffset = i * window.dilationRows - window.paddingRows
      let validRows = validOutputRange(
        length: rows, outputs: outputRows, offset: rowOffset, stride: window.strideRows)
      for j in 0..<window.kernelColumns {
        let columnOffset = j * window.dilationColumns - window.paddingColumns
        let validColumns = validOutputRange(
          length: columns, outputs: outputColumns, offset: columnOffset, stride: window.strideColumns)
        let target = patches + ((c * window.kernelRows + i) * window.kernelColumns + j) * leadingDimension
        for y in 0..<outputRows {
          let line = target + y * outputColumns
          guard validRows.contains(y) else {
            line.update(repeating: 0, count: outputColumns)
            continue
          }
          let source = plane + (y * window.strideRows + rowOffset) * columns + columnOffset
          line.update(repeating: 0, count: validColumns.lowerBound)
          if window.strideColumns == 1 {
            copyRun(line + validColumns.lowerBound, source + validColumns.lowerBound, count: validColumns.count)
          } else {
            let stride = window.strideColumns
            for x in validColumns { line[x] = source[x * stride] }
          }
          (line + validColumns.upperBound).update(repeating: 0, count: outputColumns - validColumns.upperBound)
        }
      }
    }
  }
}

/// col2im, the adjoint of `extractPatches`: adds every patch entry back onto the image pixel it
/// was read from (entries read from the padding are dropped).
///
///     image[c, y * sr - pr + i * dr, x * sc - pc + j * dc] += patches[(c * kr + i) * kc + j, y * oc + x]
///
/// Shapes as in `extractPatches`; `image` is added to, not overwritten.
/// - Complexity: O(channels * taps * outputRows * outputColumns).
public func accumulatePatches(
  _ image: UnsafeMutablePointer<Float>, _ patches: UnsafePointer<Float>, leadingDimension: Int,
  channels: Int, rows: Int, columns: Int, window: SlidingWindow, output: (rows: Int, columns: Int)
) {
  let (outputRows, outputColumns) = output
  let planeSize = rows * columns
  if window.hasEveryTapInside {
    // Each (c, i, j) row of the patches adds onto output rows of image runs, nothing to clip.
    forEachTapRow(channels: channels, planeSize: planeSize, columns: columns, window: window) { tap, start in
      let (line, target) = (patches + tap * leadingDimension, image + start)
      for y in 0..<outputRows { addRun(target + y * columns, line + y * outputColumns, count: outputColumns) }
    }
    return
  }
  for c in 0..<channels {
    let plane = image + c * planeSize
    for i in 0..<window.kernelRows {
      let rowOffset = i * window.dilationRows - window.paddingRows
      let validRows = validOutputRange(
        length: rows, outputs: outputRows, offset: rowOffset, stride: window.strideRows)
      for j in 0..<window.kernelColumns {
        let columnOffset = j * window.dilationColumns - window.paddingColumns
        let validColumns = validOutputRange(
          length: columns, outputs: outputColumns, offset: columnOffset, stride: window.strideColumns)
        let source = patches + ((c * window.kernelRows + i) * window.kernelColumns + j) * leadingDimension
        let stride = window.strideColumns
        for y in validRows {
          let line = source + y * outputColumns
          let target = plane + (y * window.strideRows + rowOffset) * columns + columnOffset
          if stride == 1 {
            addRun(target + validColumns.lowerBound, line + validColumns.lowerBound, count: validColumns.count)
          } else {
            for x in validColumns { target[x * stride] += line[x] }
          }
        }
      }
    }
  }
}

/// Reference twin of `extractPatches`: the defining formula, one entry at a time.
public func extractPatchesReference(
  _ patches: UnsafeMutablePointer<Float>, leadingDimension: Int, _ image: UnsafePointer<Float>,
  channels: Int, rows: Int, columns: Int, window: SlidingWindow, output: (rows: Int, columns: Int)
) {
  for c in 0..<channels {
    for i in 0..<window.kernelRows {
      for j in 0..<window.kernelColumns {
        for y in 0..<output.rows {
          for x in 0..<output.columns {
            let row = y * window.strideRows - window.paddingRows + i * window.dilationRows
            let column = x * window.strideColumns - window.paddingColumns + j * window.dilationColumns
            let inside = row >= 0 && row < rows && column >= 0 && column < columns
            patches[
              ((c * window.kernelRows + i) * window.kernelColumns + j) * leadingDimension + y * output.columns + x] =
              inside ? image[(c * rows + row) * columns + column] : 0
          }
        }
      }
    }
  }
}

/// Reference twin of `accumulatePatches`: the defining formula, one entry at a time.
public func accumulatePatchesReference(
  _ image: UnsafeMutablePointer<Float>, _ patches: UnsafePointer<Float>, leadingDimension: Int,
  channels: Int, rows: Int, columns: Int, window: SlidingWindow, output: (rows: Int, columns: Int)
) {
  for c in 0..<channels {
    for i in 0..<window.kernelRows {
      for j in 0..<window.kernelColumns {
        for y in 0..<output.rows {
          for x in 0..<output.columns {
            let row = y * window.strideRows - window.paddingRows + i * window.dilationRows
            let column = x * window.strideColumns - window.paddingColumns + j * window.dilationColumns
            guard row >= 0 && row < rows && column >= 0 && column < columns else { continue }
            image[(c * rows + row) * columns + column] +=
              patches[
                ((c * window.kernelRows + i) * window.kernelColumns + j) * leadingDimension + y * output.columns + x]
          }
        }
      }
    }
  }
}
