// The window of a convolution or a pooling layer: kernel size, stride, zero padding, dilation.

/// A window sliding over the rows and columns of an image, as PyTorch's `Conv2d`, `MaxPool2d`
/// and `AvgPool2d` define it.
///
/// The window covers `kernelRows` x `kernelColumns` taps spaced `dilation` pixels apart, moves
/// `stride` pixels at a time and sees the image with `padding` pixels added on each side. An
/// image of H rows gives
///
///     floor((H + 2 * padding - dilation * (kernel - 1) - 1) / stride) + 1
///
/// output rows (the same for columns), PyTorch's formula with `ceil_mode=False`.
public struct SlidingWindow: Hashable, Sendable, CustomStringConvertible {
  /// Taps per window in the row direction (height).
  public var kernelRows: Int
  /// Taps per window in the column direction (width).
  public var kernelColumns: Int
  /// Pixels between consecutive windows, rows.
  public var strideRows: Int
  /// Pixels between consecutive windows, columns.
  public var strideColumns: Int
  /// Pixels added above and below the image.
  public var paddingRows: Int
  /// Pixels added left and right of the image.
  public var paddingColumns: Int
  /// Pixels between consecutive taps, rows (1: adjacent).
  public var dilationRows: Int
  /// Pixels between consecutive taps, columns.
  public var dilationColumns: Int

  /// A window of `kernelRows` x `kernelColumns` taps with the same stride, padding and
  /// dilation in both directions.
  /// - Precondition: kernel, stride and dilation positive, padding non-negative (use
  ///   `problem` first for values typed by users or read from files).
  public init(kernelRows: Int, kernelColumns: Int, stride: Int = 1, padding: Int = 0, dilation: Int = 1) {
    self.init(
      kernelRows: kernelRows, kernelColumns: kernelColumns, strideRows: stride, strideColumns: stride,
      paddingRows: padding, paddingColumns: padding, dilationRows: dilation, dilationColumns: dilation)
  }

  /// A window with every setting given per direction.
  /// - Precondition: as for `init(kernelRows:kernelColumns:stride:padding:dilation:)`.
  public init(
    kernelRows: Int, kernelColumns: Int, strideRows: Int, strideColumns: Int, paddingRows: Int, paddingColumns: Int,
    dilationRows: Int, dilationColumns: Int
  ) {
    self.init(
      unchecked: kernelRows, kernelColumns, strideRows, strideColumns, paddingRows, paddingColumns, dilationRows,
      dilationColumns)
    if let problem { preconditionFailure("SlidingWindow: \(problem)") }
  }

  private init(
    unchecked kernelRows: Int, _ kernelColumns: Int, _ strideRows: Int, _ strideColumns: Int, _ paddingRows: Int,
    _ paddingColumns: Int, _ dilationRows: Int, _ dilationColumns: Int
  ) {
    self.kernelRows = kernelRows
    self.kernelColumns = kernelColumns
    self.strideRows = strideRows
    self.strideColumns = strideColumns
    self.paddingRows = paddingRows
    self.paddingColumns = paddingColumns
    self.dilationRows = dilationRows
    self.dilationColumns = dilationColumns
  }

  /// The window, or what is wrong with its settings (`problem`), for values typed by users or
  /// read from files.
  public static func checked(
    kernelRows: Int, kernelColumns: Int, stride: Int = 1, padding: Int = 0, dilation: Int = 1
  ) -> Result<SlidingWindow, SlidingWindowProblem> {
    let window = SlidingWindow(
      unchecked: kernelRows, kernelColumns, stride, stride, padding, padding, dilation, dilation)
    if let problem = window.problem { return .failure(SlidingWindowProblem(detail: problem)) }
    return .success(window)
  }

  /// What is wrong with the settings, or nil: kernel, stride and dilation must be positive and
  /// padding non-negative, each at most 2^20.
  public var problem: String? {
    let limit = 1 << 20
    let positive = [
      ("kernel", kernelRows), ("kernel", kernelColumns), ("stride", strideRows), ("stride", strideColumns),
      ("dilation", dilationRows), ("dilation", dilationColumns),
    ]
    for (name, value) in positive where !(1...limit).contains(value) {
      return "the \(name) must be from 1 to \(limit), got \(value)"
    }
    for value in [paddingRows, paddingColumns] where !(0...limit).contains(value) {
      return "the padding must be from 0 to \(limit), got \(value)"
    }
    return nil
  }

  /// Taps per window, `kernelRows * kernelColumns`.
  public var tapCount: Int { kernelRows * kernelColumns }

  /// The output rows and columns for an input of `rows` x `columns` pixels, or nil when the
  /// (padded) input is smaller than one window.
  public func outputSize(rows: Int, columns: Int) -> (rows: Int, columns: Int)? {
    guard
      let outputRows = Self.outputLength(
        rows, kernel: kernelRows, stride: strideRows, padding: paddingRows, dilation: dilationRows),
      let outputColumns = Self.outputLength(
        columns, kernel: kernelColumns, stride: strideColumns, padding: paddingColumns, dilation: dilationColumns)
    else { return nil }
    return (outputRows, outputColumns)
  }

  /// The output image of `channels` channels for an input image, or nil when the window does not fit.
  public func outputShape(of input: ImageShape, channels: Int? = nil) -> ImageShape? {
    guard let (rows, columns) = outputSize(rows: input.rows, columns: input.columns) else { return nil }
    return ImageShape.checked(channels: channels ?? input.channels, rows: rows, columns: columns)
  }

  /// `5x5`, then `stride 2`, `padding 1`, `dilation 2` where they are not the defaults.
  public var description: String {
    var text = "\(kernelRows)x\(kernelColumns)"
    func pair(_ name: String, _ rows: Int, _ columns: Int, default value: Int) {
      guard rows != value || columns != value else { return }
      text += rows == columns ? ", \(name) \(rows)" : ", \(name) \(rows)x\(columns)"
    }
    pair("stride", strideRows, strideColumns, default: 1)
    pair("padding", paddingRows, paddingColumns, default: 0)
    pair("dilation", dilationRows, dilationColumns, default: 1)
    return text
  }

  private static func outputLength(_ length: Int, kernel: Int, stride: Int, padding: Int, dilation: Int) -> Int? {
    let span = dilation * (kernel - 1) + 1
    let (padded, overflow) = length.addingReportingOverflow(2 * padding)
    guard !overflow, padded >= span else { return nil }
    return (padded - span) / stride + 1
  }
}

/// What is wrong with the settings of a window, e.g. `the stride must be from 1 to 1048576, got 0`.
public struct SlidingWindowProblem: Error, Equatable, Sendable {
  /// The problem in words.
  public var detail: String

  public init(detail: String) { self.detail = detail }
}
