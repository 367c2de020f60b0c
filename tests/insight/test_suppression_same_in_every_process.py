"""Suppression hides the same cells in every process (decision 0011): Python randomises
the hashes of strings per process, so anything that follows a set's order of string keys
could hide another partner in another gunicorn worker, and two reads of one table from two
workers would together show a cell each of them hides. The same random hierarchies are
suppressed in processes with different hash seeds; the hidden cells must be identical."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import json, random, sys
sys.path[:0] = [ROOT, SRC]
from jeugdketen.insight import suppression
from tests.insight.test_suppression_whole_numbers import hierarchy
rate = dict(threshold=10, counts=("n", "count", "other"), splits=(("n", ("count", "other")),),
            units=(("n", "count", "other"),))
out = []
for seed in range(300):
    rng = random.Random(seed)
    # a two-dimensional table with its margins (suppression.table)
    table = {"r" + str(i): {"c" + str(j): rng.choice([0, 1, 2, 4, 7, 12, 15, 30])
                            for j in range(rng.randint(2, 6))}
             for i in range(rng.randint(2, 7))}
    columns = sorted(set().union(*table.values()))
    table = {r: {c: row.get(c, 0) for c in columns} for r, row in table.items()}
    out.append(sorted(map(list, (k for k, v in suppression.table(table, 10).items()
                                 if v is None))))
    # a rate per district of a municipality (suppression.groups)
    rows, parents = hierarchy(rng)
    districts = {g: r for g, r in rows.items() if parents.get(g) == "M"}
    out.append(sorted(map(list, suppression.groups(districts, rows["M"], **rate))))
print(json.dumps(out))
"""


def hidden_in_a_process(hash_seed: str) -> list:
    root = Path(__file__).resolve().parents[2]
    code = SCRIPT.replace("ROOT", repr(str(root))).replace("SRC", repr(str(root / "src")))
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=300, check=True)
    return json.loads(done.stdout)


def test_every_process_hides_the_same_cells():
    first = hidden_in_a_process("1")
    assert any(first), "the hierarchies hide something"
    for seed in ("2", "3", "4", "5"):
        assert hidden_in_a_process(seed) == first, seed
