"""Offline checks of deploy/ (run through deploy/validate, which provides the venv).

Kubernetes manifests: each document against the API schema of KUBERNETES_VERSION with
kubernetes-validate in strict mode (a misspelt field is an error), then what the fleet
run relies on: the audit CronJob's Job is Indexed with completions = parallelism =
DRIFTWATCH_SHARD_COUNT, its pods write to s3:// and the merge reads it, the service
account carries the IAM-roles-for-service-accounts annotation, and the profiles
ConfigMap holds exactly deploy/profiles/.

AWS Batch: each job definition against RegisterJobDefinition's input shape, each
schedule's PutRule and PutTargets against EventBridge's, with botocore's service models
(the shapes the AWS API reference documents); the audit job reads
AWS_BATCH_JOB_ARRAY_INDEX and its schedule submits an array job.

Usage: validate.py [DEPLOY_DIR]. Prints one line per file; exit 1 on any error.
"""

import json
import pathlib
import sys

import botocore.session
import botocore.validate
import kubernetes_validate
import yaml

KUBERNETES_VERSION = "1.33.0"


def kubernetes(root, errors):
    docs = {}
    for path in sorted((root / "kubernetes").glob("*.yaml")):
        try:
            loaded = [d for d in yaml.safe_load_all(path.read_text()) if d is not None]
        except yaml.YAMLError as e:
            errors.append(f"{path}: invalid YAML: {e}")
            continue
        for doc in loaded:
            try:
                kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
            except kubernetes_validate.ValidationError as e:
                where = "/".join(str(p) for p in e.path)
                errors.append(f"{path}: {doc.get('kind')} {where}: {e.message}")
                continue
            except Exception as e:  # schema not found, not a Kubernetes object
                errors.append(f"{path}: {e}")
                continue
            docs[(doc["kind"], doc["metadata"]["name"])] = (path, doc)
        print(f"checked {path.relative_to(root.parent) if root.parent in path.parents else path}")
    fleet_rules(root, docs, errors)


def fleet_rules(root, docs, errors):
    def need(key):
        if key not in docs:
            errors.append(f"kubernetes: no {key[0]} named {key[1]}")
            return None, None
        return docs[key]

    path, audit = need(("CronJob", "driftwatch-audit"))
    if audit:
        job = audit["spec"]["jobTemplate"]["spec"]
        pod = job["template"]["spec"]
        container = pod["containers"][0]
        env = {e["name"]: e.get("value") for e in container.get("env", [])}
        count = env.get("DRIFTWATCH_SHARD_COUNT")
        if job.get("completionMode") != "Indexed":
            errors.append(f"{path}: the audit Job must be completionMode: Indexed (JOB_COMPLETION_INDEX is the shard)")
        if not (str(job.get("completions")) == str(job.get("parallelism")) == str(count)):
            errors.append(
                f"{path}: completions ({job.get('completions')}), parallelism ({job.get('parallelism')}) and "
                f"DRIFTWATCH_SHARD_COUNT ({count}) must be equal"
            )
        text = " ".join(container.get("command", []) + container.get("args", []))
        for word in ["driftwatch audit", "--format json", "--output \"s3://", "${JOB_COMPLETION_INDEX}"]:
            if word not in text:
                errors.append(f"{path}: the audit command lacks `{word}`")
        sa = pod.get("serviceAccountName")
        _, account = need(("ServiceAccount", sa))
        if account and not account["metadata"].get("annotations", {}).get("eks.amazonaws.com/role-arn", "").startswith("arn:"):
            errors.append(f"ServiceAccount {sa}: needs the eks.amazonaws.com/role-arn annotation (IAM roles for service accounts)")
    path, merge = need(("CronJob", "driftwatch-merge"))
    if merge:
        container = merge["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]
        text = " ".join(container.get("command", []) + container.get("args", []))
        if "driftwatch merge \"s3://" not in text:
            errors.append(f"{path}: the merge command must read the shards' s3:// prefix")
    path, profiles = need(("ConfigMap", "driftwatch-profiles"))
    if profiles:
        files = {p.name: p.read_text() for p in sorted((root / "profiles").glob("*.toml"))}
        if profiles.get("data") != files:
            errors.append(f"{path}: its data must be exactly the files of deploy/profiles/ ({', '.join(files)})")


def shape(service, operation):
    model = botocore.session.get_session().get_service_model(service)
    return model.operation_model(operation).input_shape


def check_params(path, label, params, input_shape, errors):
    report = botocore.validate.ParamValidator().validate(params, input_shape)
    if report.has_errors():
        for line in report.generate_report().splitlines():
            errors.append(f"{path}: {label}: {line}")


def batch(root, errors):
    definitions = sorted((root / "batch").glob("job-definition-*.json"))
    schedules = sorted((root / "batch").glob("schedule-*.json"))
    if not definitions or not schedules:
        errors.append(f"{root / 'batch'}: expected job-definition-*.json and schedule-*.json")
    names = set()
    for path in definitions + schedules:
        try:
            doc = json.loads(path.read_text())
        except json.JSONDecodeError as e:
            errors.append(f"{path}:{e.lineno}:{e.colno}: {e.msg}")
            continue
        if path.name.startswith("job-definition-"):
            check_params(path, "RegisterJobDefinition", doc, shape("batch", "RegisterJobDefinition"), errors)
            names.add(doc.get("jobDefinitionName"))
            command = " ".join(doc.get("containerProperties", {}).get("command", []))
            if "driftwatch audit" in command and "${AWS_BATCH_JOB_ARRAY_INDEX}" not in command:
                errors.append(f"{path}: the audit shard must name its report after AWS_BATCH_JOB_ARRAY_INDEX")
        else:
            if set(doc) != {"PutRule", "PutTargets"}:
                errors.append(f"{path}: expected exactly the keys PutRule and PutTargets")
                continue
            check_params(path, "PutRule", doc["PutRule"], shape("events", "PutRule"), errors)
            check_params(path, "PutTargets", doc["PutTargets"], shape("events", "PutTargets"), errors)
            for target in doc["PutTargets"].get("Targets", []):
                batch_params = target.get("BatchParameters", {})
                if batch_params.get("JobDefinition") not in names:
                    errors.append(f"{path}: target {target.get('Id')} submits an unknown job definition")
                size = batch_params.get("ArrayProperties", {}).get("Size", 0)
                if "audit" in str(batch_params.get("JobDefinition")) and not (isinstance(size, int) and size >= 2):
                    errors.append(f"{path}: the audit target must submit an array job (ArrayProperties.Size of 2 or more)")
        print(f"checked {path.relative_to(root.parent) if root.parent in path.parents else path}")


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parent).resolve()
    errors = []
    kubernetes(root, errors)
    batch(root, errors)
    for e in errors:
        print(e, file=sys.stderr)
    print(f"{len(errors)} error(s)" if errors else "deploy: every file is valid")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
