#!/usr/bin/env bash
# Builds the DocC documentation of every module of the `Sparsity` library product, offline, with
# the toolchain's `docc` (the swift-docc-plugin is a remote package, so it is not used):
#   1. a release build that also emits each module's symbol graph (public symbols only), in its
#      own scratch folder so that the flags do not invalidate the `make build` products;
#   2. `docc convert` of each module's catalog, Sources/<Module>/<Module>.docc, with that
#      module's symbol graphs only; any warning (a broken link, an undocumented parameter)
#      fails the build;
#   3. .build/docs/index.html, linking to each module's archive.
# Each archive is built to be served from .build/docs (hosting base path /<Module>), so one
# static HTTP server shows them all: python3 -m http.server -d .build/docs 8000
set -euo pipefail
cd "$(dirname "$0")/.."

scratch=.build/docs-build
graphs="$scratch/symbol-graphs"
output=.build/docs

# The library product's modules, in Package.swift's order (one home for the list). The JSON of
# dump-package has sorted keys: a product's "name" comes before its "targets".
modules=()
while IFS= read -r module; do modules+=("$module"); done < <(
  swift package dump-package | awk '
    /"products" :/ { inProducts = 1 }
    inProducts && /"name" : "Sparsity"/ { inProduct = 1 }
    inProduct && /"targets" :/ { inTargets = 1; next }
    inTargets && /\]/ { exit }
    inTargets { gsub(/[ ",]/, ""); if ($0 != "") print }'
)
if [ ${#modules[@]} -eq 0 ]; then
  echo "build-docs: found no modules in the Sparsity product of Package.swift" >&2
  exit 1
fi
for module in "${modules[@]}"; do
  if [ ! -f "Sources/$module/$module.docc/$module.md" ]; then
    echo "build-docs: Sources/$module/$module.docc/$module.md is missing (the module's landing page)" >&2
    exit 1
  fi
done

echo "== symbol graphs: swift build -c release (scratch path $scratch)"
swift build -c release --scratch-path "$scratch" \
  -Xswiftc -emit-symbol-graph -Xswiftc -emit-symbol-graph-dir -Xswiftc "$PWD/$graphs" \
  -Xswiftc -symbol-graph-minimum-access-level -Xswiftc public

rm -rf "$output"
mkdir -p "$output"
for module in "${modules[@]}"; do
  # The module's own graph and those of its extensions to other modules (Module@Other).
  moduleGraphs="$scratch/module-graphs/$module"
  rm -rf "$moduleGraphs"
  mkdir -p "$moduleGraphs"
  cp "$graphs/$module.symbols.json" "$moduleGraphs/"
  for extensionGraph in "$graphs/$module"@*.symbols.json; do
    if [ -e "$extensionGraph" ]; then cp "$extensionGraph" "$moduleGraphs/"; fi
  done

  log="$scratch/docc-$module.log"
  if ! docc convert "Sources/$module/$module.docc" \
    --additional-symbol-graph-dir "$moduleGraphs" \
    --fallback-display-name "$module" \
    --fallback-bundle-identifier "org.sparsity.$module" \
    --hosting-base-path "$module" \
    --warnings-as-errors \
    --output-path "$output/$module" >"$log" 2>&1; then
    cat "$log" >&2
    echo "build-docs: docc failed on $module (diagnostics above, also in $log)" >&2
    exit 1
  fi
  echo "== $module: $(find "$output/$module/data/documentation" -name '*.json' | wc -l) pages in $output/$module"
done

# The index: each module with the summary line of its landing page (the first paragraph after
# the title), backticks as <code>.
lowercase() { tr '[:upper:]' '[:lower:]' <<<"$1"; }
{
  echo '<!doctype html>'
  echo '<html lang="en"><head><meta charset="utf-8"><title>Sparsity documentation</title>'
  echo '<style>body{font-family:sans-serif;max-width:46em;margin:2em auto;line-height:1.4}'
  echo 'dt{margin-top:1em;font-weight:bold}</style></head><body>'
  echo '<h1>Sparsity documentation</h1>'
  echo '<p>The modules of the <code>Sparsity</code> library, lowest layer first.</p><dl>'
  for module in "${modules[@]}"; do
    summary=$(awk 'NR > 2 && /^$/ { exit } NR > 2 { printf "%s ", $0 }' "Sources/$module/$module.docc/$module.md" |
      sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/ $//' -e 's/`\([^`]*\)`/<code>\1<\/code>/g')
    echo "<dt><a href=\"$module/documentation/$(lowercase "$module")/\">$module</a></dt><dd>$summary</dd>"
  done
  echo '</dl></body></html>'
} >"$output/index.html"

echo "== documentation of ${#modules[@]} modules in $output"
echo "   serve it over HTTP, then open http://localhost:8000/ :"
echo "   python3 -m http.server -d $output 8000"
