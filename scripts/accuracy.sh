#!/usr/bin/env bash
# Writes docs/ACCURACY.md: the corpus of worlds (backtest/corpus) backtested
# with the command line's defaults by cmd/accuracy, between the page's head
# and tail; the real exports where ../shared/data holds them.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go run ./cmd/accuracy -shared ../shared/data -o "$tmp/board.md" -json "$tmp/scores.json"
{
  cat docs/accuracy-head.md
  echo
  cat "$tmp/board.md"
  cat docs/accuracy-tail.md
} > "$tmp/ACCURACY.md"
mv "$tmp/ACCURACY.md" docs/ACCURACY.md
echo "docs/ACCURACY.md written"
