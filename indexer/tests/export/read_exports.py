"""Reads files written by `tidepool export` with independent readers
(pyarrow and DuckDB for Parquet, Python's csv module for CSV), without any
option, and prints what they see as JSON for the Rust test to compare with
the database. Floats are printed as their IEEE-754 bits so nothing is lost.

usage: read_exports.py FILE...
"""

import csv
import datetime
import json
import struct
import sys

import duckdb
import pyarrow.parquet as pq


def cell(v):
    if v is None:
        return None
    if isinstance(v, bool):
        raise TypeError("unexpected bool")
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return {"f64": struct.pack(">d", v).hex()}
    if isinstance(v, datetime.datetime):
        if v.tzinfo is None:
            raise TypeError("a timestamp without a time zone")
        return {"time": int(v.timestamp())}
    if isinstance(v, str):
        return v
    raise TypeError(f"unexpected {type(v)}")


def parquet(path):
    table = pq.read_table(path)
    types = [str(f.type) for f in table.schema]
    columns = [f.name for f in table.schema]
    rows = [[cell(v) for v in row.values()] for row in table.to_pylist()]
    con = duckdb.connect()
    rel = con.sql(f"SELECT * FROM '{path}'")
    d_types = [str(t) for t in rel.types]
    d_rows = [[cell(v) for v in row] for row in rel.fetchall()]
    return {
        "pyarrow": {"columns": columns, "types": types, "rows": rows},
        "duckdb": {"columns": rel.columns, "types": d_types, "rows": d_rows},
    }


def text(path):
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        return {"csv": {"columns": header, "rows": [list(r) for r in reader]}}


out = {}
for path in sys.argv[1:]:
    out[path] = parquet(path) if path.endswith(".parquet") else text(path)
json.dump(out, sys.stdout)
