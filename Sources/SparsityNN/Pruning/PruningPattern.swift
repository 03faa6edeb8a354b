/// Over which weights magnitude pruning ranks to reach a sparsity.
public enum PruningScope: Sendable, Equatable, CustomStringConvertible {
  /// One ranking over the weights of all pruned layers together: the smallest ⌊s · N⌋ of all N
  /// weights go, so layers end up with different sparsities (Han et al. 2015 prune per layer;
  /// global ranking as `torch.nn.utils.prune.global_unstructured`).
  case global
  /// Each layer is ranked on its own: ⌊s · N_l⌋ of its N_l weights go, the same sparsity in
  /// every layer (`torch.nn.utils.prune.l1_unstructured` applied layer by layer).
  case perLayer

  /// `global` or `layer`, as the command line spells it.
  public var description: String { self == .global ? "global" : "layer" }
}

/// Which arrangement of zeros pruning may produce.
public enum PruningPattern: Sendable, Equatable, CustomStringConvertible {
  /// Any weight may be pruned.
  case unstructured
  /// N:M semi-structured sparsity: in every group of M consecutive inputs of each output row at
  /// most N weights stay nonzero (2:4 is what sparse tensor cores run; Mishra et al., "Accelerating
  /// Sparse Deep Neural Networks", arXiv:2104.08378, 2021). The last group of a row whose length
  /// is not a multiple of M is shorter and keeps at most N as well.
  case nOfM(n: Int, m: Int)

  /// `unstructured` or `N:M`.
  public var description: String {
    switch self {
    case .unstructured: "unstructured"
    case .nOfM(let n, let m): "\(n):\(m)"
    }
  }
}
