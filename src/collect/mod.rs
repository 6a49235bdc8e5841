//! Collection: the plan (what the loaded requirements need, where) and the
//! collectors that fill the inventory, all running concurrently under one bound on
//! requests in flight. Each collector file declares everything about itself in one
//! [`Collector`]: the reads a requirement can ask of it, the part of the inventory
//! it fills (and how that part becomes unknown when it is cut short), the IAM
//! actions of its calls, and its collect function. [`REGISTRY`] lists them.

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
mod plan;
mod rds;
mod route53;
mod s3;
mod secretsmanager;
mod sns;
mod sqs;
mod wafv2;

use crate::aws::Ctx;
use crate::inventory::{Gap, Inventory, Observed};
pub use permissions::Call;
pub use plan::{wants_tags, Need, Plan, GLOBAL};
use std::collections::BTreeSet;
use std::sync::Arc;

/// What a collector hands back: how it fills its part of the inventory.
pub type Fill = Box<dyn FnOnce(&mut Inventory) + Send>;

/// One collector: a service (or a part of one) read into one part of the inventory.
pub struct Collector {
    /// Registry id, as kinds name it in their plans.
    pub id: &'static str,
    /// The AWS service, as gaps, errors and the fault proxy name it.
    pub service: &'static str,
    /// The part of the inventory it fills.
    pub part: &'static str,
    /// The optional reads a requirement can ask of it, each with what it adds.
    pub reads: &'static [(&'static str, &'static str)],
    /// Every API call it makes, with the IAM action that allows it.
    pub calls: &'static [Call],
    /// Reads what the need asks and returns how to fill the inventory.
    pub collect: for<'a> fn(&'a Ctx, &'a Need) -> futures::future::BoxFuture<'a, Fill>,
    /// Its part of the inventory when collection was cut short: every listing it
    /// was to read, unknown for the given reason.
    pub cut_short: fn(&Need, &Gap, &mut Inventory),
}

impl std::fmt::Debug for Collector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id)
    }
}

/// Every collector. Adding a service is its collector file, its inventory part
/// and one line here.
pub static REGISTRY: &[&Collector] = &[
    &s3::COLLECTOR,
    &iam::COLLECTOR,
    &cloudtrail::COLLECTOR,
    &acm::COLLECTOR,
    &ec2::COLLECTOR,
    &cloudwatch::COLLECTOR,
    &kms::COLLECTOR,
    &dynamodb::COLLECTOR,
    &lambda::COLLECTOR,
    &autoscaling::COLLECTOR,
    &elbv2::COLLECTOR,
    &config::COLLECTOR,
    &cloudfront::COLLECTOR,
    &wafv2::COLLECTOR,
    &route53::COLLECTOR,
    &rds::COLLECTOR,
    &secretsmanager::COLLECTOR,
    &logs::COLLECTOR,
    &sns::COLLECTOR,
    &sqs::COLLECTOR,
];

/// A collector by registry id.
pub fn find(id: &str) -> Option<&'static Collector> {
    REGISTRY.iter().copied().find(|c| c.id == id)
}

/// The usual shape of a regional collector's need: its regions, tags, and up to
/// two further reads whose meaning the collector's file gives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Regional {
    pub regions: BTreeSet<String>,
    pub tags: bool,
    pub detail: bool,
    pub extra: bool,
}

impl Regional {
    /// From a need: `detail` and `extra` are the reads of these names.
    pub fn of(need: &Need, detail: &str, extra: &str) -> Regional {
        Regional { regions: need.regions(), tags: need.has("tags"), detail: need.has(detail), extra: need.has(extra) }
    }
    pub fn is_empty(&self) -> bool {
        self.regions.is_empty()
    }
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

/// Runs every collector the plan asks of, concurrently. With a deadline, a
/// collector still running when it passes is abandoned and everything it was to
/// observe becomes unknown (`DeadlineExceeded`).
pub async fn run(ctx: &Arc<Ctx>, plan: &Plan, deadline: Option<std::time::Duration>) -> Inventory {
    let until = deadline.map(|d| tokio::time::Instant::now() + d);
    let planned: Vec<(&Collector, &Need)> =
        REGISTRY.iter().filter_map(|c| plan.need(c.id).map(|need| (*c, need))).collect();
    ctx.progress.planned(planned.iter().map(|(_, need)| *need));
    let done = futures::future::join_all(planned.iter().map(|(c, need)| async move {
        let result = bounded(ctx, until, c.service, (c.collect)(ctx, need)).await;
        ctx.progress.finished(need);
        result
    }))
    .await;
    let mut inventory = Inventory { partition: ctx.partition, ..Inventory::default() };
    for ((c, need), result) in planned.into_iter().zip(done) {
        match result {
            Ok(fill) => fill(&mut inventory),
            Err(gap) => (c.cut_short)(need, &gap, &mut inventory),
        }
    }
    inventory
}

/// Each region of a need, unknown for the same reason.
pub fn all_unknown<T>(regions: &BTreeSet<String>, g: &Gap) -> std::collections::BTreeMap<String, Observed<T>> {
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
    match ctx.client::<aws_sdk_sts::Client>(region).get_caller_identity().send().await {
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

#[cfg(test)]
#[path = "registry_tests.rs"]
mod registry_tests;
