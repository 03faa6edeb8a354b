// The bad-input cases of sound: WAV files and the options of `wav:` data and `spikegram`.

import Foundation
import SparsityIO

extension BadInput {
  /// 0.25 s of a 440 Hz tone at 16 kHz, 16-bit PCM.
  static let tone = WAVFile.encode(
    Sound(mono: (0..<4000).map { 0.5 * Float(sin(2 * Double.pi * 440 * Double($0) / 16000)) }, sampleRate: 16000))
  /// 0.25 s of digital silence.
  static let silence = WAVFile.encode(Sound(mono: [Float](repeating: 0, count: 4000), sampleRate: 16000))
  /// 50 samples at 1 Hz: no band-limited resampler to 16 kHz with a bounded filter bank.
  static let oneHertz = WAVFile.encode(Sound(mono: (0..<50).map { Float($0 % 2) * 0.5 }, sampleRate: 1))

  /// `files` and `s.wav` (the tone).
  static func withTone(_ files: [String: FileContent] = [:]) -> [String: FileContent] {
    files.merging(["s.wav": .bytes(tone)]) { $1 }
  }

  static let soundFiles: [BadInput] = [
    BadInput(
      "WAV", fault: 6, learn("wav:{dir}/missing.wav"), error: "{dir}/missing.wav: cannot read: no such file"),
    BadInput(
      "WAV", fault: 6, learn("wav:{dir}/s.wav"), files: ["s.wav": .bytes(tone.prefix(30))],
      error:
        "{dir}/s.wav: malformed WAV file: truncated: the 'fmt ' chunk at byte 12 declares 16 bytes but only 10 remain"
    ),
    BadInput(
      "WAV", fault: 5, learn("wav:{dir}/s.wav"), files: ["s.wav": .bytes(silence)],
      error: "wav:{dir}/s.wav: no frame is louder than the silence threshold (all silent or empty)"),
    BadInput(
      "WAV", fault: 4, learn("wav:{dir}/s.wav"), files: ["s.wav": .bytes(oneHertz)],
      error: "{dir}/s.wav: resampling 1 Hz -> 16000 Hz: the reduced ratio's up factor 16000 exceeds 1024"
        + " (rates with so small a common divisor are not supported)"),
    BadInput(
      "wav: --hop", fault: 6, learn("wav:{dir}/s.wav") + ["--hop", "300"], files: withTone(),
      error: "option --hop: '300' is not at most --frame (256)"),
    BadInput(
      "wav: --channel", fault: 6, learn("wav:{dir}/s.wav") + ["--channel", "2"], files: withTone(),
      error: "--channel 2: '{dir}/s.wav' has 1 channel (numbered from 0)"),
    BadInput(
      "wav: file list", fault: 6, learn("wav:{dir}/s.wav,"), files: withTone(),
      error: "option --data: 'wav:{dir}/s.wav,' is not patches:IMAGE, npy:X.npy, digits, digits:raw or"
        + " wav:FILE[,FILE...]"),
    BadInput(
      "code --reconstruct", fault: 6, code() + ["--reconstruct", "{dir}/r.wav"],
      files: withDictionary(["X.npy": .bytes(HostileFiles.matrix(rows: 4, columns: 8))]),
      error: "code: --reconstruct and --report need --data wav:FILE[,FILE...]"),
    BadInput(
      "code wav:", fault: 6, code("wav:{dir}/s.wav"), files: withDictionary(withTone()),
      error: "wav:{dir}/s.wav and {dir}/D.npy: the data has 256 features per sample but the dictionary atoms have 8"
        + " (expected data samples x features, dictionary atoms x features)"),
    BadInput(
      "spikegram", fault: 6, ["spikegram", "--data", "wav:{dir}/s.wav"], files: withTone(),
      error: "spikegram: give --atoms atoms.npy, or --learn wav:FILE to learn them"),
    BadInput(
      "spikegram --data", fault: 6, ["spikegram", "--data", "npy:{dir}/s.wav", "--atoms", "{dir}/D.npy"],
      files: withDictionary(withTone()), error: "option --data: 'npy:{dir}/s.wav' is not wav:FILE[,FILE...]"),
    BadInput(
      "spikegram --kernel-length", fault: 6,
      ["spikegram", "--data", "wav:{dir}/s.wav", "--learn", "wav:{dir}/s.wav", "--kernel-length", "65536"],
      files: withTone(), error: "spikegram --learn: no sound is as long as an atom (65536 samples)"),
    BadInput(
      "spikegram --reconstruct", fault: 6,
      ["spikegram", "--data", "wav:{dir}/s.wav", "--atoms", "{dir}/D.npy", "--reconstruct", "{dir}/none/r.wav"],
      files: withDictionary(withTone()),
      error: "option --reconstruct: '{dir}/none/r.wav' is not a file path in an existing, writable directory"
        + " ({dir}/none is not)"),
  ]
}
