//! Retry settings resolve per setting as the AWS CLI resolves them: flag, then
//! environment, then the shared config profile, then the default.

use super::*;
use aws_types::os_shim_internal::Env;

fn config_file(text: &str) -> tempfile::NamedTempFile {
    let f = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(f.path(), text).unwrap();
    f
}

async fn resolve(
    mode: Option<RetryMode>,
    attempts: Option<u32>,
    profile: Option<&str>,
    vars: &[(&str, &str)],
) -> Result<Retry, String> {
    let mut vars: Vec<(&str, &str)> = vars.to_vec();
    if !vars.iter().any(|(k, _)| *k == "AWS_CONFIG_FILE") {
        vars.push(("AWS_CONFIG_FILE", "/nonexistent/driftwatch-config"));
    }
    vars.push(("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/driftwatch-credentials"));
    resolve_retry(mode, attempts, profile, &Env::from_slice(&vars)).await
}

#[tokio::test]
async fn retry_defaults_to_standard_with_six_attempts() {
    let got = resolve(None, None, None, &[]).await;
    assert_eq!(got, Ok(Retry { mode: RetryMode::Standard, max_attempts: DEFAULT_MAX_ATTEMPTS }));
}

#[tokio::test]
async fn retry_environment_wins_over_profile_and_flags_win_over_both() {
    let file = config_file("[default]\nretry_mode = standard\nmax_attempts = 4\n");
    let path = file.path().to_str().unwrap();
    let from_profile = resolve(None, None, None, &[("AWS_CONFIG_FILE", path)]).await;
    assert_eq!(from_profile, Ok(Retry { mode: RetryMode::Standard, max_attempts: 4 }));
    let env = [("AWS_CONFIG_FILE", path), ("AWS_RETRY_MODE", "adaptive"), ("AWS_MAX_ATTEMPTS", "9")];
    let from_env = resolve(None, None, None, &env).await;
    assert_eq!(from_env, Ok(Retry { mode: RetryMode::Adaptive, max_attempts: 9 }));
    let from_flags = resolve(Some(RetryMode::Standard), Some(2), None, &env).await;
    assert_eq!(from_flags, Ok(Retry { mode: RetryMode::Standard, max_attempts: 2 }));
}

#[tokio::test]
async fn retry_named_profile_and_legacy_mode() {
    let file = config_file("[default]\nmax_attempts = 4\n[profile audit]\nretry_mode = legacy\nmax_attempts = 7\n");
    let path = file.path().to_str().unwrap();
    let got = resolve(None, None, Some("audit"), &[("AWS_CONFIG_FILE", path)]).await;
    assert_eq!(got, Ok(Retry { mode: RetryMode::Standard, max_attempts: 7 }));
    let by_env = resolve(None, None, None, &[("AWS_CONFIG_FILE", path), ("AWS_PROFILE", "audit")]).await;
    assert_eq!(by_env, Ok(Retry { mode: RetryMode::Standard, max_attempts: 7 }));
}

#[tokio::test]
async fn retry_invalid_values_name_their_source() {
    let got = resolve(None, None, None, &[("AWS_MAX_ATTEMPTS", "0")]).await;
    assert_eq!(got, Err("AWS_MAX_ATTEMPTS is `0`; expected a whole number from 1 to 20".to_string()));
    let got = resolve(None, None, None, &[("AWS_RETRY_MODE", "turbo")]).await;
    assert_eq!(got, Err("AWS_RETRY_MODE is `turbo`; expected standard, adaptive or legacy".to_string()));
    let file = config_file("[default]\nmax_attempts = potato\n");
    let got = resolve(None, None, None, &[("AWS_CONFIG_FILE", file.path().to_str().unwrap())]).await;
    assert_eq!(
        got,
        Err("`max_attempts` of the AWS config profile `default` is `potato`; expected a whole number from 1 to 20"
            .to_string())
    );
    // a flag is never overridden, so an invalid variable it replaces is not read
    let got = resolve(Some(RetryMode::Adaptive), Some(3), None, &[("AWS_MAX_ATTEMPTS", "0")]).await;
    assert_eq!(got, Ok(Retry { mode: RetryMode::Adaptive, max_attempts: 3 }));
}
