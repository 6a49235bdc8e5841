//! deploy/ validated offline: the Kubernetes manifests against the Kubernetes API
//! schemas and the AWS Batch job definitions and schedules against the AWS API
//! shapes, by deploy/validate (which installs its own pinned virtualenv), and the
//! shipped example profiles load.

use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn validate(dir: &str) -> (i32, String, String) {
    let out = Command::new(format!("{ROOT}/deploy/validate"))
        .arg(dir)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run deploy/validate");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr)
            .lines()
            .filter(|l| !l.starts_with("deploy/validate: "))
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

#[test]
fn deploy_manifests_are_valid() {
    let (code, stdout, stderr) = validate(&format!("{ROOT}/deploy"));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(
        stdout,
        "checked deploy/kubernetes/cronjob-audit.yaml\nchecked deploy/kubernetes/cronjob-merge.yaml\n\
         checked deploy/kubernetes/profiles-configmap.yaml\nchecked deploy/kubernetes/serviceaccount.yaml\n\
         checked deploy/batch/job-definition-audit.json\nchecked deploy/batch/job-definition-merge.json\n\
         checked deploy/batch/schedule-audit.json\nchecked deploy/batch/schedule-merge.json\n\
         deploy: every file is valid\n"
    );
    for name in ["prod.toml", "sandbox.toml"] {
        let profile = driftwatch::profile::load(std::path::Path::new(&format!("{ROOT}/deploy/profiles/{name}")));
        assert!(profile.is_ok(), "{name}: {}", profile.err().map(|d| d.to_string()).unwrap_or_default());
    }
}

#[test]
fn deploy_validation_finds_broken_manifests() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let copy = dir.path().join("deploy");
    let status = Command::new("cp").arg("-r").arg(format!("{ROOT}/deploy")).arg(&copy).status().expect("cp");
    assert!(status.success());
    let edit = |rel: &str, from: &str, to: &str| {
        let path = copy.join(rel);
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains(from), "{rel} has no `{from}`");
        std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
    };
    edit("kubernetes/cronjob-audit.yaml", "parallelism: 4", "parallelism: 3");
    edit("kubernetes/cronjob-merge.yaml", "serviceAccountName:", "serviceAccount_Name:");
    edit("batch/job-definition-merge.json", "\"command\":", "\"commands\":");
    edit("batch/schedule-audit.json", "\"Size\": 4", "\"Size\": 1");
    let (code, _, stderr) = validate(copy.to_str().expect("UTF-8 path"));
    let d = copy.display();
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        format!(
            "{d}/kubernetes/cronjob-merge.yaml: CronJob spec/jobTemplate/spec/template/spec: Additional properties are not allowed ('serviceAccount_Name' was unexpected)\n\
             {d}/kubernetes/cronjob-audit.yaml: completions (4), parallelism (3) and DRIFTWATCH_SHARD_COUNT (4) must be equal\n\
             kubernetes: no CronJob named driftwatch-merge\n\
             {d}/batch/job-definition-merge.json: RegisterJobDefinition: Unknown parameter in containerProperties: \"commands\", must be one of: image, vcpus, memory, command, jobRoleArn, executionRoleArn, volumes, environment, mountPoints, readonlyRootFilesystem, privileged, ulimits, user, instanceType, resourceRequirements, linuxParameters, logConfiguration, secrets, networkConfiguration, fargatePlatformConfiguration, enableExecuteCommand, ephemeralStorage, runtimePlatform, repositoryCredentials\n\
             {d}/batch/schedule-audit.json: the audit target must submit an array job (ArrayProperties.Size of 2 or more)"
        )
    );
}
