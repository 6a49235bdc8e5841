//! The fleet flags of `audit` (their own heading in `--help`).

const FLEET: &str = "Fleet (many accounts)";

#[derive(Debug, Default, clap::Args)]
pub struct FleetArgs {
    /// Audit every ACTIVE account of the AWS Organization (from the management account or a
    /// delegated administrator); --accounts and --exclude-accounts narrow the list.
    #[arg(help_heading = FLEET, long)]
    pub organization: bool,
    /// With --organization: only the accounts under this organizational unit (ou-…), at any depth.
    #[arg(help_heading = FLEET, long, value_name = "OU_ID", requires = "organization")]
    pub ou: Option<String>,
    /// Audit these accounts (12-digit ids, comma-separated; repeatable). Without
    /// --organization this is the fleet; with it, only these of the organization's.
    #[arg(help_heading = FLEET, long, value_name = "ID,...", value_delimiter = ',')]
    pub accounts: Option<Vec<String>>,
    /// Leave these accounts out of the fleet (12-digit ids, comma-separated; repeatable).
    #[arg(help_heading = FLEET, long, value_name = "ID,...", value_delimiter = ',')]
    pub exclude_accounts: Vec<String>,
    /// The role to assume in each audited account, `arn:{partition}:iam::{id}:role/{NAME}`
    /// (session name `driftwatch-audit-{id}`). The caller's own account is audited with the
    /// caller's credentials. Needed when the fleet holds another account.
    #[arg(help_heading = FLEET, long, value_name = "NAME")]
    pub role_name: Option<String>,
    /// The external id the roles' trust policies require (sts:ExternalId).
    #[arg(help_heading = FLEET, long, value_name = "ID")]
    pub external_id: Option<String>,
    /// Accounts audited at once; each has its own --concurrency bound on requests,
    /// as AWS rate limits are per account.
    #[arg(help_heading = FLEET, long, default_value_t = DEFAULT_ACCOUNT_CONCURRENCY, value_parser = clap::value_parser!(u16).range(1..=256), value_name = "N")]
    pub account_concurrency: u16,
    /// Audit only shard I of N of the fleet (0-based: 0/3, 1/3, 2/3): the accounts sorted by
    /// id, every N-th from the I-th. Without it, JOB_COMPLETION_INDEX (Kubernetes Indexed
    /// Job; count from --shard-count or DRIFTWATCH_SHARD_COUNT) or AWS_BATCH_JOB_ARRAY_INDEX
    /// with AWS_BATCH_JOB_ARRAY_SIZE (AWS Batch array job) choose the shard.
    #[arg(help_heading = FLEET, long, value_name = "I/N", conflicts_with = "shard_count")]
    pub shard: Option<String>,
    /// The number of shards when the index comes from JOB_COMPLETION_INDEX or
    /// AWS_BATCH_JOB_ARRAY_INDEX (wins over DRIFTWATCH_SHARD_COUNT and AWS_BATCH_JOB_ARRAY_SIZE).
    #[arg(help_heading = FLEET, long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub shard_count: Option<u32>,
}

impl FleetArgs {
    /// Whether this is a fleet run (`--organization` or `--accounts`).
    pub fn is_fleet(&self) -> bool {
        self.organization || self.accounts.is_some()
    }
}

/// `--account-concurrency` when not given: at most 8 × 64 requests in flight,
/// under the usual limit of 1,024 open files.
pub const DEFAULT_ACCOUNT_CONCURRENCY: u16 = 8;
