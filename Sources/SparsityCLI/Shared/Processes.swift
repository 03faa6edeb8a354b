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
    static func finish(failed: Bool) {}
  }
#endif
