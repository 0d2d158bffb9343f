"""Command line: every failure is exit code 2 with one line; closed pipes and zero spaces are fine."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reptheory.cli import main

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

BAD = [
    ["info", "Q9"],
    ["info", "C0"],
    ["decompose", "D4", "(" * 5000 + "regular" + ")" * 5000],
    ["decompose", "D4", "(" * 300 + "regular" + ")" * 300],
    ["decompose", "D4", "+".join(["regular"] * 20000)],
    ["decompose", "O3", "100000x0e"],
    ["decompose", "D4", "regular**100000"],
    ["decompose", "D4", "1000000*regular"],
    ["hom", "D4", "--in", "regular", "--out", "nope"],
    ["hom", "D4", "--in", "regular"],
    ["verify", "/nonexistent/file.npz"],
    ["verify", "/dev/null"],
    ["verify", "/"],
    ["info"],
    ["bogus-command"],
]


@pytest.mark.parametrize("argv", BAD, ids=range(len(BAD)))
def test_every_failure_is_exit_2_with_one_line(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err and "internal error" not in " ".join(err)
    assert err[-1].startswith("reptheory: error:")


def test_long_sums_parse_in_linear_time():
    from reptheory.cli._expr import parse_group, parse_rep

    G = parse_group("C3")
    assert parse_rep(G, "+".join(["trivial"] * 4000)).dim == 4000  # one direct sum, not 3999 pairwise ones
    assert main(["decompose", "C3", "+".join(["trivial"] * 50), "--quiet"]) == 0


def test_info_of_a_large_group_is_quick(capsys):
    assert main(["info", "C10000"]) == 0
    out = capsys.readouterr().out
    assert "order: 10000" in out and "not computed" in out


def test_zero_dimensional_hom_and_verify(tmp_path, capsys):
    path = str(tmp_path / "z.npz")
    assert main(["hom", "D4", "--in", "sign", "--out", "trivial", "-o", path]) == 0
    assert main(["verify", path]) == 0
    assert main(["verify", path, "D4", "--in", "sign", "--out", "trivial"]) == 0
    assert "verified against representations" in capsys.readouterr().out
    assert main(["verify", path, "D4", "--in", "regular", "--out", "trivial"]) == 2
    assert main(["verify", path, "D4", "--in", "sign"]) == 2


def test_broken_pipe_is_quiet():
    env = dict(os.environ, PYTHONPATH=ROOT)
    p = subprocess.run(f"{sys.executable} -m reptheory info O | head -1", shell=True, env=env,
                       capture_output=True, text=True, timeout=120)
    assert p.stdout.strip().startswith("name:")
    assert "Error" not in p.stderr and "internal" not in p.stderr


@given(st.text(alphabet="()+*@x^0123456789regulartivsn ", max_size=40))
@settings(max_examples=60, deadline=None)
def test_random_expressions_never_crash(expr):
    code = main(["decompose", "D4", expr, "--quiet"])
    assert code in (0, 2)
