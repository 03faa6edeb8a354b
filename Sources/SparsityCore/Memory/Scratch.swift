#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reusable scratch memory for kernels, one stack-like arena per thread.
///
/// Kernels need megabytes of temporary space (a transposed batch, gathered nonzeros). Fresh
/// allocations that large are mapped anew by the OS on every call and every page faults on
/// first touch, which measured as more than the kernel itself. The arena keeps its memory for
/// the thread's lifetime and hands out regions last-in first-out, so nested use is safe.
public enum Scratch {
  /// Calls `body` with `count` uninitialized elements of scratch memory, valid only inside it.
  public static func withBuffer<Element, Result>(
    of type: Element.Type, count: Int, _ body: (UnsafeMutablePointer<Element>) throws -> Result
  ) rethrows -> Result {
    let bytes = Swift.max(1, count) * MemoryLayout<Element>.stride
    let arena = ScratchArena.current
    let region = arena.push(bytes: bytes, alignment: Swift.max(64, MemoryLayout<Element>.alignment))
    defer { arena.pop(region) }
    return try body(region.pointer.bindMemory(to: Element.self, capacity: Swift.max(1, count)))
  }
}

/// The per-thread arena behind `Scratch`.
final class ScratchArena {
  /// A region handed out by `push`; `ownsMemory` when it had to be allocated on its own.
  struct Region {
    let pointer: UnsafeMutableRawPointer
    let previousTop: Int
    let ownsMemory: Bool
  }

  private var base: UnsafeMutableRawPointer?
  private var capacity = 0
  private var top = 0

  deinit { base?.deallocate() }

  /// `bytes` bytes at `alignment`: from the arena when it fits, else a one-off allocation.
  func push(bytes: Int, alignment: Int) -> Region {
    if top == 0 && bytes > capacity {
      // Nothing in use: grow (to the next power of two, so a few growths cover any workload).
      base?.deallocate()
      capacity = Swift.max(1 << 16, 1 << (Int.bitWidth - (bytes + alignment).leadingZeroBitCount))
      base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 64)
    }
    let start = (top + alignment - 1) / alignment * alignment
    if let base, start + bytes <= capacity {
      let region = Region(pointer: base + start, previousTop: top, ownsMemory: false)
      top = start + bytes
      return region
    }
    return Region(
      pointer: UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: alignment), previousTop: top,
      ownsMemory: true)
  }

  /// Returns `region`; regions must be returned in the reverse order of `push`.
  func pop(_ region: Region) {
    if region.ownsMemory { region.pointer.deallocate() } else { top = region.previousTop }
  }

  /// This thread's arena, created on first use and freed when the thread exits.
  static var current: ScratchArena {
    if let existing = pthread_getspecific(key) {
      return Unmanaged<ScratchArena>.fromOpaque(existing).takeUnretainedValue()
    }
    let arena = ScratchArena()
    pthread_setspecific(key, Unmanaged.passRetained(arena).toOpaque())
    return arena
  }

  private static let key: pthread_key_t = {
    var key = pthread_key_t()
    #if os(Linux)
      pthread_key_create(&key) { pointer in
        if let pointer { Unmanaged<ScratchArena>.fromOpaque(pointer).release() }
      }
    #else
      pthread_key_create(&key) { pointer in Unmanaged<ScratchArena>.fromOpaque(pointer).release() }
    #endif
    return key
  }()
}
