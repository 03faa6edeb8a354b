// The ranks of one MPI job and the collective operations Sparsity's distributed training uses:
// allreduce (sum, maximum), broadcast, gather, barrier. MPI's errors come back as Swift errors
// naming the rank (the communicator returns them instead of aborting the job).
import CMPI
import Foundation

/// An error from MPI, or from a check across the ranks, with the rank that saw it.
public struct MPIError: Error, CustomStringConvertible, Sendable {
  /// The rank that saw the error (-1 before MPI knew it).
  public let rank: Int
  /// What failed, in one line.
  public let message: String

  public init(rank: Int, message: String) {
    self.rank = rank
    self.message = message
  }

  public var description: String { rank >= 0 ? "rank \(rank): \(message)" : message }
}

/// The processes of one MPI job (MPI_COMM_WORLD): this process's rank, the job's size, and
/// collective operations over all of them.
///
/// Every rank must call the same collective operations in the same order with the same sizes
/// (MPI's rule: a rank that skips one leaves the others waiting). Sizes are checked before the
/// call where a mismatch would corrupt memory. Only the thread that started MPI may call it
/// (MPI_THREAD_FUNNELED); Sparsity's worker threads never do.
public final class Communicator: @unchecked Sendable {
  /// This process's rank, 0 ..< size.
  public let rank: Int
  /// The number of ranks.
  public let size: Int
  /// Bytes of payload this rank has handed to collective operations since it started (or since
  /// `resetCounters`): for an allreduce or broadcast, the buffer's size; for the all-to-all and
  /// gather of `orderedSum`, what it sends to the other ranks.
  public internal(set) var bytesSent = 0
  /// Collective operations called since start (or `resetCounters`).
  public internal(set) var operations = 0
  /// `orderedSum`'s send and receive buffers, kept from call to call.
  var sendBuffer: [Float] = []
  var receiveBuffer: [Float] = []

  private init(rank: Int, size: Int) {
    self.rank = rank
    self.size = size
  }

  /// Starts MPI for this process (once per process), with errors returned to the caller.
  public static func start() throws -> Communicator {
    var provided: Int32 = 0
    var argc: Int32 = 0
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = nil
    let code = MPI_Init_thread(&argc, &argv, sparsity_mpi_thread_funneled(), &provided)
    guard code == sparsity_mpi_success() else {
      throw MPIError(rank: -1, message: "MPI_Init_thread failed: \(errorText(code))")
    }
    MPI_Comm_set_errhandler(sparsity_mpi_world(), sparsity_mpi_errors_return())
    var (rank, size): (Int32, Int32) = (0, 0)
    MPI_Comm_rank(sparsity_mpi_world(), &rank)
    MPI_Comm_size(sparsity_mpi_world(), &size)
    return Communicator(rank: Int(rank), size: Int(size))
  }

  /// Ends MPI for this process; no operation may follow.
  public func finish() { MPI_Finalize() }

  /// Ends the whole job: prints `rank r: message` on standard error, then MPI_Abort with `code`
  /// (the other ranks are stopped by the launcher, and `mpirun` exits with an error).
  public func abort(_ message: String, code: Int32 = 2) -> Never {
    FileHandle.standardError.write(Data("rank \(rank): \(message)\n".utf8))
    MPI_Abort(sparsity_mpi_world(), code)
    exit(code)
  }

  /// Zeroes `bytesSent` and `operations`.
  public func resetCounters() {
    bytesSent = 0
    operations = 0
  }

  /// Waits until every rank reaches it.
  public func barrier() throws {
    operations += 1
    try check(MPI_Barrier(sparsity_mpi_world()), "MPI_Barrier")
  }

  /// values = the elementwise sum over the ranks (MPI_Allreduce), on every rank. The order of
  /// the additions is MPI's: use `orderedSum` where the bits must not depend on the rank count.
  public func sum(_ values: inout [Double]) throws {
    try allreduce(&values, sparsity_mpi_double(), sparsity_mpi_sum(), "MPI_Allreduce(sum)")
  }

  /// values = the elementwise sum over the ranks, exact (integers), on every rank.
  public func sum(_ values: inout [Int64]) throws {
    try allreduce(&values, sparsity_mpi_int64(), sparsity_mpi_sum(), "MPI_Allreduce(sum)")
  }

  /// values = the elementwise maximum over the ranks, on every rank.
  public func maximum(_ values: inout [Double]) throws {
    try allreduce(&values, sparsity_mpi_double(), sparsity_mpi_max(), "MPI_Allreduce(max)")
  }

  /// values = rank `root`'s values, on every rank (each rank's array must have root's length).
  public func broadcast(_ values: inout [Float], from root: Int) throws {
    try broadcastElements(&values, sparsity_mpi_float(), root)
  }

  /// values = rank `root`'s values, on every rank (each rank's array must have root's length).
  public func broadcast(_ values: inout [Double], from root: Int) throws {
    try broadcastElements(&values, sparsity_mpi_double(), root)
  }

  /// Every rank's `values` (all of one length), in rank order, on every rank (MPI_Allgather).
  public func gather(_ values: [Double]) throws -> [[Double]] {
    try agreeOnLength(values.count, "gather")
    var all = [Double](repeating: 0, count: values.count * size)
    let count = try mpiCount(values.count, "gather")
    operations += 1
    bytesSent += values.count * MemoryLayout<Double>.stride
    try values.withUnsafeBufferPointer { send in
      try all.withUnsafeMutableBufferPointer { receive in
        try check(
          MPI_Allgather(
            send.baseAddress, count, sparsity_mpi_double(), receive.baseAddress, count, sparsity_mpi_double(),
            sparsity_mpi_world()), "MPI_Allgather")
      }
    }
    return (0..<size).map { Array(all[($0 * values.count)..<(($0 + 1) * values.count)]) }
  }

  /// Throws unless every rank passed the same `length` (one small allreduce): a collective
  /// operation with mismatched sizes would otherwise overrun a buffer or hang.
  func agreeOnLength(_ length: Int, _ what: String) throws {
    var bounds = [Double(length), -Double(length)]
    try allreduce(&bounds, sparsity_mpi_double(), sparsity_mpi_max(), "MPI_Allreduce(max)")
    guard bounds[0] == Double(length) && -bounds[1] == Double(length) else {
      throw MPIError(
        rank: rank,
        message:
          "\(what): the ranks passed different lengths (here \(length), from \(Int(-bounds[1])) to \(Int(bounds[0])))")
    }
  }

  /// A count as MPI's 32-bit int, or an error naming the operation.
  func mpiCount(_ count: Int, _ what: String) throws -> Int32 {
    guard let value = Int32(exactly: count) else {
      throw MPIError(rank: rank, message: "\(what): \(count) elements exceed MPI's 32-bit count")
    }
    return value
  }

  /// Throws an `MPIError` naming `what` and MPI's own message unless `code` is MPI_SUCCESS.
  func check(_ code: Int32, _ what: String) throws {
    guard code != sparsity_mpi_success() else { return }
    throw MPIError(rank: rank, message: "\(what) failed: \(Self.errorText(code))")
  }

  private func allreduce<T>(_ values: inout [T], _ type: MPI_Datatype, _ op: MPI_Op, _ what: String) throws {
    let count = try mpiCount(values.count, what)
    operations += 1
    bytesSent += values.count * MemoryLayout<T>.stride
    try values.withUnsafeMutableBufferPointer { buffer in
      try check(
        MPI_Allreduce(sparsity_mpi_in_place(), buffer.baseAddress, count, type, op, sparsity_mpi_world()), what)
    }
  }

  private func broadcastElements<T>(_ values: inout [T], _ type: MPI_Datatype, _ root: Int) throws {
    guard (0..<size).contains(root) else {
      throw MPIError(rank: rank, message: "broadcast: root \(root) is not a rank of this \(size)-rank job")
    }
    try agreeOnLength(values.count, "broadcast")
    let count = try mpiCount(values.count, "broadcast")
    operations += 1
    if rank == root { bytesSent += values.count * MemoryLayout<T>.stride }
    try values.withUnsafeMutableBufferPointer { buffer in
      try check(MPI_Bcast(buffer.baseAddress, count, type, Int32(root), sparsity_mpi_world()), "MPI_Bcast")
    }
  }

  static func errorText(_ code: Int32) -> String {
    var buffer = [CChar](repeating: 0, count: Int(sparsity_mpi_max_error_string()) + 1)
    var length: Int32 = 0
    MPI_Error_string(code, &buffer, &length)
    return String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
