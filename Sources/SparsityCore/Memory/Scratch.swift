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

/// The per-thread arena behind `Scratch`: a stack of chunks, each handing out regions from its
/// bottom up. A request that does not fit in the chunk in use goes to the next chunk, which is
/// allocated (or, when empty, grown) to fit it and then kept: nested requests reuse memory on
/// every later call instead of mapping it afresh.
final class ScratchArena {
  /// A region handed out by `push`: its chunk and that chunk's top before it.
  struct Region {
    let pointer: UnsafeMutableRawPointer
    let chunk: Int
    let previousTop: Int
  }

  private struct Chunk {
    var base: UnsafeMutableRawPointer
    var capacity: Int
    var top = 0
  }

  private var chunks: [Chunk] = []
  /// The chunk the last region came from (0 when nothing is in use).
  private var current = 0

  deinit { for chunk in chunks { chunk.base.deallocate() } }

  /// `bytes` bytes at `alignment` (at most 64, the chunks' own alignment).
  func push(bytes: Int, alignment: Int) -> Region {
    var index = current
    while true {
      if index == chunks.count {
        let capacity = Self.capacity(for: bytes)
        chunks.append(
          Chunk(base: UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 64), capacity: capacity))
      }
      if chunks[index].top == 0 && bytes > chunks[index].capacity {
        // Nothing in use here: grow (to the next power of two, so a few growths cover any workload).
        chunks[index].base.deallocate()
        chunks[index].capacity = Self.capacity(for: bytes)
        chunks[index].base = UnsafeMutableRawPointer.allocate(byteCount: chunks[index].capacity, alignment: 64)
      }
      let start = (chunks[index].top + alignment - 1) / alignment * alignment
      if start + bytes <= chunks[index].capacity {
        let region = Region(pointer: chunks[index].base + start, chunk: index, previousTop: chunks[index].top)
        chunks[index].top = start + bytes
        current = index
        return region
      }
      index += 1
    }
  }

  /// Returns `region`; regions must be returned in the reverse order of `push`.
  func pop(_ region: Region) {
    chunks[region.chunk].top = region.previousTop
    current = region.chunk
    while current > 0 && chunks[current].top == 0 { current -= 1 }
  }

  /// Bytes of a chunk for a request of `bytes`: the next power of two, at least 64 KiB.
  private static func capacity(for bytes: Int) -> Int {
    Swift.max(1 << 16, 1 << (Int.bitWidth - (bytes + 63).leadingZeroBitCount))
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
