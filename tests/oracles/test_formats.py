"""Every output format of the catalogue has a renderer (a compile error in the core if not),
golden snapshots of every fixture, and an oracle: a test module here that checks it with a real
tool (oracle.FORMAT_ORACLES)."""

import json

import oracle

CATALOG = json.loads(oracle.run_bin(["catalog", "--json"]).stdout)
FORMATS = [f["id"] for f in CATALOG["formats"]]
SNAPSHOTS = oracle.ROOT / "crates" / "core" / "tests" / "snapshots"


def test_every_format_has_an_oracle():
    assert sorted(oracle.FORMAT_ORACLES) == sorted(FORMATS)
    for fmt, modules in oracle.FORMAT_ORACLES.items():
        assert modules, fmt
        for m in modules:
            assert (oracle.HERE / m).is_file(), f"{fmt}: {m} is missing"


def test_every_format_has_golden_snapshots_of_every_fixture():
    # The configurations `import` derives are pinned as JSON (tests/fixtures/import/expected),
    # and every oracle checks their renderings; the golden snapshots are of the fixtures.
    missing = [
        f"golden__{p.stem}__{fmt}.snap"
        for p in sorted(oracle.FIXTURE_DIR.glob("*.json"))
        for fmt in FORMATS
        if not (SNAPSHOTS / f"golden__{p.stem}__{fmt}.snap").is_file()
    ]
    assert not missing, missing


def test_every_format_renders_every_fixture():
    for fixture in oracle.FIXTURES:
        for fmt in FORMATS:
            oracle.render(fixture, fmt)
