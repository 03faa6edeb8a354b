// Tests for SparsityAnalysis.
