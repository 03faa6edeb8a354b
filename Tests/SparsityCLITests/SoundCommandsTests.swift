import Foundation
import SparsityCore
import SparsityIO
import SparsityTestSupport
import Testing

/// `learn-dictionary`, `code` and `spikegram` on sound, end to end through the executable.
@Suite struct SoundCommandsTests {
  /// Tone bursts with a chirp at `rate`, stereo (the channels differ in level), 1 s.
  static func bursts(rate: Int) -> Sound {
    let left = (0..<rate).map { i -> Float in
      let t = Double(i) / Double(rate)
      let envelope = max(0, sin(2 * Double.pi * 3 * t))
      return Float(0.4 * envelope * sin(2 * Double.pi * (300 + 900 * t) * t) + 0.2 * sin(2 * Double.pi * 660 * t))
    }
    return Sound(channels: [left, left.map { 0.5 * $0 }], sampleRate: rate)
  }

  static func json(_ text: String) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  /// A stereo 22,050 Hz float WAV is mixed down and resampled to 16 kHz, framed, learned on and
  /// coded; the coded sound is written as a 16 kHz mono WAV of the resampled length, the report
  /// holds its pictures, and the JSON names finite SNRs for the code and the DCT.
  @Test func framesOfAWAVAreLearnedCodedAndWrittenBack() throws {
    let directory = try temporaryDirectory("sparsity-sound")
    defer { try? FileManager.default.removeItem(at: directory) }
    let wav = directory.appendingPathComponent("bursts.wav")
    try WAVFile.write(Self.bursts(rate: 22050), encoding: .float32, to: wav)
    let learned = try SparsityExecutable.run([
      "learn-dictionary", "--data", "wav:\(wav.path)", "--frame", "64", "--nonzeros", "4", "--atoms", "32",
      "--init", "dct", "--epochs", "2", "--out", directory.appendingPathComponent("D.npy").path, "--json",
    ])
    try #require(learned.status == 0, "\(learned.standardError)")
    let coded = try SparsityExecutable.run([
      "code", "--data", "wav:\(wav.path)", "--frame", "64", "--dictionary",
      directory.appendingPathComponent("D.npy").path,
      "--solver", "omp", "--nonzeros", "4", "--out", directory.appendingPathComponent("A.npz").path,
      "--reconstruct", directory.appendingPathComponent("coded.wav").path,
      "--report", directory.appendingPathComponent("report").path, "--json",
    ])
    try #require(coded.status == 0, "\(coded.standardError)")
    let sound = try #require(try Self.json(coded.standardOutput)["sound"] as? [String: Any])
    let frameSNR = try #require(sound["frame_snr_db"] as? Double)
    let dctSNR = try #require(sound["dct_frame_snr_db"] as? Double)
    #expect(frameSNR.isFinite && dctSNR.isFinite && frameSNR > 0)
    #expect(abs((sound["nonzeros_per_frame"] as? Double ?? 0) - 4) < 1e-9)
    let back = try WAVFile.read(contentsOf: directory.appendingPathComponent("coded.wav"))
    #expect(back.sampleRate == 16000 && back.channelCount == 1)
    #expect(back.frameCount == Resampler(from: 22050, to: 16000).outputCount(forInputCount: 22050))
    for file in ["index.html", "spectrogram-original.png", "spectrogram-reconstruction.png", "atoms.png"] {
      #expect(
        FileManager.default.fileExists(atPath: directory.appendingPathComponent("report/\(file)").path), "\(file)")
    }
  }

  /// Atoms given to `spikegram` code a sound made of them: the spikes sit where they were
  /// planted (within a sample: 16-bit quantization moves correlations by far less than the gap
  /// between a peak and its neighbours for these smooth atoms) and the SNR is high.
  @Test func spikegramFindsPlantedAtoms() throws {
    let directory = try temporaryDirectory("sparsity-spikegram")
    defer { try? FileManager.default.removeItem(at: directory) }
    let length = 64
    let atoms = Tensor(
      shape: [2, length],
      scalars: (0..<2).flatMap { k in
        let raw = (0..<length).map { i -> Double in
          let t = Double(i) / Double(length)
          return sin(Double.pi * t) * sin(2 * Double.pi * Double(3 + 5 * k) * t)
        }
        let norm = raw.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return raw.map { Float($0 / norm) }
      })
    let planted = [(0, 100, 0.8), (1, 400, -0.6), (0, 900, 0.5), (1, 1300, 0.7)]
    var signal = [Float](repeating: 0, count: 1600)
    for (atom, time, amplitude) in planted {
      for i in 0..<length { signal[time + i] += Float(amplitude) * atoms[atom, i] }
    }
    try WAVFile.write(Sound(mono: signal, sampleRate: 16000), to: directory.appendingPathComponent("x.wav"))
    try NPYFile.write(atoms, to: directory.appendingPathComponent("atoms.npy"))
    let run = try SparsityExecutable.run([
      "spikegram", "--data", "wav:\(directory.appendingPathComponent("x.wav").path)", "--atoms",
      directory.appendingPathComponent("atoms.npy").path, "--spikes-per-second", "40",
      "--out", directory.appendingPathComponent("spikes.csv").path, "--json",
    ])
    try #require(run.status == 0, "\(run.standardError)")
    let lines = try String(contentsOf: directory.appendingPathComponent("spikes.csv"), encoding: .utf8)
      .split(separator: "\n").dropFirst()
    let spikes = lines.map { $0.split(separator: ",") }.map { (Int($0[1])!, Int($0[2])!, Double($0[4])!) }
    #expect(spikes.count == 4)
    for ((atom, time, amplitude), found) in zip(planted, spikes) {
      #expect(found.0 == atom && abs(found.1 - time) <= 1 && abs(found.2 - amplitude) < 0.01, "\(found)")
    }
    #expect(try Self.json(run.standardOutput)["snr"] as? Double ?? 0 > 40)
  }

  /// Speech that espeak-ng synthesizes on this machine (`make test` installs it): a dictionary
  /// learned with 8 nonzeros per frame on one passage codes another, held out, better than the
  /// DCT with the 8 largest coefficients per frame (learned atoms adapt to the formants and
  /// pitch pulses a fixed basis spreads over many coefficients; Lewicki 2002).
  @Test func learnedAtomsCodeHeldOutSpeechBetterThanTheDCT() throws {
    let directory = try temporaryDirectory("sparsity-speech")
    defer { try? FileManager.default.removeItem(at: directory) }
    let passages = [
      ("train.wav", "Sparse codes represent a signal with a few active elements. The ear splits sound into bands."),
      ("test.wav", "A quick brown fox jumps over the lazy dog, and seven silver spoons fell from the table."),
    ]
    for (name, text) in passages {
      let speak = Process()
      speak.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      speak.arguments = ["espeak-ng", "-w", directory.appendingPathComponent(name).path, text]
      do { try speak.run() } catch {
        Issue.record("espeak-ng could not run (\(error)): make test installs it (scripts/bootstrap.sh test)")
        return
      }
      speak.waitUntilExit()
      try #require(
        speak.terminationStatus == 0, "espeak-ng is missing: make test installs it (scripts/bootstrap.sh test)")
    }
    let dictionary = directory.appendingPathComponent("D.npy").path
    let learned = try SparsityExecutable.run([
      "learn-dictionary", "--data", "wav:\(directory.appendingPathComponent("train.wav").path)", "--frame", "128",
      "--hop", "16", "--nonzeros", "8", "--atoms", "128", "--init", "dct", "--epochs", "2", "--out", dictionary,
      "--json",
    ])
    try #require(learned.status == 0, "\(learned.standardError)")
    let coded = try SparsityExecutable.run([
      "code", "--data", "wav:\(directory.appendingPathComponent("test.wav").path)", "--frame", "128",
      "--dictionary", dictionary, "--solver", "omp", "--nonzeros", "8",
      "--out", directory.appendingPathComponent("A.npz").path, "--json",
    ])
    try #require(coded.status == 0, "\(coded.standardError)")
    let sound = try #require(try Self.json(coded.standardOutput)["sound"] as? [String: Any])
    let learnedSNR = try #require(sound["frame_snr_db"] as? Double)
    let dctSNR = try #require(sound["dct_frame_snr_db"] as? Double)
    #expect(learnedSNR > dctSNR, "learned \(learnedSNR) dB, DCT \(dctSNR) dB")
  }
}
