"""The command line through subprocess: exit codes, JSON schemas, export and verify, suggestions."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from reptheory.cli._expr import parse_group, parse_rep
from reptheory.errors import InvalidArgumentError


def run(*args: str, cache: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["OMP_NUM_THREADS"] = "1"
    env["OPENBLAS_NUM_THREADS"] = "1"
    if cache:
        env["REPTHEORY_CACHE_DIR"] = cache
    env["REPTHEORY_DISK_CACHE"] = "0"
    return subprocess.run([sys.executable, "-m", "reptheory", *args], capture_output=True, text=True, env=env,
                          timeout=120)


def test_hom_json_schema_and_export_verify(tmp_path):
    out = tmp_path / "d8.npz"
    p = run("hom", "D8", "--in", "8*regular", "--out", "8*regular", "--json", "-o", str(out))
    assert p.returncode == 0, p.stderr
    obj = json.loads(p.stdout)
    assert obj["dim"] == 1024 and obj["method"] == "orbit"
    assert isinstance(obj["seconds"], float) and obj["shape"] == [128, 128] and obj["file"] == str(out)
    v = run("verify", str(out), "--json")
    assert v.returncode == 0, v.stderr
    assert json.loads(v.stdout)["dim"] == 1024
    # tamper: a flipped byte in the middle of the archive
    data = bytearray(out.read_bytes())
    data[len(data) // 2] ^= 0xFF
    out.write_bytes(bytes(data))
    bad = run("verify", str(out))
    assert bad.returncode == 2 and "reptheory: error:" in bad.stderr


def test_hom_exact_basis_json():
    p = run("hom", "S4", "--in", "V@V", "--out", "V", "--exact", "--basis", "--json", "--quiet")
    assert p.returncode == 0, p.stderr
    obj = json.loads(p.stdout)
    assert obj["dim"] == 5 and obj["exact"]
    B = np.array(obj["basis"])
    assert B.shape == (5, 4, 16)
    assert len(obj["basis_exact"]) == 5


def test_decompose_json_schema():
    p = run("decompose", "S3", "regular", "--json")
    assert p.returncode == 0, p.stderr
    obj = json.loads(p.stdout)
    assert sorted(obj["multiplicities"].values()) == [1, 1, 2]
    assert sum(m * obj["dims"][k] for k, m in obj["multiplicities"].items()) == 6
    assert isinstance(obj["seconds"], float)


def test_groups_info_character_table():
    p = run("groups", "--json")
    assert p.returncode == 0 and "D8" in json.loads(p.stdout)["examples"]
    p = run("info", "A5", "--json")
    assert json.loads(p.stdout)["order"] == 60
    p = run("character-table", "S4", "--json")
    t = json.loads(p.stdout)
    assert p.returncode == 0 and sum(d * d for d in t["degrees"]) == 24
    p = run("character-table", "Q8", "--latex")
    assert p.returncode == 0 and "\\begin{array}" in p.stdout
    p = run("character-table", "C3")
    assert p.returncode == 0 and "chi0" in p.stdout


def test_usage_errors_and_suggestions():
    p = run("hom", "D8", "--in", "regulr", "--out", "regular")
    assert p.returncode == 2 and "did you mean 'regular'" in p.stderr
    p = run("info", "Dx8")
    assert p.returncode == 2 and "unknown group" in p.stderr
    p = run("hom", "D8")
    assert p.returncode == 2 and "required" in p.stderr
    p = run("frobnicate")
    assert p.returncode == 2
    p = run("hom", "C4", "--in", "regular", "--out", "regular", "--method", "orbits", "--json")
    assert p.returncode == 2 and json.loads(p.stdout)["type"] == "InvalidArgumentError"
    p = run("verify", "/nonexistent/file.npz")
    assert p.returncode == 2
    p = run("--version")
    assert p.returncode == 0 and p.stdout.strip()


def test_cayley_table_file(tmp_path):
    n = 5
    table = [[(i + j) % n for j in range(n)] for i in range(n)]
    jf = tmp_path / "c5.json"
    jf.write_text(json.dumps({"table": table}))
    cf = tmp_path / "c5.csv"
    cf.write_text("\n".join(",".join(map(str, r)) for r in table))
    nf = tmp_path / "c5.npy"
    np.save(nf, np.array(table))
    for f in (jf, cf, nf):
        p = run("hom", str(f), "--in", "regular", "--out", "regular", "--json")
        assert p.returncode == 0, p.stderr
        assert json.loads(p.stdout)["dim"] == 5
    bad = tmp_path / "bad.csv"
    bad.write_text("0,1\n1,1\n")
    p = run("info", str(bad))
    assert p.returncode == 2


@pytest.mark.parametrize("group, text, dim", [("D4", "regular", 8), ("D4", "3*regular + trivial", 25),
                                              ("square_symmetries", "(V+trivial)**2", 9),
                                              ("S3", "2*(regular + sign)", 14), ("square_symmetries", "V@V", 4),
                                              ("D4", "2*chi4 + trivial", 5), ("D4", "V^2", 4)])
def test_expression_parser(group, text, dim):
    G = parse_group(group)
    if text == "V^2":
        with pytest.raises(InvalidArgumentError):
            parse_rep(G, text)  # D4 from the catalogue is a table group: no defining representation
        return
    assert parse_rep(G, text).dim == dim


@pytest.mark.parametrize("text, match", [("regular +", "end"), ("3*", "end"), ("V*V", "'@'"), ("2**regular", "unknown name .2."),
                                         ("__import__('os')", "unexpected"), ("regular ** x", "exponent")])
def test_expression_parser_errors(text, match):
    with pytest.raises(InvalidArgumentError, match=match):
        parse_rep(parse_group("square_symmetries"), text)


def test_lie_expressions():
    pytest.importorskip("reptheory.groups.lie_catalog")
    G = parse_group("SO3")
    assert parse_rep(G, "l=1 + l=2").dim == 8
    assert parse_rep(parse_group("O3"), "2x0e+1x1o").dim == 5
    p = run("hom", "SO3", "--in", "V**2", "--out", "V", "--json")
    assert p.returncode == 0 and json.loads(p.stdout)["dim"] == 1


def test_console_script_is_declared():
    import importlib.metadata as md

    eps = [e for e in md.entry_points(group="console_scripts") if e.name == "reptheory"]
    assert eps and eps[0].value == "reptheory.cli:main"


def test_cayley_table_file_keeps_its_name(tmp_path):
    import json
    import subprocess
    import sys

    f = tmp_path / "c3.json"
    f.write_text(json.dumps({"name": "my C3", "table": [[(i + j) % 3 for j in range(3)] for i in range(3)]}))
    out = subprocess.run([sys.executable, "-m", "reptheory", "info", str(f)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "my C3" in out.stdout
    g = tmp_path / "plain.csv"
    g.write_text("0,1\n1,0\n")
    out = subprocess.run([sys.executable, "-m", "reptheory", "info", str(g)], capture_output=True, text=True)
    assert out.returncode == 0 and "plain.csv" in out.stdout
