import Testing

@testable import SparsityCore

@Suite struct ScratchTests {
  @Test func nestedBuffersDoNotOverlapAndAreReused() {
    var outer: UnsafeMutablePointer<Float>?
    Scratch.withBuffer(of: Float.self, count: 1000) { a in
      a.initialize(repeating: 1, count: 1000)
      outer = a
      Scratch.withBuffer(of: Int32.self, count: 500) { b in
        b.initialize(repeating: 7, count: 500)
        let aStart = UnsafeRawPointer(a)
        let aEnd = aStart + 4000
        let bStart = UnsafeRawPointer(b)
        #expect(bStart >= aEnd || bStart + 2000 <= aStart)
        // Larger than the arena while it is in use: a chunk of its own, still usable.
        Scratch.withBuffer(of: Float.self, count: 10_000_000) { c in
          c[9_999_999] = 3
          #expect(c[9_999_999] == 3)
        }
      }
      #expect((0..<1000).allSatisfy { a[$0] == 1 })
    }
    Scratch.withBuffer(of: Float.self, count: 1000) { again in
      #expect(again == outer)  // the same memory, handed out again
    }
  }

  @Test func aNestedRequestLargerThanTheArenaIsKeptForTheNextCall() {
    // As a convolution's block scratch inside its caller's: the second call must not map
    // fresh memory (which faults on every page), so it gets the chunk of the first.
    func nested() -> (UnsafeMutableRawPointer, UnsafeMutableRawPointer) {
      Scratch.withBuffer(of: UInt8.self, count: 100) { outer in
        Scratch.withBuffer(of: Float.self, count: 3_000_000) { inner in
          inner[2_999_999] = 1
          return (UnsafeMutableRawPointer(outer), UnsafeMutableRawPointer(inner))
        }
      }
    }
    let first = nested()
    let second = nested()
    #expect(first == second)
    #expect(first.1 < first.0 || first.1 >= first.0 + 100)
  }
}
