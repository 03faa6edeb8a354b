// The k inputs that activate a unit most, kept in a bounded heap while the data streams by.

/// The `capacity` largest activations of one unit and the inputs they came from.
///
/// A min-heap of at most `capacity` entries whose root is the weakest kept entry: a new value
/// replaces the root only when it is larger, or equal with a smaller input index. So memory is
/// O(capacity) however many inputs stream by, and the result is the same as sorting all inputs
/// by (value descending, index ascending) and taking the first `capacity`.
///
/// - Complexity: O(log capacity) per offered value, O(1) when it is rejected against the root.
public struct TopActivations: Sendable, Equatable {
  /// One kept input: its index in the data, the unit's activation on it and its class.
  public struct Entry: Sendable, Equatable {
    /// Index of the input (row of the analysed data).
    public var input: Int
    /// The unit's activation on that input.
    public var value: Float
    /// The input's class; nil for unlabeled data.
    public var label: Int?

    /// The activation `value` of input `input`, whose class is `label` (nil: unlabeled).
    public init(input: Int, value: Float, label: Int? = nil) {
      self.input = input
      self.value = value
      self.label = label
    }
  }

  /// The most entries kept.
  public let capacity: Int
  private var heap: [Entry] = []

  /// An empty selection keeping at most `capacity` entries (0 keeps none).
  public init(capacity: Int) {
    precondition(capacity >= 0, "TopActivations: capacity must be >= 0, got \(capacity)")
    self.capacity = capacity
    heap.reserveCapacity(capacity)
  }

  /// True when `a` ranks above `b`: a larger value, or an equal value from an earlier input.
  @inline(__always)
  static func ranksAbove(_ a: Entry, _ b: Entry) -> Bool {
    a.value > b.value || (a.value == b.value && a.input < b.input)
  }

  /// Considers the activation `value` of input `input`, of class `label` (nil: unlabeled). NaN
  /// is never kept once the heap is full.
  public mutating func offer(_ value: Float, input: Int, label: Int? = nil) {
    let entry = Entry(input: input, value: value, label: label)
    if heap.count < capacity {
      heap.append(entry)
      siftUp(heap.count - 1)
    } else if capacity > 0, Self.ranksAbove(entry, heap[0]) {
      heap[0] = entry
      siftDown(0)
    }
  }

  /// The kept entries, strongest first (value descending, then input index ascending).
  public var sorted: [Entry] { heap.sorted(by: Self.ranksAbove) }

  private mutating func siftUp(_ start: Int) {
    var child = start
    while child > 0 {
      let parent = (child - 1) / 2
      guard Self.ranksAbove(heap[parent], heap[child]) else { return }
      heap.swapAt(parent, child)
      child = parent
    }
  }

  private mutating func siftDown(_ start: Int) {
    var parent = start
    while true {
      var weakest = parent
      let (left, right) = (2 * parent + 1, 2 * parent + 2)
      if left < heap.count && Self.ranksAbove(heap[weakest], heap[left]) { weakest = left }
      if right < heap.count && Self.ranksAbove(heap[weakest], heap[right]) { weakest = right }
      if weakest == parent { return }
      heap.swapAt(parent, weakest)
      parent = weakest
    }
  }
}
