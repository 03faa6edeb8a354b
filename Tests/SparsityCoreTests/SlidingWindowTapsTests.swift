import Testing

@testable import SparsityCore

@Suite struct SlidingWindowTapsTests {
  @Test func insideTapsAreExactlyTheTapsInsideTheImage() {
    for length in 1...7 {
      for kernel in 1...4 {
        for dilation in 1...3 {
          for start in -8...9 {
            let expected = (0..<kernel).filter { (0..<length).contains(start + $0 * dilation) }
            let range = SlidingWindow.insideTaps(start: start, kernel: kernel, dilation: dilation, length: length)
            #expect(
              Array(range) == expected, "start \(start), kernel \(kernel), dilation \(dilation), length \(length)")
          }
        }
      }
    }
  }
}
