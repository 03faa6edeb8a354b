// One file of activation rows: where its rows lie, found from its header alone.

import Foundation
import SparsityCore

/// One `.npy` or `.safetensors` file of activations seen as a rows x columns matrix, located
/// by reading only its header: the rows themselves are read later, a range at a time, by
/// `ActivationDataset`.
///
/// An array of shape (n_0, ..., n_{r-1}) with r >= 2 holds n_0 * ... * n_{r-2} rows of
/// n_{r-1} columns in C (row-major) order, so activations saved as [batch, sequence, width]
/// are batch * sequence rows of width columns. The element types are those of
/// `ActivationElementType`; a `.npy` file's 2-byte unsigned (`<u2`) or void (`<V2`) elements
/// are read as bfloat16.
public struct ActivationFile: Equatable, Sendable {
  /// Where the file is.
  public let url: URL
  /// The tensor read from a `.safetensors` file; nil for a `.npy` file.
  public let tensor: String?
  /// The array's shape as the file gives it.
  public let shape: [Int]
  /// The number of rows: the product of all extents but the last.
  public let rows: Int
  /// The number of columns: the last extent.
  public let columns: Int
  /// How each element is stored.
  public let elementType: ActivationElementType
  /// The byte offset of the first row in the file.
  public let dataOffset: Int
  /// The file's size in bytes when its header was read.
  public let fileSize: Int

  /// The file as it was given (`URL.relativePath`), as errors name it.
  public var file: String { url.relativePath }

  /// The bytes of one row in the file.
  public var rowBytes: Int { columns * elementType.size }

  /// The headers of `.npy` files longer than this are refused (NumPy itself reads at most
  /// 10,000 bytes), so a corrupt length cannot make the reader allocate gigabytes.
  public static let maximumNPYHeaderLength = 1 << 20

  /// Reads the header of the `.npy` or `.safetensors` file at `url` (chosen by extension) and
  /// checks that the file holds the rows it announces, exactly.
  /// - Parameters:
  ///   - url: the file.
  ///   - tensor: the tensor of a `.safetensors` file to read; nil to take the only tensor of
  ///     rank 2 or more. Ignored for `.npy` files.
  /// - Throws: `ActivationDataError`: `.file` (missing file, directory, device, FIFO, and every
  ///   `.npy` fault), `.safetensors` (every safetensors fault, an unknown or ambiguous tensor),
  ///   `.unsupportedFormat`, `.unsuitableArray` (rank below 2, Fortran order, no columns,
  ///   integer elements).
  /// - Complexity: O(header size); the data is not read.
  public init(contentsOf url: URL, tensor: String? = nil) throws(ActivationDataError) {
    switch url.pathExtension.lowercased() {
    case "npy": self = try Self.npy(url)
    case "safetensors": self = try Self.safetensors(url, tensor: tensor)
    default:
      do {
        try ArrayFileAccess.checkIsFile(url)
        _ = try ArrayFileAccess.regularFileSize(url)
      } catch { throw .file(error) }
      throw .unsupportedFormat(file: url.relativePath, pathExtension: url.pathExtension)
    }
  }

  /// A file of `shape` and `elementType` whose data starts at `dataOffset`, after checking
  /// that `shape` reads as rows: rank 2 or more, at least one column.
  /// - Precondition: the element count times the element size does not overflow.
  init(
    url: URL, tensor: String?, shape: [Int], elementType: ActivationElementType, dataOffset: Int, fileSize: Int
  ) throws(ActivationDataError) {
    func unsuitable(_ detail: String) -> ActivationDataError {
      .unsuitableArray(file: url.relativePath, tensor: tensor, detail: detail)
    }
    guard shape.count >= 2 else {
      let what = shape.isEmpty ? "it is a scalar" : "its shape \(ArrayFileError.shapeText(shape)) has rank 1"
      throw unsuitable("\(what); rows need rank 2 or more (rows x columns, or batch x sequence x width)")
    }
    guard let width = shape.last, width > 0 else {
      throw unsuitable("shape \(ArrayFileError.shapeText(shape)) has rows of 0 columns")
    }
    self.url = url
    self.tensor = tensor
    self.shape = shape
    self.rows = shape.dropLast().reduce(1, *)
    self.columns = width
    self.elementType = elementType
    self.dataOffset = dataOffset
    self.fileSize = fileSize
  }

  /// The names of the element types activations may have, for messages.
  static let supportedTypesText =
    "activations must be float32 '<f4', float16 '<f2', bfloat16 ('<u2' or '<V2') or float64 '<f8'"
}
