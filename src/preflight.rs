//! `driftwatch permissions --check`: before an audit spends time on calls that
//! would be denied, ask IAM's policy simulator whether the caller may make every
//! call the loaded profiles need.
//!
//! The caller is `sts:GetCallerIdentity`'s ARN. `SimulatePrincipalPolicy` takes
//! the ARN of a user, group or role (IAM API reference, `PolicySourceArn`), so an
//! assumed-role session (`arn:aws:sts::ACCT:assumed-role/ROLE/SESSION`) is
//! simulated as its role, whose full ARN (with its path) `iam:GetRole` gives.
//! The root user and federated users cannot be simulated. The simulation covers
//! the principal's identity policies, its permissions boundary and the account's
//! SCPs; it does not see session policies or resource policies, so an `allowed`
//! answer is necessary, not sufficient.
//!
//! All actions go in one request: the API reference bounds each `ActionNames`
//! member (3 to 128 characters) but not their number. The results are read page
//! after page (`IsTruncated`, `Marker`); a page that fails fails the check. An
//! action missing from the results is not taken as allowed.

use crate::aws::{self, Ctx, Settings};
use crate::cli::Exit;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct PermissionsArgs {
    /// Profile file (TOML); repeat for several.
    #[arg(long = "profile", short = 'p', required = true, value_name = "FILE")]
    pub profiles: Vec<PathBuf>,
    /// Instead of printing the policy, ask IAM (`SimulatePrincipalPolicy`) whether
    /// the caller is allowed every action the profiles need, and list the ones it is
    /// not, with IAM's decision (implicitDeny, explicitDeny). An assumed role is
    /// simulated as its role (needs `iam:GetRole` and `iam:SimulatePrincipalPolicy`).
    /// Exit 0 when all are allowed, 1 otherwise, 2 when the check itself cannot run.
    #[arg(long)]
    pub check: bool,
    /// Endpoint for every AWS service (with --check), e.g. http://127.0.0.1:4566.
    #[arg(long, value_name = "URL", requires = "check")]
    pub endpoint_url: Option<String>,
    /// Named profile from ~/.aws/config and ~/.aws/credentials (with --check).
    #[arg(long, value_name = "NAME", requires = "check")]
    pub aws_profile: Option<String>,
    /// For a fleet run with `--organization`: the caller also needs the AWS
    /// Organizations reads that discover the accounts (a statement of their own).
    #[arg(long)]
    pub organization: bool,
    /// For a fleet run with `--role-name NAME`: the caller also needs
    /// `sts:AssumeRole` on that role in every account (a statement of their own).
    /// The audit statement is what that role needs in each account.
    #[arg(long, value_name = "NAME")]
    pub role_name: Option<String>,
}

impl PermissionsArgs {
    /// The profiles (regions resolved) and the plan of the calls they need: the
    /// regions do not change which actions are needed.
    pub fn plan(&self) -> Result<(Vec<crate::profile::Profile>, crate::collect::Plan), crate::profile::Diagnostics> {
        let mut profiles = crate::profile::load_all(&self.profiles)?;
        for p in &mut profiles {
            p.resolve_regions(&[], crate::partition::AWS.global_region);
        }
        let plan = crate::collect::Plan::for_requirements(profiles.iter().flat_map(|p| &p.requirements));
        Ok((profiles, plan))
    }

    /// Besides what collection needs: what the fleet's caller needs.
    pub fn fleet_actions(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.organization {
            out.extend_from_slice(crate::fleet::organizations::ACTIONS);
        }
        if self.role_name.is_some() {
            out.push("sts:AssumeRole");
        }
        out
    }
}

/// What the simulator answered.
#[derive(Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The ARN simulated (the caller's, or its role's).
    pub principal: String,
    /// Every action asked about, with IAM's decision (`allowed`, `implicitDeny`,
    /// `explicitDeny`), or `not evaluated` when no result named it.
    pub decisions: BTreeMap<String, String>,
}

impl Outcome {
    /// The actions not allowed, with their decision.
    pub fn refused(&self) -> Vec<(&str, &str)> {
        self.decisions.iter().filter(|(_, d)| d.as_str() != "allowed").map(|(a, d)| (a.as_str(), d.as_str())).collect()
    }
}

/// Why the check could not run.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum CheckError {
    #[error("{0}")]
    Principal(String),
    #[error("{operation} failed: {code}: {message}")]
    Call { operation: &'static str, code: String, message: String },
}

/// Whom to simulate for a caller ARN.
#[derive(Debug, PartialEq, Eq)]
pub enum Principal {
    /// A user, group or role ARN, simulated as it is.
    Iam(String),
    /// An assumed-role session: its role, by name (the ARN needs the role's path).
    AssumedRole(String),
}

/// Whom to simulate for the caller's ARN: users and roles as they are, an
/// assumed-role session as its role; the root user and federated users cannot be
/// simulated.
pub fn principal_of(caller: &str) -> Result<Principal, CheckError> {
    let parts: Vec<&str> = caller.splitn(6, ':').collect();
    let ["arn", _partition, service, _region, _account, resource] = parts.as_slice() else {
        return Err(CheckError::Principal(format!("`{caller}` is not an ARN")));
    };
    let path: Vec<&str> = resource.split('/').collect();
    match (*service, path.as_slice()) {
        ("iam", ["root"]) => Err(CheckError::Principal(format!(
            "the caller is the account's root user ({caller}); SimulatePrincipalPolicy takes a user, group or role"
        ))),
        ("iam", [kind, .., name]) if matches!(*kind, "user" | "role" | "group") && !name.is_empty() => {
            Ok(Principal::Iam(caller.to_string()))
        }
        ("sts", ["assumed-role", role, session]) if !role.is_empty() && !session.is_empty() => {
            Ok(Principal::AssumedRole(role.to_string()))
        }
        ("sts", ["federated-user", ..]) => Err(CheckError::Principal(format!(
            "the caller is a federated user ({caller}), which SimulatePrincipalPolicy cannot simulate"
        ))),
        _ => Err(CheckError::Principal(format!("cannot simulate the caller `{caller}`: not a user or a role"))),
    }
}

fn call_error<E>(
    operation: &'static str,
    err: &aws_smithy_runtime_api::client::result::SdkError<
        E,
        aws_smithy_runtime_api::client::orchestrator::HttpResponse,
    >,
) -> CheckError
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::error::Error + 'static,
{
    let (_, code, message) = aws::classify(err);
    CheckError::Call { operation, code, message }
}

/// Simulates `actions` for the caller of `ctx`'s credentials.
pub async fn check(ctx: &Ctx, actions: &[&str]) -> Result<Outcome, CheckError> {
    let region = ctx.global_region();
    let identity = ctx
        .client::<aws_sdk_sts::Client>(region)
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| call_error("sts:GetCallerIdentity", &e))?;
    let caller = identity.arn().ok_or_else(|| CheckError::Call {
        operation: "sts:GetCallerIdentity",
        code: "MalformedResponse".into(),
        message: "the answer has no Arn".into(),
    })?;
    let iam = ctx.client::<aws_sdk_iam::Client>(region);
    let principal = match principal_of(caller)? {
        Principal::Iam(arn) => arn,
        Principal::AssumedRole(role) => {
            let out = iam.get_role().role_name(&role).send().await.map_err(|e| call_error("iam:GetRole", &e))?;
            match out.role() {
                Some(r) => r.arn().to_string(),
                None => {
                    return Err(CheckError::Call {
                        operation: "iam:GetRole",
                        code: "MalformedResponse".into(),
                        message: "the answer has no Role".into(),
                    })
                }
            }
        }
    };
    let mut decisions: BTreeMap<String, String> =
        actions.iter().map(|a| (a.to_string(), "not evaluated".to_string())).collect();
    let mut marker: Option<String> = None;
    loop {
        let mut req = iam.simulate_principal_policy().policy_source_arn(&principal);
        for a in actions {
            req = req.action_names(*a);
        }
        let page =
            req.set_marker(marker.take()).send().await.map_err(|e| call_error("iam:SimulatePrincipalPolicy", &e))?;
        for r in page.evaluation_results() {
            if let Some(d) = decisions.get_mut(r.eval_action_name()) {
                // an action judged on several resources is allowed only if allowed on all
                if d.as_str() == "not evaluated" || d.as_str() == "allowed" {
                    *d = r.eval_decision().as_str().to_string();
                }
            }
        }
        if !page.is_truncated() {
            break;
        }
        match page.marker().filter(|m| !m.is_empty()) {
            Some(m) => marker = Some(m.to_string()),
            None => {
                return Err(CheckError::Call {
                    operation: "iam:SimulatePrincipalPolicy",
                    code: "MalformedResponse".into(),
                    message: "IsTruncated is true but the answer has no Marker".into(),
                })
            }
        }
    }
    Ok(Outcome { principal, decisions })
}

/// Writes the outcome; the exit code: 0 all allowed, 1 otherwise.
pub fn report(outcome: &Outcome, stdout: &mut dyn Write) -> Exit {
    let refused = outcome.refused();
    let total = outcome.decisions.len();
    let _ = if refused.is_empty() {
        writeln!(stdout, "all {total} action(s) the profiles need are allowed for {}", outcome.principal)
    } else {
        writeln!(
            stdout,
            "{} of {total} action(s) the profiles need are not allowed for {}:",
            refused.len(),
            outcome.principal
        )
    };
    let width = refused.iter().map(|(a, _)| a.len()).max().unwrap_or(0);
    for (action, decision) in &refused {
        let _ = writeln!(stdout, "  {action:<width$}  {decision}");
    }
    if refused.is_empty() {
        Exit::Clean
    } else {
        Exit::Drift
    }
}

/// `driftwatch permissions --check`.
pub fn run(args: &PermissionsArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> Exit {
    let invalid = |stderr: &mut dyn Write, m: String| {
        let _ = writeln!(stderr, "driftwatch: {m}");
        Exit::Invalid
    };
    let plan = match args.plan() {
        Ok((_, plan)) => plan,
        Err(d) => {
            let _ = writeln!(stderr, "{d}");
            return Exit::Invalid;
        }
    };
    let mut actions: Vec<&str> = crate::collect::permissions::actions(&plan).into_iter().collect();
    actions.extend(args.fleet_actions());
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => return invalid(stderr, format!("cannot start the async runtime: {e}")),
    };
    let settings = Settings {
        endpoint_url: args.endpoint_url.clone(),
        aws_profile: args.aws_profile.clone(),
        attempt_timeout: Duration::from_secs(20),
        ..Settings::default()
    };
    let result = runtime.block_on(async {
        let sdk = aws::load(&settings).await;
        let region = sdk.region().map(|r| r.to_string()).unwrap_or_else(|| crate::partition::AWS.global_region.into());
        let sdk = sdk.to_builder().region(aws_config::Region::new(region)).build();
        let ctx = Ctx::new(sdk, &settings, false);
        check(&ctx, &actions).await
    });
    match result {
        Ok(outcome) => report(&outcome, stdout),
        Err(e) => invalid(stderr, format!("permissions --check: {e}")),
    }
}

#[cfg(test)]
#[path = "preflight_tests.rs"]
mod tests;
