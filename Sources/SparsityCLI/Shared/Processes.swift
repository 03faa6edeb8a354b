// The processes a run is spread over. This tool alone is one process; the MPI build of the
// same sources (`sparsity-mpi`, the MPI/ package, where SparsityMPI can be imported) is one of
// the ranks `mpirun` started, and adds the parts of each batch up with the others.
import Foundation
import SparsityCore

#if canImport(SparsityMPI)
  import SparsityMPI

  enum Processes {
    /// This job's ranks, MPI started on first use.
    static let communicator: Communicator = {
      do { return try Communicator.start() } catch {
        FileHandle.standardError.write(Data("sparsity: \(error)\n".utf8))
        exit(2)
      }
    }()
    /// The number of processes of the job.
    static var count: Int { communicator.size }
    /// How parts of a batch are added up: over the ranks.
    static var reduction: any PartReduction { communicator }
    /// This process's rank in messages ("rank 1: "), empty for one process.
    static var label: String { communicator.size > 1 ? "rank \(communicator.rank): " : "" }
    /// What this rank sent over `steps` steps: bytes per step against the gradient's.
    static func communication(steps: Int, gradientValues: Int) -> String? {
      guard communicator.size > 1, steps > 0 else { return nil }
      let perStep = Double(communicator.bytesSent) / Double(steps)
      return String(
        format: "Communication: rank %d sent %.2f MB per step in %.1f collective operations (the gradient is %.2f MB).",
        communicator.rank, perStep / 1e6, Double(communicator.operations) / Double(steps),
        Double(gradientValues * 4) / 1e6)
    }
    /// Ends MPI before the process exits; with `failed`, stops every rank.
    static func finish(failed: Bool) {
      if failed && communicator.size > 1 { communicator.abort("stopping the job", code: 2) }
      communicator.finish()
    }
  }
#else
  enum Processes {
    /// One process.
    static var count: Int { 1 }
    /// Every part of a batch in this process.
    static var reduction: any PartReduction { LocalPartReduction() }
    static var label: String { "" }
    static func communication(steps: Int, gradientValues: Int) -> String? { nil }
    static func finish(failed: Bool) {}
  }
#endif
