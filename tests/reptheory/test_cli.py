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
    assert p.returncode == 0 and "trivial" in p.stdout and "chi1" in p.stdout


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


# ------------------------------------------------------------------ what a user sees (issue 15)
def test_help_is_plain_text_and_explains_arguments():
    p = run("--help")
    assert p.returncode == 0
    for raw in ("::", ":mod:", ":func:", "``"):
        assert raw not in p.stdout, raw
    assert "GROUP" in p.stdout and "REP" in p.stdout and "examples:" in p.stdout
    for cmd in ("info", "character-table", "decompose", "hom", "verify", "groups"):
        h = run(cmd, "--help")
        assert h.returncode == 0 and "::" not in h.stdout and "``" not in h.stdout
        assert "JSON" in h.stdout, cmd
        if cmd in ("decompose", "hom"):
            assert "catalogue name" in h.stdout and "representation expression" in h.stdout


def test_missing_option_reports_the_subcommand_usage():
    p = run("hom", "S4", "--in", "V")
    assert p.returncode == 2
    assert "usage: reptheory hom" in p.stderr and "--out" in p.stderr
    assert "COMMAND ..." not in p.stderr  # not the top-level usage


def test_decompose_text_parenthesises_real_forms_and_names_groups_as_written():
    import contextlib
    import io

    from reptheory.cli import main

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["decompose", "c3", "regular + chi0"]) == 0
    out = buf.getvalue()
    assert out.startswith("regular + chi0 (dim 4) = 2xtrivial + 1x(chi1+chi2)")
    assert "type C" in out
    p = run("hom", "q8", "--in", "regular", "--out", "regular", "--quiet")
    assert p.returncode == 0 and p.stdout.strip() == "dim Hom_Q8(regular, regular) = 8"
    p = run("info", "Q8", "--json")
    assert json.loads(p.stdout)["name"] == "Q8"


def test_info_says_irreps_are_real_and_counts_lie_generators():
    p = run("info", "Q8")
    assert p.returncode == 0 and "real irreducible representations: 5" in p.stdout and "type H" in p.stdout
    obj = json.loads(run("info", "Q8", "--json").stdout)
    assert obj["irrep_dims"] == [1, 1, 1, 1, 4] and obj["irreps_over"] == "R" and obj["irrep_types"][-1] == "H"
    pytest.importorskip("reptheory.groups.lie_catalog")
    so3 = json.loads(run("info", "SO3", "--json").stdout)
    assert so3["generators"] == 3 and so3["lie_algebra_generators"] == 3 and so3["discrete_generators"] == 0
    o3 = json.loads(run("info", "O3", "--json").stdout)
    assert o3["generators"] == o3["lie_dim"] + o3["discrete_generators"] and o3["discrete_generators"] >= 1


def test_latex_table_has_no_empty_row_and_names_match_decompositions():
    p = run("character-table", "S3", "--latex")
    assert p.returncode == 0
    rows = [r.strip() for r in p.stdout.split("\\\\")]
    assert all(r and r != "\\hline" for r in rows), rows
    assert "\\mathrm{trivial}" in p.stdout
    text = run("character-table", "S3").stdout
    dec = json.loads(run("decompose", "S3", "regular", "--json").stdout)
    for label in dec["multiplicities"]:
        assert f"  {label} " in text


def test_basis_with_exact_prints_the_exact_basis():
    p = run("hom", "C3", "--in", "trivial", "--out", "regular", "--exact", "--basis", "--quiet")
    assert p.returncode == 0, p.stderr
    assert "exact basis" in p.stdout and '[[["1"], ["1"], ["1"]]]' in p.stdout


def test_regular_of_a_lie_group_is_explained_not_suggested():
    pytest.importorskip("reptheory.groups.lie_catalog")
    p = run("decompose", "SO3", "regular")
    assert p.returncode == 2
    assert "no regular representation" in p.stderr and "did you mean 'regular'" not in p.stderr


def test_closed_pipe_ends_quietly():
    env = dict(os.environ, REPTHEORY_DISK_CACHE="0")
    proc = subprocess.Popen([sys.executable, "-m", "reptheory", "info", "O"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before anything is written, like `| head -0`
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141
    assert "internal error" not in err and "BrokenPipeError" not in err and "Exception ignored" not in err
