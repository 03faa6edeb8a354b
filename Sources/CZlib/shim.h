// The zlib compression library (Debian: zlib1g-dev, found through pkg-config; in the SDK on
// Apple platforms). Only Sources/SparsityIO/Formats/Gzip.swift uses it.
#include <zlib.h>
