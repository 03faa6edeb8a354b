// The shapes of a 2-D convolution: input image, filters, window, groups and output image.

/// The geometry of a 2-D convolution over NCHW samples, as PyTorch's `Conv2d` defines it.
///
/// The input's channels are split into `groups` equal groups; each group's
/// `outputChannels / groups` filters see only their group's `input.channels / groups` channels.
/// A filter is `input.channels / groups` x `window.kernelRows` x `window.kernelColumns`
/// values, so the weight tensor is (outputChannels, input.channels / groups, kernelRows,
/// kernelColumns), and as a matrix (outputChannels, `patchLength`). Depthwise convolution is
/// `groups == input.channels`.
public struct ConvolutionGeometry: Hashable, Sendable, CustomStringConvertible {
  /// The input image of one sample.
  public let input: ImageShape
  /// The window of every filter.
  public let window: SlidingWindow
  /// Channel groups, dividing both the input and the output channels.
  public let groups: Int
  /// The output image of one sample: `outputChannels` x output rows x output columns.
  public let output: ImageShape

  /// The geometry, or nil when `problem(...)` finds one.
  public init?(input: ImageShape, outputChannels: Int, window: SlidingWindow, groups: Int = 1) {
    guard Self.problem(input: input, outputChannels: outputChannels, window: window, groups: groups) == nil,
      let output = window.outputShape(of: input, channels: outputChannels)
    else { return nil }
    self.input = input
    self.window = window
    self.groups = groups
    self.output = output
  }

  /// What is wrong with these settings, or nil: the window's own problem, a non-positive
  /// channel or group count, groups not dividing both channel counts, a window larger than the
  /// padded input, or sizes that overflow.
  public static func problem(input: ImageShape, outputChannels: Int, window: SlidingWindow, groups: Int) -> String? {
    if let problem = window.problem { return problem }
    guard outputChannels > 0 else { return "the output channels must be positive, got \(outputChannels)" }
    guard groups > 0 else { return "the groups must be positive, got \(groups)" }
    guard input.channels % groups == 0, outputChannels % groups == 0 else {
      return
        "\(groups) groups must divide the input channels (\(input.channels)) and the output channels (\(outputChannels))"
    }
    guard let output = window.outputSize(rows: input.rows, columns: input.columns) else {
      return "the \(window) window does not fit in a \(input.rows)x\(input.columns) input"
    }
    guard ImageShape.checked(channels: outputChannels, rows: output.rows, columns: output.columns) != nil,
      !(input.channels / groups).multipliedReportingOverflow(by: window.tapCount).overflow,
      !outputChannels.multipliedReportingOverflow(by: (input.channels / groups) * window.tapCount).overflow
    else { return "the sizes overflow" }
    return nil
  }

  /// Input channels each filter sees, `input.channels / groups`.
  public var inputChannelsPerGroup: Int { input.channels / groups }
  /// Filters per group, `output.channels / groups`.
  public var outputChannelsPerGroup: Int { output.channels / groups }
  /// Values per filter, `inputChannelsPerGroup * kernelRows * kernelColumns`.
  public var patchLength: Int { inputChannelsPerGroup * window.tapCount }
  /// The weight tensor's shape, PyTorch's: (out, in / groups, kernel rows, kernel columns).
  public var weightShape: [Int] {
    [output.channels, inputChannelsPerGroup, window.kernelRows, window.kernelColumns]
  }
  /// Multiply-adds per sample: output values times `patchLength`.
  public var multiplyAddsPerSample: Int { output.featureCount * patchLength }

  /// The input rows that output rows `rows` read (the padding left out): from the first one's
  /// top tap to the last one's bottom tap, clipped to the image; empty for no rows.
  public func inputRows(forOutputRows rows: Range<Int>) -> Range<Int> {
    guard !rows.isEmpty else { return 0..<0 }
    let (stride, padding) = (window.strideRows, window.paddingRows)
    let first = rows.lowerBound * stride - padding
    let last = (rows.upperBound - 1) * stride - padding + (window.kernelRows - 1) * window.dilationRows
    let (low, high) = (Swift.max(0, first), Swift.min(input.rows, last + 1))
    return low < high ? low..<high : 0..<0
  }

  /// `1x28x28 -> 20x24x24 (5x5)`, with `groups 2` when grouped.
  public var description: String {
    "\(input) -> \(output) (\(window)\(groups > 1 ? ", groups \(groups)" : ""))"
  }
}
