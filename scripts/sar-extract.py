#!/usr/bin/env python3
"""Writes crates/core/tests/data/sar-extract.json: for every action the catalogue uses, its
access level, resource types and their ARN formats, from the Service Authorization Reference data that
parliament ships (iam_definition.json). The Rust catalogue tests read this pinned extract;
tests/oracles/test_catalog_sar.py checks it still equals parliament's data.

Usage: .venv/bin/python scripts/sar-extract.py [--check]
"""
import json
import os
import subprocess
import sys

import parliament

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "crates", "core", "tests", "data", "sar-extract.json")


def catalogue_actions():
    cat = json.load(open(os.path.join(ROOT, "crates", "core", "catalog", "catalog.json")))
    actions = set()
    for f in cat["features"]:
        for st in f["statements"]:
            actions.update(st["actions"])
            for oa in st.get("optionalActions", []):
                actions.update(oa["actions"])
    iam = cat["iam"]
    actions.update([iam["trust"]["action"], iam["passRole"]["action"], iam["decryptAction"]])
    actions.update(iam["secretReadActions"])
    return sorted(actions)


def extract():
    data = json.load(open(os.path.join(os.path.dirname(parliament.__file__), "iam_definition.json")))
    by_prefix = {}
    for s in data:
        by_prefix.setdefault(s["prefix"], []).append(s)
    out = {}
    for action in catalogue_actions():
        prefix, name = action.split(":")
        entry = None
        for svc in by_prefix.get(prefix, []):
            for p in svc["privileges"]:
                if p["privilege"].lower() == name.lower():
                    arns = {r["resource"]: r["arn"] for r in svc["resources"]}
                    types = []
                    for rt in p["resource_types"]:
                        t = rt["resource_type"]
                        if not t:
                            continue
                        base = t.rstrip("*")
                        types.append({"type": base, "required": t.endswith("*"), "arn": arns.get(base)})
                    entry = {
                        "action": f"{prefix}:{p['privilege']}",
                        "accessLevel": p["access_level"],
                        "resourceTypes": types,
                    }
        if entry is None:
            sys.exit(f"{action} is not in the Service Authorization Reference data")
        out[action] = entry
    return out


def main():
    text = json.dumps(extract(), indent=2, sort_keys=True) + "\n"
    if "--check" in sys.argv:
        if open(OUT).read() != text:
            sys.exit("sar-extract.json is out of date: run scripts/sar-extract.py")
        print("sar-extract.json matches parliament's data")
        return
    open(OUT, "w").write(text)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
