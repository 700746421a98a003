#!/usr/bin/env python3
"""Writes the data the SAM transform needs from the installed samtranslator (AWS's SAM translator):

- src/services/cloudformation/sam/data/policy-templates.json: the SAM policy templates (SQSPollerPolicy...),
  name -> {Parameters: [names], Definition}.
- src/services/cloudformation/sam/data/managed-policies.json: AWS managed policy names -> ARN, per
  partition, as samtranslator bundles them (it looks names up there before asking IAM).

Run: python3 scripts/gen-sam-data.py   (needs `samtranslator`; the output is committed so builds need no Python)
"""
import json
import os

import samtranslator

SRC = os.path.dirname(samtranslator.__file__)
OUT = os.path.join(os.path.dirname(__file__), "..", "src", "services", "cloudformation", "sam", "data")

with open(os.path.join(SRC, "policy_templates_data", "policy_templates.json"), encoding="utf-8") as f:
    templates = json.load(f)["Templates"]
policy_templates = {
    name: {"Parameters": sorted(t.get("Parameters", {}).keys()), "Definition": t["Definition"]}
    for name, t in sorted(templates.items())
}

with open(os.path.join(SRC, "internal", "data", "aws_managed_policies.json"), encoding="utf-8") as f:
    managed = json.load(f)

os.makedirs(OUT, exist_ok=True)
for name, data in (("policy-templates.json", policy_templates), ("managed-policies.json", managed)):
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
        json.dump({"samtranslator": samtranslator.__version__, "data": data}, f, indent=1, sort_keys=True)
        f.write("\n")
print("wrote", OUT)
