"""The catalogue's Regions of each partition are the ones botocore (pinned in requirements.txt)
lists in its partitions.json, without the `*-global` pseudo-Regions: a Region that AWS adds
shows up here as a difference when botocore is upgraded."""
import json
import os

import botocore

from oracle import ROOT


def test_regions_equal_botocores():
    data = json.load(open(os.path.join(os.path.dirname(botocore.__file__), "data", "partitions.json")))
    botocore_regions = {
        p["id"]: sorted(r for r in p["regions"] if not r.endswith("-global")) for p in data["partitions"]
    }
    catalog = json.load(open(ROOT / "crates" / "core" / "catalog" / "catalog.json"))
    assert catalog["partitions"], "the catalogue lists partitions"
    for partition in catalog["partitions"]:
        assert partition["regions"] == botocore_regions[partition["id"]], partition["id"]
