// Tests for SparsityInference.
