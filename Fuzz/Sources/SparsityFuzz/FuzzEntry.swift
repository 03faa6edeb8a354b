// The libFuzzer entry points: which parser runs is chosen once, from SPARSITY_FUZZ_TARGET.

import Foundation

/// The parser this process fuzzes, read from the environment on first use (`FuzzTarget`).
let selectedTarget = FuzzTarget.fromEnvironment()

/// Called once by libFuzzer before any input: selects the target (or lists the targets, or
/// writes the seed corpus, and exits).
@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(_ argc: UnsafeMutableRawPointer, _ argv: UnsafeMutableRawPointer) -> CInt {
  _ = selectedTarget
  return 0
}

/// Called by libFuzzer for every input: runs the selected harness on a copy of the bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  let data = start.map { Data(bytes: $0, count: count) } ?? Data()
  _ = selectedTarget.harness.run(data)
  return 0
}

/// libFuzzer's own mutation of `data` (`size` bytes used, room for `maximumSize`); returns the
/// new size. Declared by libFuzzer for custom mutators.
@_silgen_name("LLVMFuzzerMutate")
func libFuzzerMutate(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maximumSize: Int) -> Int

/// libFuzzer's mutation followed by the harness's checksum repair, so that mutated PNG and zip
/// files keep valid CRCs and reach the code behind the checksum checks. Inputs stay whole files:
/// a saved crash reproduces with the plain parser.
@_cdecl("LLVMFuzzerCustomMutator")
public func fuzzerCustomMutator(
  _ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maximumSize: Int, _ seed: CUnsignedInt
) -> Int {
  let mutatedSize = libFuzzerMutate(data, size, maximumSize)
  let buffer = UnsafeMutableBufferPointer(start: data, count: mutatedSize)
  selectedTarget.harness.repairChecksums(buffer)
  return mutatedSize
}
