#!/usr/bin/env bash
# Real recorded speech for the sound benchmarks and docs, from two Debian packages (downloaded
# with `apt-get download`, unpacked, never installed):
#   pocketsphinx-testdata  16 kHz 16-bit mono: LibriVox readings of "Sense and Sensibility"
#                          (one reader, 5 utterances, 24.7 s), a spelled-card task (5 files, 9.4 s)
#                          and 4 headerless .raw utterances (12.2 s; converted to WAV here)
#   alsa-utils             48 kHz 16-bit mono: a person saying the 8 speaker names ("Front Left", ...)
# Usage: bash scripts/speech-data.sh [DIR]   (default .build/speech); prints DIR when done.
# The split that bench/speech_coding.py and docs/sound.md use:
#   DIR/train/  the cards, the .raw utterances, LibriVox 0870 to 0920, and the alsa-utils
#               "Front ..." and "Rear ..." names                                   (51.9 s)
#   DIR/test/   LibriVox 0930, "Side Left" and "Side Right"                  (held out, 6.05 s)
set -euo pipefail
dir=${1:-.build/speech}
mkdir -p "$dir/debs" "$dir/unpacked" "$dir/train" "$dir/test"
cd "$dir/debs"
for package in pocketsphinx-testdata alsa-utils; do
  if ! ls "$package"_*.deb >/dev/null 2>&1; then
    apt-get download "$package" >/dev/null 2>&1 || {
      echo "speech-data: apt-get download $package failed (no Debian package index or network?)" >&2
      exit 1
    }
  fi
  dpkg-deb -x "$package"_*.deb ../unpacked
done
cd ..
data=unpacked/usr/share/pocketsphinx/test/data
cp "$data"/cards/*.wav train/
for f in 0870 0880 0890 0920; do cp "$data/librivox/sense_and_sensibility_01_austen_64kb-$f.wav" train/; done
cp "$data/librivox/sense_and_sensibility_01_austen_64kb-0930.wav" test/
cp unpacked/usr/share/sounds/alsa/{Front,Rear}_*.wav train/
cp unpacked/usr/share/sounds/alsa/Side_*.wav test/
# The .raw files are headerless 16 kHz 16-bit little-endian mono: give them a WAV header.
for raw in "$data"/*.raw "$data"/tidigits/*.raw; do
  python3 - "$raw" "train/$(basename "${raw%.raw}").wav" <<'EOF'
import sys, wave
data = open(sys.argv[1], "rb").read()
with wave.open(sys.argv[2], "wb") as w:
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(16000); w.writeframes(data[: len(data) // 2 * 2])
EOF
done
cd - >/dev/null
echo "$dir"
