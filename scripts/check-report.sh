#!/usr/bin/env bash
# Renders `factdrill report` in headless Chromium so a person can look at the charts.
#
#   bash scripts/check-report.sh [OUT_DIR]
#
# Builds factdrill, makes a small database by importing tests/fixtures/reviews/progress.json
# (28 cards, 205 reviews over two months) with a pinned clock, writes progress.html and
# progress.svg, and screenshots the HTML page to OUT_DIR/progress.png (default: a new
# temporary directory, printed at the end). Installs Debian's chromium when it is missing
# (needs root, as on the project's machines). Checks that the screenshot is a PNG of the
# expected size; whether the charts look right is for the person who opens it.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$(mktemp -d)}
mkdir -p "$out"
out=$(cd "$out" && pwd)

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
    echo "check-report: installing chromium (Debian package)" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    browser=$(command -v chromium)
fi

cargo build --quiet --manifest-path "$root/Cargo.toml"
bin="$root/target/debug/factdrill"

export FACTDRILL_DB="$out/progress.db"
export FACTDRILL_NOW=2026-01-15T09:00:00Z
export FACTDRILL_SEED=42
rm -f "$FACTDRILL_DB"
"$bin" import reviews "$root/tests/fixtures/reviews/progress.json"
"$bin" report -o "$out/progress.html"
"$bin" report -o "$out/progress.svg"

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --hide-scrollbars \
    --screenshot="$out/progress.png" --window-size=1200,3000 \
    "file://$out/progress.html" 2>"$out/chromium.log" || {
    cat "$out/chromium.log" >&2
    exit 1
}
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --hide-scrollbars \
    --screenshot="$out/progress-svg.png" --window-size=1800,3400 \
    "file://$out/progress.svg" 2>>"$out/chromium.log" || {
    cat "$out/chromium.log" >&2
    exit 1
}

# A PNG starts with \x89PNG; its width and height are bytes 16-23.
for png in "$out/progress.png" "$out/progress-svg.png"; do
    magic=$(head -c 4 "$png" | od -An -c | tr -d ' ')
    if [ "$magic" != "211PNG" ]; then
        echo "check-report: $png is not a PNG" >&2
        exit 1
    fi
    size=$(od -An -tu1 -j16 -N8 "$png" | awk '{print $1*16777216+$2*65536+$3*256+$4 "x" $5*16777216+$6*65536+$7*256+$8}')
    echo "check-report: $png ($size)"
done
echo "check-report: open $out/progress.png and $out/progress-svg.png to look at the charts"
