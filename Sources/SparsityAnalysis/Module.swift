// SparsityAnalysis: module under construction (see Package.swift for its place in the layers).
