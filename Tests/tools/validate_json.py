#!/usr/bin/env python3
"""Validate JSON documents against a JSON Schema (draft 2020-12). Used by the Swift tests.

usage: validate_json.py SCHEMA FILE...   exit 0 when every file is valid; messages on stdout otherwise.
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed")
    sys.exit(3)

schema = json.load(open(sys.argv[1]))
validator = jsonschema.Draft202012Validator(schema)
jsonschema.Draft202012Validator.check_schema(schema)
bad = 0
for path in sys.argv[2:]:
    doc = json.load(open(path))
    for err in validator.iter_errors(doc):
        bad += 1
        print(f"{path}: {'/'.join(map(str, err.absolute_path))}: {err.message}")
sys.exit(1 if bad else 0)
