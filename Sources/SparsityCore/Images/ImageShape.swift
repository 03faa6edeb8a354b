// The shape of one image sample: channels, then rows and columns of pixels (NCHW without the N).

/// The channels and pixel grid of image samples, whose features are stored channel by channel,
/// each channel row by row: the layout of one sample of an NCHW batch (PyTorch's default), so a
/// batch of images is a (batch, channels * rows * columns) matrix.
public struct ImageShape: Sendable, Hashable, CustomStringConvertible {
  /// Channels (1 for gray images, 3 for RGB, the filters of a convolution's output).
  public var channels: Int
  /// Pixel rows (8 for digits, 28 for MNIST).
  public var rows: Int
  /// Pixel columns.
  public var columns: Int

  /// An image shape of `channels` planes of `rows` x `columns` pixels.
  /// - Precondition: all positive, and `channels * rows * columns` fits in `Int` (check sizes
  ///   read from files or typed by users with `checked(channels:rows:columns:)` first).
  public init(channels: Int = 1, rows: Int, columns: Int) {
    precondition(
      Self.checked(channels: channels, rows: rows, columns: columns) != nil,
      "ImageShape: \(channels)x\(rows)x\(columns) must be positive and its size must fit in Int")
    self.channels = channels
    self.rows = rows
    self.columns = columns
  }

  /// The shape, or nil when a side is not positive or the element count overflows `Int`.
  public static func checked(channels: Int = 1, rows: Int, columns: Int) -> ImageShape? {
    guard channels > 0, rows > 0, columns > 0 else { return nil }
    let (plane, overflow) = rows.multipliedReportingOverflow(by: columns)
    guard !overflow, !channels.multipliedReportingOverflow(by: plane).overflow else { return nil }
    return ImageShape(unchecked: channels, rows, columns)
  }

  private init(unchecked channels: Int, _ rows: Int, _ columns: Int) {
    self.channels = channels
    self.rows = rows
    self.columns = columns
  }

  /// Pixels per channel, `rows * columns`.
  public var pixelCount: Int { rows * columns }

  /// Features per sample, `channels * rows * columns`.
  public var featureCount: Int { channels * rows * columns }

  /// `28x28` for one channel, `3x32x32` for more.
  public var description: String {
    channels == 1 ? "\(rows)x\(columns)" : "\(channels)x\(rows)x\(columns)"
  }
}
