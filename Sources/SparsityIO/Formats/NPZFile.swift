// Sparse matrices as .npz archives in scipy.sparse's CSR layout.

import Foundation
import SparsityCore

/// A `CSRMatrix` as a `.npz` file in the layout of `scipy.sparse.save_npz`, so that
/// `scipy.sparse.load_npz(path)` reads it (as a `csr_matrix`) and this reader reads scipy's.
///
/// The archive (written stored, uncompressed, atomically) holds five `.npy` arrays:
/// `indices.npy` (int32 column of each stored entry), `indptr.npy` (rows + 1 row offsets,
/// int32, or int64 past 2^31 - 1 entries), `format.npy` (the byte string `csr`), `shape.npy`
/// (int64 rows, columns) and `data.npy` (float32 values). Reading also accepts compressed
/// archives (`save_npz(compressed=True)`, scipy's default), any integer width for indices and
/// offsets, and values of any `NPYDataType` (converted to Float); every array is validated.
///
/// Reference: scipy `scipy/sparse/_matrix_io.py` (`save_npz`, `load_npz`); NumPy `numpy.savez`.
public enum NPZFile {
  /// Writes `matrix` to `url` atomically (a temporary file renamed into place).
  /// - Throws: `NPZFileError.array(.unwritable)` naming the file.
  public static func write(_ matrix: CSRMatrix, to url: URL) throws(NPZFileError) {
    do { try ArrayFileAccess.write(encode(matrix), to: url) } catch { throw .array(error) }
  }

  /// Reads the CSR matrix stored in the `.npz` file at `url`.
  /// - Throws: `NPZFileError` naming the file and the problem.
  public static func readCSR(contentsOf url: URL) throws(NPZFileError) -> CSRMatrix {
    let data: Data
    do { data = try ArrayFileAccess.contents(of: url) } catch { throw .array(error) }
    return try decodeCSR(data, file: url.relativePath)
  }

  /// The archive bytes for `matrix`.
  /// - Complexity: O(rows + stored entries).
  public static func encode(_ matrix: CSRMatrix) -> Data {
    let wide = matrix.nonzeroCount > Int(Int32.max)
    let indptr =
      wide
      ? littleEndianBytes(matrix.rowOffsets.map { Int64($0) })
      : littleEndianBytes(matrix.rowOffsets.map { Int32($0) })
    let entries: [(String, NPYEntry)] = [
      (
        "indices.npy",
        NPYEntry(descriptor: "<i4", shape: [matrix.nonzeroCount], payload: littleEndianBytes(matrix.columnIndices))
      ),
      ("indptr.npy", NPYEntry(descriptor: wide ? "<i8" : "<i4", shape: [matrix.rows + 1], payload: indptr)),
      ("format.npy", NPYEntry(descriptor: "|S3", shape: [], payload: Data("csr".utf8))),
      (
        "shape.npy",
        NPYEntry(
          descriptor: "<i8", shape: [2], payload: littleEndianBytes([Int64(matrix.rows), Int64(matrix.columns)]))
      ),
      (
        "data.npy",
        NPYEntry(
          descriptor: "<f4", shape: [matrix.nonzeroCount],
          payload: littleEndianBytes(matrix.values.map { $0.bitPattern }))
      ),
    ]
    return ZipArchive.encode(entries.map { (name: $0.0, data: $0.1.encoded) })
  }

  /// Decodes archive bytes into a CSR matrix; `file` names it in errors.
  /// - Throws: `NPZFileError` for a bad archive, a missing or invalid array, or arrays that do
  ///   not form a CSR matrix (format other than csr, offsets not from 0 to the entry count or
  ///   decreasing, columns out of range, lengths that disagree).
  public static func decodeCSR(_ data: Data, file: String) throws(NPZFileError) -> CSRMatrix {
    let archive = try ZipArchive.entries(of: data, file: file)
    func entry(_ name: String) throws(NPZFileError) -> NPYEntry {
      guard let bytes = archive[name] else { throw .missingEntry(file: file, entry: name) }
      do { return try NPYEntry(decoding: bytes, file: "\(file) entry \(name)") } catch { throw .array(error) }
    }
    let format = try entry("format.npy").text
    guard format == "csr" else {
      throw .invalidSparseMatrix(file: file, detail: "format is '\(format ?? "not a string")', only 'csr' is read")
    }
    func integers(_ name: String) throws(NPZFileError) -> [Int] {
      let array = try entry(name)
      do { return try array.integers(file: "\(file) entry \(name)") } catch { throw .array(error) }
    }
    let values: [Float]
    let data = try entry("data.npy")
    do { values = try data.floats(file: "\(file) entry data.npy") } catch { throw .array(error) }
    let (shape, offsets, columns) = (try integers("shape.npy"), try integers("indptr.npy"), try integers("indices.npy"))
    return try validated(shape: shape, offsets: offsets, columns: columns, values: values, file: file)
  }

  /// The CSR matrix of the arrays, after checking every property `CSRMatrix` requires.
  private static func validated(
    shape: [Int], offsets: [Int], columns: [Int], values: [Float], file: String
  ) throws(NPZFileError) -> CSRMatrix {
    func invalid(_ detail: String) -> NPZFileError { .invalidSparseMatrix(file: file, detail: detail) }
    guard shape.count == 2, shape[0] >= 0, shape[1] >= 0, shape[1] <= Int(Int32.max) else {
      throw invalid("shape \(shape) is not two sizes (columns below 2^31)")
    }
    let (rows, width) = (shape[0], shape[1])
    guard offsets.count - 1 == rows else {  // not rows + 1: rows may be Int.max
      throw invalid("indptr has \(offsets.count) entries, expected rows + 1 with \(rows) rows")
    }
    guard columns.count == values.count else {
      throw invalid("indices has \(columns.count) entries but data has \(values.count)")
    }
    guard offsets.first == 0, offsets.last == values.count else {
      throw invalid(
        "indptr must run from 0 to the \(values.count) stored entries, runs from \(offsets.first!) to \(offsets.last!)")
    }
    if let row = (0..<rows).first(where: { offsets[$0] > offsets[$0 + 1] }) {
      throw invalid("indptr decreases at row \(row)")
    }
    if let bad = columns.firstIndex(where: { $0 < 0 || $0 >= width }) {
      throw invalid("column index \(columns[bad]) (entry \(bad)) is outside 0..<\(width)")
    }
    return CSRMatrix(
      rows: rows, columns: width, rowOffsets: offsets, columnIndices: columns.map { Int32($0) }, values: values)
  }

  /// The little-endian bytes of fixed-width integers.
  private static func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> Data {
    let little = values.map { $0.littleEndian }
    return little.withUnsafeBytes { Data($0) }
  }
}
