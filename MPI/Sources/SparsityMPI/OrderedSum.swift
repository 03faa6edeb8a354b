// Sums over the ranks whose bits do not depend on the number of ranks: the work is cut into a
// fixed number of parts, and the parts' vectors are added in part order, whoever computed them.
import CMPI
import SparsityCore

extension Communicator {
  /// The parts rank `rank` holds when `total` parts are dealt out in order: ⌊r·P/N⌋ ..< ⌊(r+1)·P/N⌋
  /// (contiguous, in rank order; some ranks hold none when P < N).
  public func parts(of rank: Int, total: Int) -> Range<Int> { BatchParts.range(rank, of: size, count: total) }

  /// The parts this rank holds (`parts(of: rank, total:)`).
  public func localParts(total: Int) -> Range<Int> { parts(of: rank, total: total) }

  /// The sum of `parts` vectors of `count` elements, on every rank, with the same bits for any
  /// number of ranks:
  ///
  ///     total[e] = Float(((part₀[e] + part₁[e]) + part₂[e]) + … + part_{P−1}[e])   (in Double)
  ///
  /// `local` holds this rank's parts (`localParts(total: parts)`), each `count` long, back to
  /// back. Element segment s (⌊s·count/N⌋ ..< ⌊(s+1)·count/N⌋) is added up on rank s: one
  /// all-to-all sends each rank the segment of every part, the rank adds them in part order,
  /// and one all-gather shares the sums. Each rank sends (its parts + 1) · (N − 1)/N · count
  /// values, 2 · (N − 1)/N · count when every rank holds one part: a ring allreduce's volume.
  public func orderedSum(
    _ local: UnsafeBufferPointer<Float>, count: Int, parts: Int, into result: UnsafeMutableBufferPointer<Float>
  ) throws {
    let mine = localParts(total: parts)
    guard parts >= 1, count >= 0, local.count == mine.count * count, result.count == count else {
      throw MPIError(
        rank: rank,
        message:
          "orderedSum: \(local.count) values for parts \(mine) of \(parts) with \(count) elements each, into \(result.count)"
      )
    }
    try agreeOnLength(count, "orderedSum")
    let segment = { (s: Int) in (s * count / self.size)..<((s + 1) * count / self.size) }
    let held = (0..<size).map { self.parts(of: $0, total: parts).count }
    // Send: for each rank s, segment s of every local part, in part order.
    if sendBuffer.count < local.count { sendBuffer = [Float](repeating: 0, count: local.count) }
    var sendCounts = [Int32]()
    var sendOffsets = [Int32]()
    var sent = 0
    sendBuffer.withUnsafeMutableBufferPointer { send in
      for s in 0..<size {
        let range = segment(s)
        for p in 0..<mine.count {
          (send.baseAddress! + sent).update(from: local.baseAddress! + p * count + range.lowerBound, count: range.count)
          sent += range.count
        }
      }
    }
    var offset = 0
    for s in 0..<size {
      sendOffsets.append(try mpiCount(offset, "orderedSum"))
      sendCounts.append(try mpiCount(mine.count * segment(s).count, "orderedSum"))
      offset += mine.count * segment(s).count
    }
    let ownSegment = segment(rank)
    var receiveCounts = [Int32]()
    var receiveOffsets = [Int32]()
    var received = 0
    for q in 0..<size {
      receiveOffsets.append(try mpiCount(received, "orderedSum"))
      received += held[q] * ownSegment.count
      receiveCounts.append(try mpiCount(held[q] * ownSegment.count, "orderedSum"))
    }
    if receiveBuffer.count < Swift.max(1, received) {
      receiveBuffer = [Float](repeating: 0, count: Swift.max(1, received))
    }
    operations += 2
    bytesSent += (sent - Int(sendCounts[rank])) * MemoryLayout<Float>.stride
    try sendBuffer.withUnsafeBufferPointer { s in
      try receiveBuffer.withUnsafeMutableBufferPointer { r in
        try check(
          MPI_Alltoallv(
            s.baseAddress, sendCounts, sendOffsets, sparsity_mpi_float(), r.baseAddress, receiveCounts,
            receiveOffsets, sparsity_mpi_float(), sparsity_mpi_world()), "MPI_Alltoallv")
      }
    }
    // The parts arrive in rank order, each rank's in part order: that is part order. This rank's
    // segment is folded into its place in `result`, then the segments are shared.
    let width = ownSegment.count
    receiveBuffer.withUnsafeBufferPointer { r in
      LocalPartReduction.fold(
        r.baseAddress!, count: width, parts: parts, into: result.baseAddress! + ownSegment.lowerBound)
    }
    let counts = try (0..<size).map { try mpiCount(segment($0).count, "orderedSum") }
    let offsets = try (0..<size).map { try mpiCount(segment($0).lowerBound, "orderedSum") }
    bytesSent += width * (size - 1) * MemoryLayout<Float>.stride
    try check(
      MPI_Allgatherv(
        sparsity_mpi_in_place(), 0, sparsity_mpi_float(), result.baseAddress, counts, offsets, sparsity_mpi_float(),
        sparsity_mpi_world()), "MPI_Allgatherv")
  }
}

extension Communicator: PartReduction {
  /// True on rank 0, which alone writes files and prints progress.
  public var isLeader: Bool { rank == 0 }

  /// The sum of `parts` vectors of `count` values, in part order, on every rank: every part's
  /// vector is gathered to every rank (for the small per-step sums, a few values per part) and
  /// added as `LocalPartReduction.fold` adds them.
  public func orderedSum(_ local: [Double], count: Int, parts: Int) throws -> [Double] {
    let mine = localParts(total: parts)
    guard local.count == mine.count * count else {
      throw MPIError(rank: rank, message: "orderedSum: \(local.count) values for parts \(mine) of \(count)")
    }
    try agreeOnLength(count, "orderedSum")
    let counts = (0..<size).map { self.parts(of: $0, total: parts).count * count }
    let all = try allGather(local, counts: counts, type: sparsity_mpi_double(), "orderedSum")
    return LocalPartReduction.fold(all, count: count, parts: parts)
  }

  /// Every part's vector, in part order, on every rank (lengths may differ).
  public func gatherParts(_ local: [[Float]], parts: Int) throws -> [[Float]] {
    let mine = localParts(total: parts)
    guard local.count == mine.count else {
      throw MPIError(rank: rank, message: "gatherParts: \(local.count) vectors for parts \(mine)")
    }
    var lengths = [Int64](repeating: 0, count: parts)
    for (i, part) in mine.enumerated() { lengths[part] = Int64(local[i].count) }
    try sum(&lengths)
    let counts = (0..<size).map { q in Int(self.parts(of: q, total: parts).reduce(Int64(0)) { $0 + lengths[$1] }) }
    let all = try allGather(local.flatMap { $0 }, counts: counts, type: sparsity_mpi_float(), "gatherParts")
    var result = [[Float]]()
    var start = 0
    for p in 0..<parts {
      result.append(Array(all[start..<(start + Int(lengths[p]))]))
      start += Int(lengths[p])
    }
    return result
  }

  /// Every rank's `local` (rank q sending counts[q] values), concatenated in rank order, on
  /// every rank (MPI_Allgatherv).
  private func allGather<T: Numeric>(_ local: [T], counts: [Int], type: MPI_Datatype, _ what: String) throws -> [T] {
    let sizes = try counts.map { try mpiCount($0, what) }
    var offsets = [Int32]()
    var total = 0
    for count in counts {
      offsets.append(try mpiCount(total, what))
      total += count
    }
    var all = [T](repeating: 0, count: total)
    operations += 1
    bytesSent += local.count * (size - 1) * MemoryLayout<T>.stride
    try local.withUnsafeBufferPointer { s in
      try all.withUnsafeMutableBufferPointer { r in
        try check(
          MPI_Allgatherv(
            s.baseAddress, try mpiCount(local.count, what), type, r.baseAddress, sizes, offsets, type,
            sparsity_mpi_world()), "MPI_Allgatherv")
      }
    }
    return all
  }
}
