#!/usr/bin/env bash
# Imports `factdrill export deck` packages into a real Anki collection, using the `anki`
# Python package (Anki's own Rust backend, from PyPI) in a throwaway virtualenv.
#
#   bash scripts/check-apkg.sh
#
# Checks, with Anki's own importer: the shipped deck imports as new notes; importing the same
# package again adds nothing; a later export of an edited deck updates the notes it already
# has (matched by guid) instead of adding duplicates; the cards render. Needs python3 with
# venv and network access to PyPI; not part of .ci/run.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet anki

cargo build --quiet --manifest-path "$root/Cargo.toml"
bin="$root/target/debug/factdrill"

FACTDRILL_NOW=2026-01-15T09:00:00Z "$bin" export deck "$root/decks/oms.yaml" -o "$work/oms.apkg"
# The same deck with one prompt reworded, exported later.
sed 's/Who was the first head of the OMS?/Who was the FIRST head of the OMS?/' \
    "$root/decks/oms.yaml" >"$work/oms-edited.yaml"
FACTDRILL_NOW=2026-02-01T09:00:00Z "$bin" export deck "$work/oms-edited.yaml" -o "$work/oms-edited.apkg"

"$work/venv/bin/python" - "$work" <<'EOF'
import os
import sys

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

work = sys.argv[1]
col = Collection(os.path.join(work, "collection.anki2"))


def load(name):
    request = ImportAnkiPackageRequest(
        package_path=os.path.join(work, name),
        options=ImportAnkiPackageOptions(update_notes=1, update_notetypes=1),
    )
    log = col.import_anki_package(request).log
    counts = (len(log.new), len(log.updated), len(log.duplicate), len(log.conflicting))
    print(f"{name}: new {counts[0]}, updated {counts[1]}, unchanged {counts[2]}, conflicting {counts[3]}")
    return counts


new, _, _, _ = load("oms.apkg")
assert new > 0, "the first import adds the notes"
assert load("oms.apkg") == (0, 0, new, 0), "the same package again adds nothing"
again = load("oms-edited.apkg")
assert again[0] == 0 and again[1] == new, "a later export updates every note, adds none"
assert col.note_count() == new == col.card_count()
# Anki's search ignores case: compare the fields themselves.
fronts = [col.get_note(n)["Front"] for n in col.find_notes('"Front:Who was the first head*"')]
assert "Who was the FIRST head of the OMS?" in fronts, fronts
assert "Who was the first head of the OMS?" not in fronts, fronts
for card_id in col.find_cards("")[:3]:
    card = col.get_card(card_id)
    assert card.question() and card.answer()
names = [d.name for d in col.decks.all_names_and_ids()]
print("decks:", names)
print(f"check-apkg: ok, {new} notes imported by Anki, updated in place on re-import")
col.close()
EOF
