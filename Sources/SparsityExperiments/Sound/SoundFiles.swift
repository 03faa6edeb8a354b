// Reading sound files as mono signals at one sample rate: channel choice and resampling.

import Foundation
import SparsityCore
import SparsityIO

/// Sound files read as mono signals at one rate, as `SoundFraming` says.
public enum SoundFiles {
  /// The files named by `list`, comma-separated (`wav:a.wav,b.wav` without the `wav:`).
  /// - Throws: `ExperimentError.unusableData` for an empty list or an empty name.
  public static func names(_ list: String, option: String) throws(ExperimentError) -> [String] {
    let files = list.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    guard !files.isEmpty, files.allSatisfy({ !$0.isEmpty }) else {
      throw .unusableData("\(option): 'wav:\(list)' needs one or more file names separated by commas")
    }
    return files
  }

  /// The signals of `files`, each the chosen channel (or the mix) resampled to the framing's
  /// rate, and that rate.
  /// - Throws: `ArrayFileError` for an unreadable or malformed file; `ExperimentError.unusableData`
  ///   naming the file for a missing channel, rates that differ with no `sampleRate`, or a
  ///   resampling ratio the resampler refuses; `MemoryBudgetError` when the signals cannot fit.
  public static func load(_ files: [String], framing: SoundFraming) throws -> (signals: [[Float]], sampleRate: Int) {
    var signals: [[Float]] = []
    var rate = framing.sampleRate
    for file in files {
      let sound = try WAVFile.read(contentsOf: URL(fileURLWithPath: file))
      let mono = try channel(of: sound, framing.channel, file: file)
      let target = rate ?? sound.sampleRate
      guard framing.sampleRate != nil || target == sound.sampleRate else {
        throw ExperimentError.unusableData(
          "\(file): \(sound.sampleRate) samples per second, but '\(files[0])' has \(target); pass --rate to resample all to one rate"
        )
      }
      rate = target
      signals.append(try resampled(mono, from: sound.sampleRate, to: target, file: file))
    }
    return (signals, rate ?? 16000)
  }

  /// The channel `choice` picks from `sound`.
  static func channel(of sound: Sound, _ choice: ChannelChoice, file: String) throws(ExperimentError) -> [Float] {
    switch choice {
    case .mix: return sound.mixedDown()
    case .index(let i):
      guard i < sound.channelCount else {
        throw .unusableData(
          "--channel \(i): '\(file)' has \(sound.channelCount) channel\(sound.channelCount == 1 ? "" : "s") (numbered from 0)"
        )
      }
      return sound.channel(i)
    }
  }

  /// `signal` resampled from `rate` to `target` samples per second (unchanged when equal).
  static func resampled(_ signal: [Float], from rate: Int, to target: Int, file: String) throws -> [Float] {
    guard rate != target else { return signal }
    do {
      try Resampler.check(from: rate, to: target)
    } catch {
      throw ExperimentError.unusableData("\(file): \(error)")
    }
    let outputs = Double(signal.count) * Double(target) / Double(rate)
    try MemoryBudget.check(
      .bytes(Int(Swift.min(outputs, 1e15)), 4) + Resampler.filterBankMemory(from: rate, to: target),
      for: "resampling '\(file)' to \(target) Hz")
    let resampler = Resampler(from: rate, to: target)
    return resampler.resample(signal)
  }
}
