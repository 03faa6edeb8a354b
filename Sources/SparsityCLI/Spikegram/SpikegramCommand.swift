// `sparsity spikegram`: shift-invariant sparse coding of whole sounds (Smith & Lewicki 2006).

import Foundation
import SparsityCoding
import SparsityCore
import SparsityExperiments
import SparsityIO

/// The `spikegram` subcommand: learns atoms on sound (or reads them), codes each sound by matching
/// pursuit over every shift of every atom, and writes the spikes, the coded sound and a report.
enum SpikegramCommand {
  static let data = Option<String>(
    "data", "wav:FILE[,FILE...]", required: true, help: "the sound to code, resampled to --rate")
  static let learn = Option<String>(
    "learn", "wav:FILE[,FILE...]", help: "learn the atoms on this sound first (written to --atoms when given)")
  static let atoms = Option<String>(
    "atoms", "atoms.npy",
    help:
      "without --learn: the atoms to code with (K x L, rows rescaled to unit norm); with --learn: where to write them")
  static let kernels = Option<Int>(
    "kernels", "K", expected: "an integer from 1 to 4096", default: "64", help: "--learn: the number of atoms",
    parse: { Int($0).flatMap { (1...4096).contains($0) ? $0 : nil } })
  static let kernelLength = Option<Int>(
    "kernel-length", "L", expected: "an integer from 2 to 65536", default: "256",
    help: "--learn: samples per atom", parse: { Int($0).flatMap { (2...65536).contains($0) ? $0 : nil } })
  static let iterations = Option<Int>(
    "iterations", "N", expected: "an integer >= 0", default: "200",
    help: "--learn: iterations, each coding 8 random segments of half a second", parse: Parse.nonNegativeInteger)
  static let rate = Option<Double>(
    "spikes-per-second", "R", expected: "a number > 0, at most \(SoundOptions.maximumRate)", default: "1000",
    help: "spikes per second of sound (in learning and coding)",
    parse: { Double($0).flatMap { $0 > 0 && $0 <= Double(SoundOptions.maximumRate) ? $0 : nil } })
  static let snr = Option<Float>(
    "snr", "DB", expected: "a finite number > 0", help: "stop coding a sound earlier once its SNR reaches DB decibels",
    parse: Parse.positiveFloat)
  static let seed = Option<UInt64>(
    "seed", "S", expected: "an integer >= 0", default: "0", help: "--learn: seed of every random choice",
    parse: Parse.seed)
  static let out = Option<String>("out", "spikes.csv", help: "write the spikes: file,atom,time,seconds,amplitude")
  static let reconstruct = Option<String>(
    "reconstruct", "out.wav", help: "write the coded sound (16-bit PCM, files one after another)")
  static let report = Option<String>(
    "report", "DIR",
    help: "write an HTML report to DIR (spikegram, atoms, spectrograms, SNR against spikes per second beside the STFT)")
  static let noRefit = Flag(
    "no-refit", help: "keep matching pursuit's amplitudes (by default they are refit by least squares at the end)")
  static let json = Flag("json", help: "print one JSON object instead of the summary")

  static let command = Command(
    name: "spikegram", summary: "shift-invariant sparse coding of sound: learned atoms, spikes, reconstruction",
    options: [
      data.spec, learn.spec, atoms.spec, kernels.spec, kernelLength.spec, iterations.spec, rate.spec, snr.spec,
      seed.spec, noRefit.spec, out.spec, reconstruct.spec, report.spec, json.spec, SoundOptions.rate.spec,
      SoundOptions.channel.spec,
    ],
    description: """
      Codes each sound x as a sum of shifted, scaled atoms, x ~= sum_s a_s h_{k_s}(t - t_s): matching
      pursuit over every shift of every atom, the spike of largest correlation with the residual
      first, until --spikes-per-second (or --snr) is reached (Smith & Lewicki, Nature 2006), then
      the amplitudes of the chosen spikes refit by least squares (unless --no-refit). The
      atoms come from --atoms, or are learned on --learn sound: each iteration codes random
      segments, then moves each atom to the least-squares fit of the residual at its spikes.

      Reported for the coded sound: spikes, spikes per second, the SNR of the reconstruction, and
      the SNR of the STFT (sqrt-Hann frames of 128, 256, 512 or 1024 samples every half frame,
      the best of the four) keeping as many of its largest complex coefficients as there are spikes.
      """,
    notes: "A progress line is drawn on standard error while learning when it is a terminal (not with --json).",
    run: run)

  /// Parses the options, learns or reads the atoms, codes, writes the outputs, prints the summary.
  static func run(_ arguments: Arguments) throws {
    let start = DispatchTime.now().uptimeNanoseconds
    let files = try soundFiles(arguments.required(data, command: "spikegram"), option: "data")
    let learnFiles = try arguments.value(learn).map { try soundFiles($0, option: "learn") }
    let atomsPath = try arguments.value(atoms)
    guard learnFiles != nil || atomsPath != nil else {
      throw CLIError.invalidInput("spikegram: give --atoms atoms.npy, or --learn wav:FILE to learn them")
    }
    let settings = try settings(arguments)
    let outputs = try checkedOutputs(arguments, learning: learnFiles != nil)
    var framing = SoundFraming()
    framing.sampleRate = try arguments.value(SoundOptions.rate, default: 16000)
    framing.channel = try arguments.value(SoundOptions.channel, default: .mix)
    let (signals, sampleRate) = try SoundFiles.load(files, framing: framing)
    try settings.checkSpikeRate(sampleRate: sampleRate)
    let atoms: Tensor
    if let learnFiles {
      Warning.print(settings.longRunWarning(sampleRate: sampleRate))
      let training = try SoundFiles.load(learnFiles, framing: framing).signals
      let progress = BatchProgress(enabled: !arguments.flag(json), unit: "iterations")
      atoms = try Spikegram.learn(training, sampleRate: sampleRate, settings: settings) { done, total, _ in
        progress.update(done, total)
        if done == total { progress.clear() }
      }
      if let atomsPath { try NPYFile.write(atoms, to: URL(fileURLWithPath: atomsPath)) }
    } else {
      atoms = try SpikegramAtoms.read(atomsPath!)
    }
    let codingStart = DispatchTime.now().uptimeNanoseconds
    let codes = try Spikegram.code(signals, files: files, atoms: atoms, sampleRate: sampleRate, settings: settings)
    let codingSeconds = Double(DispatchTime.now().uptimeNanoseconds - codingStart) * 1e-9
    var summary = SpikegramSummary(
      codes: codes, signals: signals, atoms: atoms, sampleRate: sampleRate, codingSeconds: codingSeconds, seconds: 0)
    try write(
      outputs, codes: codes, signals: signals, atoms: atoms, sampleRate: sampleRate, summary: summary,
      refit: settings.refit)
    summary.totalSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
    print(arguments.flag(json) ? try JSONValue(encoding: summary).text : summary.text)
  }

  /// The files of a `wav:` source.
  static func soundFiles(_ source: String, option: String) throws -> [String] {
    guard source.hasPrefix("wav:") else {
      throw CLIError.invalidValue(option: option, value: source, expected: "wav:FILE[,FILE...]")
    }
    return try SoundFiles.names(String(source.dropFirst(4)), option: "--\(option)")
  }

  /// The settings of the options.
  static func settings(_ arguments: Arguments) throws(CLIError) -> SpikegramSettings {
    var settings = SpikegramSettings()
    settings.atoms = try arguments.value(kernels, default: settings.atoms)
    settings.atomLength = try arguments.value(kernelLength, default: settings.atomLength)
    settings.iterations = try arguments.value(iterations, default: settings.iterations)
    settings.spikesPerSecond = try arguments.value(rate, default: settings.spikesPerSecond)
    settings.targetDecibels = try arguments.value(snr).map(Double.init)
    settings.seed = try arguments.value(seed, default: settings.seed)
    settings.refit = !arguments.flag(noRefit)
    return settings
  }

  /// Where the outputs go, each checked before any work.
  struct Outputs {
    var spikes: String?
    var reconstruction: String?
    var report: URL?
  }

  /// The outputs the options name, each path checked before any work.
  static func checkedOutputs(_ arguments: Arguments, learning: Bool) throws -> Outputs {
    let outputs = Outputs(
      spikes: try arguments.value(out), reconstruction: try arguments.value(reconstruct),
      report: try arguments.value(report).map {
        try OutputPath.checkReportDirectory($0, option: "report")
      })
    if let path = outputs.spikes { try OutputPath.checkFile(path, option: "out") }
    if let path = outputs.reconstruction { try OutputPath.checkFile(path, option: "reconstruct") }
    if learning, let path = try arguments.value(atoms) { try OutputPath.checkFile(path, option: "atoms") }
    return outputs
  }

  /// Writes the spikes, the coded sound and the report that `outputs` asks for.
  static func write(
    _ outputs: Outputs, codes: [SpikegramCode], signals: [[Float]], atoms: Tensor, sampleRate: Int,
    summary: SpikegramSummary, refit: Bool
  ) throws {
    if let path = outputs.spikes {
      try AtomicFile.write(
        Data(SpikegramSummary.csv(codes, sampleRate: sampleRate).utf8), to: URL(fileURLWithPath: path))
    }
    let coded = codes.flatMap(\.reconstruction)
    if let path = outputs.reconstruction {
      try WAVFile.write(Sound(mono: coded, sampleRate: sampleRate), to: URL(fileURLWithPath: path))
    }
    if let directory = outputs.report {
      let rates = [125.0, 250, 500, 1000, 2000, 4000]
      let content = SoundReportContent(
        title: "Spikegram of \(URL(fileURLWithPath: codes[0].file).lastPathComponent)"
          + (codes.count > 1 ? " and \(codes.count - 1) more" : ""),
        summary: summary.keyValues, sampleRate: sampleRate, original: signals.flatMap { $0 }, reconstruction: coded,
        atoms: atoms, spikes: SpikegramSummary.concatenated(codes),
        curve: Spikegram.curve(signals, atoms: atoms, sampleRate: sampleRate, rates: rates, refit: refit))
      _ = try SoundReport.write(content, to: directory)
    }
  }
}
