// Tests for SparsityReport.
