//! Collection: the plan (what the loaded requirements need, where) and the
//! collectors that fill the inventory, all running concurrently under one bound on
//! requests in flight. Each collector file says which part of the inventory it fills.

mod acm;
mod autoscaling;
mod cloudfront;
mod cloudtrail;
mod cloudwatch;
mod config;
mod dynamodb;
mod ec2;
mod elbv2;
#[cfg(test)]
pub(crate) mod fake;
mod iam;
mod kms;
mod lambda;
mod logs;
pub mod permissions;
mod rds;
mod route53;
mod s3;
mod secretsmanager;
mod sns;
mod wafv2;

use crate::aws::Ctx;
use crate::inventory::{Gap, Inventory, Observed};
use crate::profile::{Requirement, Selector};
use std::collections::BTreeSet;
use std::sync::Arc;

/// Per-bucket reads an S3 requirement needs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct S3Details {
    pub encryption: bool,
    pub versioning: bool,
    pub public_access_block: bool,
    pub logging: bool,
    pub replication: bool,
    /// Region and versioning of the buckets that enabled replication rules target.
    pub replica_targets: bool,
    pub tags: bool,
    /// ACL, bucket policy and its status, and the public access block (bucket and
    /// account level) that may neutralise them.
    pub access: bool,
}

impl S3Details {
    pub fn union(self, o: S3Details) -> S3Details {
        S3Details {
            encryption: self.encryption || o.encryption,
            versioning: self.versioning || o.versioning,
            public_access_block: self.public_access_block || o.public_access_block,
            logging: self.logging || o.logging,
            replication: self.replication || o.replication,
            replica_targets: self.replica_targets || o.replica_targets,
            tags: self.tags || o.tags,
            access: self.access || o.access,
        }
    }
}

/// What to collect: only what some loaded requirement reads, each once.
#[derive(Debug, Default)]
pub struct Plan {
    /// Buckets a selector may pick (by name) and the details it reads.
    pub s3: Vec<(Selector, S3Details)>,
    pub iam: bool,
    pub iam_local_policies: bool,
    pub iam_user_mfa: bool,
    pub trails: BTreeSet<String>,
    /// Whether the trails' event selectors are read (GetEventSelectors).
    pub trail_selectors: bool,
    pub certificates: BTreeSet<String>,
    pub certificate_route53: bool,
    pub networks: BTreeSet<String>,
    /// Whether the networks collector also reads subnets.
    pub network_subnets: bool,
    /// Whether the networks collector also reads flow logs.
    pub network_flow_logs: bool,
    pub alarms: BTreeSet<String>,
    /// KMS keys: `detail` = rotation status, `extra` = key policy.
    pub kms: Need,
    /// DynamoDB tables: `detail` = point-in-time recovery, `extra` = key manager of the SSE key.
    pub dynamodb: Need,
    pub lambda: Need,
    pub security_groups: Need,
    pub autoscaling: Need,
    /// Load balancers: `detail` = listeners, `extra` = the SSL policies they use.
    pub elbv2: Need,
    /// Config rules: `detail` = recorder status.
    pub config: Need,
    /// List buckets even when no s3.bucket requirement reads them (CloudFront logging targets).
    pub s3_list: bool,
    pub cloudfront: bool,
    pub cloudfront_logging: bool,
    pub cloudfront_tags: bool,
    /// Web ACL listings as (scope, region).
    pub web_acls: BTreeSet<(String, String)>,
    pub web_acl_logging: bool,
    pub records: bool,
    /// Tags of trails, certificates, alarms and web ACLs (read only when asked).
    pub trail_tags: bool,
    pub certificate_tags: bool,
    pub alarm_tags: bool,
    pub web_acl_tags: bool,
    pub rds: Need,
    pub instances: Need,
    pub secrets: Need,
    pub log_groups: Need,
    /// SNS topics: `detail` = topic attributes.
    pub topics: Need,
}

/// Where a regional collector runs and which optional reads it makes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Need {
    pub regions: BTreeSet<String>,
    pub tags: bool,
    pub detail: bool,
    pub extra: bool,
}

impl Need {
    /// Adds a requirement's regions, and tags when it selects on or expects them.
    pub fn add(&mut self, req: &Requirement) -> &mut Self {
        self.regions.extend(req.regions.iter().cloned());
        self.tags |= wants_tags(req);
        self
    }
    pub fn is_empty(&self) -> bool {
        self.regions.is_empty()
    }
}

/// Whether a requirement reads tags: it selects on them or expects some.
pub fn wants_tags(req: &Requirement) -> bool {
    !req.select.tags.is_empty() || req.expect.has("required_tags")
}

/// Runs a per-region read in every region at once.
pub async fn per_region<'a, T, F, Fut>(regions: &'a BTreeSet<String>, read: F) -> std::collections::BTreeMap<String, T>
where
    F: Fn(&'a str) -> Fut,
    Fut: std::future::Future<Output = T> + 'a,
{
    futures::future::join_all(regions.iter().map(|r| {
        let fut = read(r.as_str());
        async move { (r.clone(), fut.await) }
    }))
    .await
    .into_iter()
    .collect()
}

impl Plan {
    pub fn for_requirements<'a>(reqs: impl IntoIterator<Item = &'a Requirement>) -> Plan {
        let mut plan = Plan::default();
        for r in reqs {
            (r.kind.plan)(r, &mut plan);
        }
        plan
    }

    /// Every region some collector will call (for the report).
    pub fn regions(&self) -> BTreeSet<String> {
        let mut all = BTreeSet::new();
        for set in [
            &self.trails,
            &self.certificates,
            &self.networks,
            &self.alarms,
            &self.kms.regions,
            &self.dynamodb.regions,
            &self.lambda.regions,
            &self.security_groups.regions,
            &self.autoscaling.regions,
            &self.elbv2.regions,
            &self.config.regions,
            &self.rds.regions,
            &self.instances.regions,
            &self.secrets.regions,
            &self.log_groups.regions,
            &self.topics.regions,
        ] {
            all.extend(set.iter().cloned());
        }
        all
    }
}

/// Runs every collector the plan asks for, concurrently. With a deadline, a
/// collector still running when it passes is abandoned and everything it was to
/// observe becomes unknown (`DeadlineExceeded`).
pub async fn run(ctx: &Arc<Ctx>, plan: &Plan, deadline: Option<std::time::Duration>) -> Inventory {
    let until = deadline.map(|d| tokio::time::Instant::now() + d);
    let s3 = bounded(ctx, until, "s3", async {
        if plan.s3.is_empty() && !plan.s3_list {
            None
        } else {
            Some(tokio::join!(s3::collect(ctx, &plan.s3), s3::account_block(ctx, &plan.s3)))
        }
    });
    let iam = bounded(ctx, until, "iam", async {
        if plan.iam {
            Some(iam::collect(ctx, plan.iam_local_policies, plan.iam_user_mfa).await)
        } else {
            None
        }
    });
    let trails = bounded(
        ctx,
        until,
        "cloudtrail",
        cloudtrail::collect(ctx, &plan.trails, plan.trail_tags, plan.trail_selectors),
    );
    let certs = bounded(
        ctx,
        until,
        "acm",
        acm::collect(ctx, &plan.certificates, plan.certificate_route53, plan.certificate_tags),
    );
    let nets =
        bounded(ctx, until, "ec2", ec2::collect(ctx, &plan.networks, plan.network_subnets, plan.network_flow_logs));
    let alarms = bounded(ctx, until, "cloudwatch", cloudwatch::collect(ctx, &plan.alarms, plan.alarm_tags));
    let keys = bounded(ctx, until, "kms", kms::collect(ctx, &plan.kms));
    let tables = bounded(ctx, until, "dynamodb", dynamodb::collect(ctx, &plan.dynamodb));
    let functions = bounded(ctx, until, "lambda", lambda::collect(ctx, &plan.lambda));
    let groups = bounded(ctx, until, "ec2", ec2::security_groups(ctx, &plan.security_groups));
    let asgs = bounded(ctx, until, "autoscaling", autoscaling::collect(ctx, &plan.autoscaling));
    let lbs = bounded(ctx, until, "elasticloadbalancing", elbv2::collect(ctx, &plan.elbv2));
    let rules = bounded(ctx, until, "config", config::collect(ctx, &plan.config));
    let dists = bounded(ctx, until, "cloudfront", async {
        if plan.cloudfront {
            Some(cloudfront::collect(ctx, plan.cloudfront_logging, plan.cloudfront_tags).await)
        } else {
            None
        }
    });
    let acls =
        bounded(ctx, until, "wafv2", wafv2::collect(ctx, &plan.web_acls, plan.web_acl_logging, plan.web_acl_tags));
    let dbs = bounded(ctx, until, "rds", rds::collect(ctx, &plan.rds));
    let ec2_instances = bounded(ctx, until, "ec2", ec2::instances(ctx, &plan.instances));
    let secrets = bounded(ctx, until, "secretsmanager", secretsmanager::collect(ctx, &plan.secrets));
    let log_groups = bounded(ctx, until, "logs", logs::collect(ctx, &plan.log_groups));
    let topics = bounded(ctx, until, "sns", sns::collect(ctx, &plan.topics));
    let records = bounded(ctx, until, "route53", async {
        if plan.records {
            Some(route53::collect(ctx).await)
        } else {
            None
        }
    });
    let (
        (buckets, iam, trails, certificates, networks, alarms),
        (kms_keys, tables, functions, security_groups),
        (autoscaling_groups, load_balancers, config_rules),
        (distributions, web_acls, records, db_instances, instances),
        (secrets, log_groups, topics),
    ) = tokio::join!(
        async { tokio::join!(s3, iam, trails, certs, nets, alarms) },
        async { tokio::join!(keys, tables, functions, groups) },
        async { tokio::join!(asgs, lbs, rules) },
        async { tokio::join!(dists, acls, records, dbs, ec2_instances) },
        async { tokio::join!(secrets, log_groups, topics) }
    );
    let wants_account_block = plan.s3.iter().any(|(_, d)| d.public_access_block || d.access);
    let (buckets, s3_account_block) = match buckets {
        Ok(Some((list, account))) => (Ok(Some(list)), account),
        Ok(None) => (Ok(None), None),
        Err(g) => (Err(g.clone()), wants_account_block.then_some(Observed::Unknown(g))),
    };
    Inventory {
        account: None,
        partition: ctx.partition,
        buckets: buckets.unwrap_or_else(|g| (!plan.s3.is_empty() || plan.s3_list).then_some(Observed::Unknown(g))),
        s3_account_block,
        iam: iam.unwrap_or_else(|g| {
            plan.iam.then(|| crate::inventory::Iam {
                principals: Observed::Unknown(g.clone()),
                local_policies: Observed::Unknown(g),
            })
        }),
        trails: trails.unwrap_or_else(|g| all_unknown(&plan.trails, &g)),
        certificates: certificates.unwrap_or_else(|g| all_unknown(&plan.certificates, &g)),
        networks: networks.unwrap_or_else(|g| {
            let net = crate::inventory::Network {
                vpcs: Observed::Unknown(g.clone()),
                peerings: Observed::Unknown(g.clone()),
                route_tables: Observed::Unknown(g.clone()),
                subnets: Observed::Unknown(g.clone()),
                flow_logs: Observed::Unknown(g),
            };
            plan.networks.iter().map(|r| (r.clone(), net.clone())).collect()
        }),
        alarms: alarms.unwrap_or_else(|g| all_unknown(&plan.alarms, &g)),
        kms_keys: kms_keys.unwrap_or_else(|g| all_unknown(&plan.kms.regions, &g)),
        tables: tables.unwrap_or_else(|g| all_unknown(&plan.dynamodb.regions, &g)),
        functions: functions.unwrap_or_else(|g| all_unknown(&plan.lambda.regions, &g)),
        security_groups: security_groups.unwrap_or_else(|g| all_unknown(&plan.security_groups.regions, &g)),
        autoscaling_groups: autoscaling_groups.unwrap_or_else(|g| all_unknown(&plan.autoscaling.regions, &g)),
        load_balancers: load_balancers.unwrap_or_else(|g| all_unknown(&plan.elbv2.regions, &g)),
        config_rules: config_rules.unwrap_or_else(|g| all_unknown(&plan.config.regions, &g)),
        distributions: distributions.unwrap_or_else(|g| plan.cloudfront.then_some(Observed::Unknown(g))),
        web_acls: web_acls.unwrap_or_else(|g| {
            plan.web_acls
                .iter()
                .map(|(scope, region)| (format!("{scope}:{region}"), Observed::Unknown(g.clone())))
                .collect()
        }),
        records: records.unwrap_or_else(|g| plan.records.then_some(Observed::Unknown(g))),
        db_instances: db_instances.unwrap_or_else(|g| all_unknown(&plan.rds.regions, &g)),
        instances: instances.unwrap_or_else(|g| all_unknown(&plan.instances.regions, &g)),
        secrets: secrets.unwrap_or_else(|g| all_unknown(&plan.secrets.regions, &g)),
        log_groups: log_groups.unwrap_or_else(|g| all_unknown(&plan.log_groups.regions, &g)),
        topics: topics.unwrap_or_else(|g| all_unknown(&plan.topics.regions, &g)),
    }
}

fn all_unknown<T>(regions: &BTreeSet<String>, g: &Gap) -> std::collections::BTreeMap<String, Observed<T>> {
    regions.iter().map(|r| (r.clone(), Observed::Unknown(g.clone()))).collect()
}

/// Runs one collector until the deadline; past it, the gap that replaces its result.
async fn bounded<T>(
    ctx: &Ctx,
    until: Option<tokio::time::Instant>,
    service: &str,
    fut: impl std::future::Future<Output = T>,
) -> Result<T, Gap> {
    let Some(until) = until else { return Ok(fut.await) };
    match tokio::time::timeout_at(until, fut).await {
        Ok(v) => Ok(v),
        Err(_) => {
            let gap = Gap {
                service: service.into(),
                region: String::new(),
                operation: "collection".into(),
                resource: None,
                code: "DeadlineExceeded".into(),
                message: "the audit's --deadline passed before this service was read".into(),
                class: crate::inventory::ErrorClass::Timeout,
            };
            ctx.errors.lock().unwrap_or_else(|e| e.into_inner()).push(gap.clone());
            Err(gap)
        }
    }
}

/// Per-resource reads of a listing, in its order: `None` for a resource that
/// turned out to be gone. Applies each read with `set` and drops the gone ones.
pub fn apply_reads<R, T>(items: &mut Vec<R>, reads: Vec<Option<T>>, set: impl Fn(&mut R, T)) {
    let mut reads = reads.into_iter();
    items.retain_mut(|item| match reads.next().flatten() {
        Some(read) => {
            set(item, read);
            true
        }
        None => false,
    });
}

/// One per-resource read: the value, or why it is unknown; `None` when the
/// resource is gone.
pub fn per_resource<T, O, E>(
    ctx: &Ctx,
    result: Result<
        O,
        aws_smithy_runtime_api::client::result::SdkError<E, aws_smithy_runtime_api::client::orchestrator::HttpResponse>,
    >,
    read: impl FnOnce(O) -> T,
    (service, region, operation, resource): (&str, &str, &str, &str),
) -> Option<Observed<T>>
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::error::Error + 'static,
{
    match result {
        Ok(out) => Some(Observed::Known(read(out))),
        Err(e) => ctx.gap_unless_gone(&e, service, region, operation, Some(resource)).map(Observed::Unknown),
    }
}

/// The audited account's id, for account-level reads (S3's account public access
/// block). sts:GetCallerIdentity needs no permission, so no collector declares it.
/// The audit's own STS call has usually named it already.
pub async fn caller_account(ctx: &Ctx, region: &str) -> Result<String, Gap> {
    if let Some(known) = ctx.account.get() {
        return Ok(known.clone());
    }
    let _permit = ctx.permit().await;
    match aws_sdk_sts::Client::new(&ctx.config(region)).get_caller_identity().send().await {
        Ok(out) => match out.account() {
            Some(a) => Ok(a.to_string()),
            None => Err(ctx.malformed("sts", region, "GetCallerIdentity", "the Account")),
        },
        Err(err) => Err(ctx.gap(&err, "sts", region, "GetCallerIdentity", None)),
    }
}

/// Tags as a map, from any SDK tag list.
pub fn tag_map<T>(tags: &[T], kv: impl Fn(&T) -> (Option<&str>, Option<&str>)) -> crate::inventory::Tags {
    tags.iter()
        .filter_map(|t| {
            let (k, v) = kv(t);
            Some((k?.to_string(), v.unwrap_or("").to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests;
