// parse-speed write DIR: writes DIR/matrix.npy (12,500 x 1,000 float32, 50 MB) and
//   DIR/model.safetensors (four float32 tensors, 50 MB in all), from a seeded generator.
// parse-speed time DIR: reads each 9 times and prints "FORMAT MEDIAN_MS" per file.
// Only public API that older commits share (NPYFile.read, SafetensorsFile.read).
import Dispatch
import Foundation
import SparsityCore
import SparsityIO

let arguments = CommandLine.arguments
guard arguments.count == 3, ["write", "time"].contains(arguments[1]) else {
  FileHandle.standardError.write(Data("usage: parse-speed write|time DIR\n".utf8))
  exit(2)
}
let directory = URL(fileURLWithPath: arguments[2])
let npy = directory.appendingPathComponent("matrix.npy")
let safetensors = directory.appendingPathComponent("model.safetensors")

func values(_ count: Int, seed: UInt64) -> [Float] {
  var generator = Xoshiro256StarStar(seed: seed)
  return (0..<count).map { _ in generator.normal() }
}

if arguments[1] == "write" {
  try NPYFile.write(Tensor(shape: [12_500, 1_000], scalars: values(12_500_000, seed: 1)), to: npy)
  let shapes = [("layers.0.weight", [2_048, 3_072]), ("layers.1.weight", [3_072, 1_024]), ("layers.2.weight", [1_024, 2_000]), ("layers.3.weight", [6_000, 249])]
  var tensors = [String: Tensor]()
  for (index, (name, shape)) in shapes.enumerated() {
    tensors[name] = Tensor(shape: shape, scalars: values(shape[0] * shape[1], seed: UInt64(2 + index)))
  }
  try SafetensorsFile(tensors: tensors).write(to: safetensors)
  exit(0)
}

func median(_ read: () throws -> Int) rethrows -> Double {
  var times = [Double]()
  for _ in 0..<9 {
    let start = DispatchTime.now().uptimeNanoseconds
    let count = try read()
    times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    precondition(count > 0)
  }
  return times.sorted()[4]
}
print("npy", try median { try NPYFile.read(contentsOf: npy).count })
print("safetensors", try median { try SafetensorsFile.read(contentsOf: safetensors).tensors.values.reduce(0) { $0 + $1.count } })
