#if canImport(Glibc)
  import Glibc
#endif

/// Large arrays backed by transparent huge pages where the OS offers them.
///
/// Weight matrices of tens of megabytes read in scattered rows (activation skipping reads only
/// the rows of active inputs) miss the TLB on every row with 4 KiB pages. Asking Linux for
/// 2 MiB pages (`madvise(MADV_HUGEPAGE)`) before the memory is first touched removes those
/// misses. Elsewhere, or when the hint is refused, this is an ordinary array.
public enum HugePageArray {
  /// Arrays smaller than this are not worth a hint.
  public static let minimumBytes = 4 << 20

  /// An array of `count` elements, hinted to huge pages, then filled by `initialize`, which
  /// must write every element.
  public static func make<Element>(
    count: Int, _ initialize: (UnsafeMutableBufferPointer<Element>) -> Void
  ) -> [Element] {
    [Element](unsafeUninitializedCapacity: count) { buffer, initializedCount in
      adviseHugePages(UnsafeMutableRawBufferPointer(buffer))
      initialize(buffer)
      initializedCount = count
    }
  }

  /// A copy of `source` in huge-page-backed memory.
  public static func copy<Element>(_ source: [Element]) -> [Element] {
    make(count: source.count) { buffer in
      _ = buffer.initialize(from: source)
    }
  }

  /// Hints the whole 2 MiB pages inside `memory` to huge pages (Linux only).
  static func adviseHugePages(_ memory: UnsafeMutableRawBufferPointer) {
    #if os(Linux)
      guard memory.count >= minimumBytes, let base = memory.baseAddress else { return }
      let page = 2 << 20
      let start = (Int(bitPattern: base) + page - 1) & ~(page - 1)
      let end = (Int(bitPattern: base) + memory.count) & ~(page - 1)
      guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
      _ = madvise(pointer, end - start, MADV_HUGEPAGE)
    #endif
  }
}
