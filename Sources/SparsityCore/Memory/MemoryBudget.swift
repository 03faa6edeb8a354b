// How much memory this process may still allocate, and the check of an estimate against it, so
// that work too large for the machine is refused with a message instead of being killed.

import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The memory this process may still use, and checks of `MemoryEstimate`s against it.
///
/// The budget is the smallest of: the memory the kernel reports available (`MemAvailable`), the
/// room left under a cgroup limit (containers), and the room left under the address-space limit
/// (`ulimit -v`). The environment variable `SPARSITY_MEMORY_LIMIT` replaces it (bytes, or with a
/// suffix `K`, `M`, `G`, `T` in binary units: `SPARSITY_MEMORY_LIMIT=64G`), to raise it on a
/// machine with swap or to lower it on a shared one.
public enum MemoryBudget {
  /// The environment variable that sets the budget.
  public static let environmentVariable = "SPARSITY_MEMORY_LIMIT"

  /// Where a budget comes from, for messages.
  public struct Budget: Equatable, Sendable {
    /// The bytes that may still be allocated.
    public let bytes: Int
    /// What set them: `memory available`, `cgroup limit`, `ulimit -v` or the environment variable.
    public let source: String

    /// A budget of `bytes` set by `source`.
    public init(bytes: Int, source: String) {
      self.bytes = bytes
      self.source = source
    }
  }

  /// The budget now: `SPARSITY_MEMORY_LIMIT` when set, else the machine's smallest limit.
  /// - Throws: `MemoryBudgetError.invalidLimit` when `SPARSITY_MEMORY_LIMIT` is not a size.
  public static func current() throws(MemoryBudgetError) -> Budget {
    if let text = ProcessInfo.processInfo.environment[environmentVariable] {
      guard let bytes = parseSize(text) else { throw .invalidLimit(text) }
      return Budget(bytes: bytes, source: environmentVariable)
    }
    return machineBudget()
  }

  /// Throws unless `estimate` fits in the budget.
  /// - Parameters:
  ///   - estimate: the bytes the work needs.
  ///   - subject: what asks for them, as the user wrote it (`--atoms 2000000`, `image big.png`).
  /// - Throws: `MemoryBudgetError.insufficient` naming `subject`, the bytes needed and those
  ///   available; `.invalidLimit` for a bad `SPARSITY_MEMORY_LIMIT`.
  public static func check(_ estimate: MemoryEstimate, for subject: @autoclosure () -> String)
    throws(MemoryBudgetError)
  {
    try check(estimate, for: subject(), against: current())
  }

  /// Throws unless `estimate` fits in `budget`.
  /// - Throws: `MemoryBudgetError.insufficient` naming `subject`.
  public static func check(_ estimate: MemoryEstimate, for subject: @autoclosure () -> String, against budget: Budget)
    throws(MemoryBudgetError)
  {
    if let bytes = estimate.bytes, bytes <= budget.bytes { return }
    throw .insufficient(subject: subject(), needed: estimate, budget: budget)
  }

  /// A size in bytes: digits, optionally followed by `K`, `M`, `G` or `T` (powers of 1024,
  /// an optional trailing `B` or `iB`); nil for anything else or past `Int.max`.
  public static func parseSize(_ text: String) -> Int? {
    var digits = text.trimmingCharacters(in: .whitespaces).uppercased()
    for suffix in ["IB", "B"] where digits.hasSuffix(suffix) && digits.count > suffix.count {
      digits.removeLast(suffix.count)
      break
    }
    var shift = 0
    if let last = digits.last, let index = "KMGT".firstIndex(of: last) {
      shift = 10 * ("KMGT".distance(from: "KMGT".startIndex, to: index) + 1)
      digits.removeLast()
    }
    guard !digits.isEmpty, digits.allSatisfy({ ("0"..."9").contains($0) }), let value = Int(digits) else { return nil }
    let (bytes, overflow) = value.multipliedReportingOverflow(by: 1 << shift)
    return overflow ? nil : bytes
  }

  /// The smallest of the machine's limits (memory available, cgroup, address space).
  static func machineBudget() -> Budget {
    var candidates = [Budget]()
    #if os(Linux)
      if let available = meminfoAvailable() { candidates.append(Budget(bytes: available, source: "memory available")) }
      if let room = cgroupRoom() { candidates.append(Budget(bytes: room, source: "cgroup memory limit")) }
    #else
      candidates.append(
        Budget(bytes: Int(clamping: ProcessInfo.processInfo.physicalMemory), source: "physical memory"))
    #endif
    if let room = addressSpaceRoom() { candidates.append(Budget(bytes: room, source: "ulimit -v")) }
    return candidates.min { $0.bytes < $1.bytes } ?? Budget(bytes: Int.max, source: "no known limit")
  }

  /// `MemAvailable` of /proc/meminfo in bytes.
  static func meminfoAvailable() -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
      let fields = line.split(separator: " ")
      guard fields.count >= 2, let kilobytes = Int(fields[1]) else { return nil }
      return kilobytes.multipliedReportingOverflow(by: 1024).overflow ? nil : kilobytes * 1024
    }
    return nil
  }

  /// The room left under this process's cgroup memory limit (v2, else v1), nil without one.
  static func cgroupRoom() -> Int? {
    func number(_ path: String) -> Int? {
      guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
      return Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
    let pairs = [
      ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),
      ("/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.usage_in_bytes"),
    ]
    for (limitPath, usagePath) in pairs {
      // "max" (v2) does not parse and v1 writes a huge number for no limit: both mean none.
      guard let limit = number(limitPath), limit < 1 << 60 else { continue }
      return Swift.max(0, limit - (number(usagePath) ?? 0))
    }
    return nil
  }

  /// The room left under the address-space limit (`ulimit -v`), nil without one.
  static func addressSpaceRoom() -> Int? {
    var limit = rlimit()
    #if os(Linux)
      guard getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0 else { return nil }
    #else
      guard getrlimit(RLIMIT_AS, &limit) == 0 else { return nil }
    #endif
    // No limit is RLIM_INFINITY, all bits set, which is past Int.max.
    guard limit.rlim_cur < UInt64(Int.max) else { return nil }
    return Swift.max(0, Int(limit.rlim_cur) - (virtualSize() ?? 0))
  }

  /// This process's virtual size in bytes (Linux: /proc/self/statm), nil elsewhere.
  static func virtualSize() -> Int? {
    #if os(Linux)
      guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
        let pages = text.split(separator: " ").first.flatMap({ Int($0) })
      else { return nil }
      return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    #else
      return nil
    #endif
  }
}

/// Work that does not fit in memory, or a `SPARSITY_MEMORY_LIMIT` that is not a size.
public enum MemoryBudgetError: Error, Equatable, Sendable, CustomStringConvertible {
  /// `subject` needs `needed` bytes but the budget has fewer.
  case insufficient(subject: String, needed: MemoryEstimate, budget: MemoryBudget.Budget)
  /// `SPARSITY_MEMORY_LIMIT` holds `text`, which is not a size.
  case invalidLimit(String)

  public var description: String {
    switch self {
    case .insufficient(let subject, let needed, let budget):
      let available = MemoryEstimate.describe(bytes: budget.bytes)
      let hint =
        budget.source == MemoryBudget.environmentVariable
        ? "the limit \(MemoryBudget.environmentVariable) sets"
        : "available (\(budget.source); \(MemoryBudget.environmentVariable) overrides it)"
      return "\(subject): needs \(needed) of memory, more than the \(available) \(hint)"
    case .invalidLimit(let text):
      return
        "\(MemoryBudget.environmentVariable)='\(text)' is not a size in bytes (digits with an optional K, M, G or T)"
    }
  }
}
