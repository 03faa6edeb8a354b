// Sparse coding: represent each input with a few atoms of a dictionary.
//
// One convention everywhere (as scikit-learn's decomposition module): X is samples x features,
// the dictionary D is atoms x features with unit-norm rows, the codes A are samples x atoms, and
// X ~= A D. The Lasso objective of one sample x with code a is
//   0.5 * ||x - a D||^2 + lambda * ||a||_1.
//
// Files: LassoProblem (dictionary, Gram matrix, objective, duality gap), SparseCodingSolver
// (which algorithm), sparseEncode / SparseCodingResult (batch coding over the cores), and
// Solvers/ (one per algorithm, working per sample in Double on the Gram form, plus the
// incremental Cholesky factor LARS and OMP share).
