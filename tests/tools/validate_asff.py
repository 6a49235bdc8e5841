"""Validates an ASFF file (a JSON array of findings, `driftwatch audit --format asff`)
as the input of Security Hub's BatchImportFindings, against the service model that
botocore carries: required members, types, enums. Slices of 100, the call's limit.
Prints one line per problem and exits 1 when there is any; prints the number of
findings validated and exits 0 otherwise."""
import json
import sys

import botocore.session
from botocore.exceptions import ParamValidationError
from botocore.validate import validate_parameters


def main(path):
    with open(path, encoding="utf-8") as f:
        findings = json.load(f)
    if not isinstance(findings, list):
        print(f"{path}: not a JSON array")
        return 1
    model = botocore.session.get_session().get_service_model("securityhub")
    shape = model.operation_model("BatchImportFindings").input_shape
    problems = 0
    for start in range(0, len(findings), 100):
        try:
            validate_parameters({"Findings": findings[start:start + 100]}, shape)
        except ParamValidationError as e:
            problems += 1
            print(f"findings {start}..{start + 99}: {e}")
    if problems:
        return 1
    print(f"{len(findings)} findings valid")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
