//! Fills `Inventory::trails`: per audited region, every trail that applies there
//! (DescribeTrails with shadow trails), then once per trail, in the trail's home
//! region: IsLogging (GetTrailStatus), the management events its selectors log
//! (GetEventSelectors, only when a requirement asks) and its tags.
//!
//! A trail another account owns (an organization trail seen from a member account)
//! is not asked anything: AWS answers such calls with CloudTrailARNInvalidException
//! or TrailNotFoundException, so its settings are unknown, saying whose trail it is.
//! A trail that is gone by the time it is asked (TrailNotFoundException) is dropped.

use crate::aws::Ctx;
use crate::inventory::{ErrorClass, Gap, ManagementEvents, Observed, Tags, Trail};
use aws_sdk_cloudtrail::operation::get_event_selectors::GetEventSelectorsOutput;
use aws_sdk_cloudtrail::types::AdvancedFieldSelector;
use futures::future::join_all;
use std::collections::{BTreeMap, BTreeSet};

const SERVICE: &str = "cloudtrail";

pub const CALLS: &[super::permissions::Call] = &[
    super::permissions::Call { operation: "DescribeTrails", action: "cloudtrail:DescribeTrails", needed: |_| true },
    super::permissions::Call { operation: "GetTrailStatus", action: "cloudtrail:GetTrailStatus", needed: |_| true },
    super::permissions::Call {
        operation: "GetEventSelectors",
        action: "cloudtrail:GetEventSelectors",
        needed: |n| n.has("selectors"),
    },
    super::permissions::Call { operation: "ListTags", action: "cloudtrail:ListTags", needed: |n| n.has("tags") },
];

pub static COLLECTOR: super::Collector = super::Collector {
    id: "cloudtrail",
    service: SERVICE,
    part: "trails",
    reads: &[("tags", "tags of each trail"), ("selectors", "event selectors of each trail (GetEventSelectors)")],
    calls: CALLS,
    collect: |ctx, need| {
        Box::pin(async move {
            let part = collect(ctx, &need.regions(), need.has("tags"), need.has("selectors")).await;
            Box::new(move |inv: &mut crate::inventory::Inventory| inv.trails = part) as super::Fill
        })
    },
    cut_short: |need, gap, inv| inv.trails = super::all_unknown(&need.regions(), gap),
};

async fn describe(ctx: &Ctx, region: &str) -> Observed<Vec<Trail>> {
    let client = ctx.client::<aws_sdk_cloudtrail::Client>(region);
    let _permit = ctx.permit().await;
    let out = match client.describe_trails().include_shadow_trails(true).send().await {
        Ok(out) => out,
        Err(err) => return Observed::Unknown(ctx.gap(&err, SERVICE, region, "DescribeTrails", None)),
    };
    let mut trails = Vec::new();
    for t in out.trail_list() {
        let (Some(name), Some(arn), Some(home)) = (t.name(), t.trail_arn(), t.home_region()) else {
            // a trail that cannot be identified must not silently drop out of the list
            return Observed::Unknown(ctx.malformed(
                SERVICE,
                region,
                "DescribeTrails",
                "a trail's Name, TrailARN or HomeRegion",
            ));
        };
        let multi = t.is_multi_region_trail().unwrap_or(false);
        let org = t.is_organization_trail().unwrap_or(false);
        // AWS lists shadows of multi-region trails; a single-region trail of
        // another region does not apply here (the emulator may list it anyway).
        if home != region && !multi && !org {
            continue;
        }
        trails.push(Trail {
            name: name.to_string(),
            arn: arn.to_string(),
            home_region: home.to_string(),
            multi_region: multi,
            organization: org,
            log_file_validation: t.log_file_validation_enabled(),
            kms_key: t.kms_key_id().map(str::to_string),
            include_global_service_events: t.include_global_service_events(),
            s3_bucket: t.s3_bucket_name().map(str::to_string),
            is_logging: Observed::default(),
            tags: Observed::default(),
            management_events: Observed::default(),
        });
    }
    Observed::Known(trails)
}

/// A per-trail read that found no trail: it was deleted after DescribeTrails.
struct Gone;

async fn status(ctx: &Ctx, arn: &str, home: &str) -> Result<Observed<bool>, Gone> {
    let client = ctx.client::<aws_sdk_cloudtrail::Client>(home);
    let _permit = ctx.permit().await;
    Ok(match client.get_trail_status().name(arn).send().await {
        Ok(out) => match out.is_logging() {
            Some(v) => Observed::Known(v),
            None => Observed::Unknown(Gap {
                service: SERVICE.into(),
                region: home.into(),
                operation: "GetTrailStatus".into(),
                resource: Some(arn.into()),
                code: "MissingIsLogging".into(),
                message: "GetTrailStatus answered without IsLogging".into(),
                class: ErrorClass::Malformed,
            }),
        },
        Err(err) if err.as_service_error().is_some_and(|e| e.is_trail_not_found_exception()) => return Err(Gone),
        Err(err) => Observed::Unknown(ctx.gap(&err, SERVICE, home, "GetTrailStatus", Some(arn))),
    })
}

async fn selectors(ctx: &Ctx, arn: &str, home: &str) -> Result<Observed<ManagementEvents>, Gone> {
    let client = ctx.client::<aws_sdk_cloudtrail::Client>(home);
    let _permit = ctx.permit().await;
    Ok(match client.get_event_selectors().trail_name(arn).send().await {
        Ok(out) => Observed::Known(management_events(&out)),
        Err(err) if err.as_service_error().is_some_and(|e| e.is_trail_not_found_exception()) => return Err(Gone),
        Err(err) => Observed::Unknown(ctx.gap(&err, SERVICE, home, "GetEventSelectors", Some(arn))),
    })
}

/// A trail's tags; `Err(Gone)` when the trail no longer exists.
async fn tags(ctx: &Ctx, arn: &str, home: &str) -> Result<Observed<Tags>, Gone> {
    let client = ctx.client::<aws_sdk_cloudtrail::Client>(home);
    let _permit = ctx.permit().await;
    match client.list_tags().resource_id_list(arn).send().await {
        Ok(out) => Ok(Observed::Known(
            out.resource_tag_list()
                .iter()
                .flat_map(|r| r.tags_list())
                .map(|t| (t.key().to_string(), t.value().unwrap_or_default().to_string()))
                .collect(),
        )),
        Err(err) => match ctx.gap_unless_gone(&err, SERVICE, home, "ListTags", Some(arn)) {
            Some(gap) => Ok(Observed::Unknown(gap)),
            None => Err(Gone),
        },
    }
}

/// One selector's share of the management events: the types it logs and what
/// narrows it (excluded sources, other conditions).
struct Coverage {
    read: bool,
    write: bool,
    narrowed: Vec<String>,
}

/// The management events a trail logs, from GetEventSelectors. CloudTrail logs an
/// event when it matches any selector, so the selectors add up. Classic selectors:
/// `IncludeManagementEvents` (AWS default true), `ReadWriteType` (`All`, `ReadOnly`,
/// `WriteOnly`; default `All`), `ExcludeManagementEventSources`. Advanced selectors:
/// those whose `eventCategory` is `Management`; `readOnly` `true` keeps only read
/// events, `false` only write events, no `readOnly` both; `eventSource` conditions
/// (`NotEquals kms.amazonaws.com`) leave sources out. No selector at all logs nothing.
pub(crate) fn management_events(out: &GetEventSelectorsOutput) -> ManagementEvents {
    let mut covers = Vec::new();
    for s in out.event_selectors() {
        if !s.include_management_events().unwrap_or(true) {
            continue;
        }
        let rw = s.read_write_type().map(|t| t.as_str()).unwrap_or("All");
        covers.push(Coverage {
            read: rw == "All" || rw == "ReadOnly",
            write: rw == "All" || rw == "WriteOnly",
            narrowed: s.exclude_management_event_sources().to_vec(),
        });
    }
    for s in out.advanced_event_selectors() {
        let fields = s.field_selectors();
        let of = |name: &'static str| fields.iter().filter(move |f| f.field() == name);
        let mut category = of("eventCategory").peekable();
        // eventCategory is required: a selector without it selects no management event
        if category.peek().is_none() || !category.all(|f| matches(f, "Management")) {
            continue;
        }
        let mut narrowed = Vec::new();
        for f in fields.iter().filter(|f| f.field() != "eventCategory" && f.field() != "readOnly") {
            let only_not_equals = f.equals().is_empty()
                && f.starts_with().is_empty()
                && f.ends_with().is_empty()
                && f.not_starts_with().is_empty()
                && f.not_ends_with().is_empty();
            if f.field() == "eventSource" && only_not_equals {
                narrowed.extend(f.not_equals().iter().cloned());
            } else {
                narrowed.push(describe_condition(f));
            }
        }
        covers.push(Coverage {
            read: of("readOnly").all(|f| matches(f, "true")),
            write: of("readOnly").all(|f| matches(f, "false")),
            narrowed,
        });
    }
    let full = |pick: fn(&Coverage) -> bool| covers.iter().any(|c| pick(c) && c.narrowed.is_empty());
    let (read_full, write_full) = (full(|c| c.read), full(|c| c.write));
    let mut excluded = BTreeSet::new();
    for c in &covers {
        if (c.read && !read_full) || (c.write && !write_full) {
            excluded.extend(c.narrowed.iter().cloned());
        }
    }
    ManagementEvents {
        read: covers.iter().any(|c| c.read),
        write: covers.iter().any(|c| c.write),
        excluded: excluded.into_iter().collect(),
    }
}

/// Whether a value satisfies every operator of an advanced field selector (values
/// within one operator are alternatives).
fn matches(f: &AdvancedFieldSelector, value: &str) -> bool {
    let any = |list: &[String], test: &dyn Fn(&str) -> bool| list.iter().any(|v| test(v));
    (f.equals().is_empty() || any(f.equals(), &|v| v == value))
        && (f.starts_with().is_empty() || any(f.starts_with(), &|v| value.starts_with(v)))
        && (f.ends_with().is_empty() || any(f.ends_with(), &|v| value.ends_with(v)))
        && !any(f.not_equals(), &|v| v == value)
        && !any(f.not_starts_with(), &|v| value.starts_with(v))
        && !any(f.not_ends_with(), &|v| value.ends_with(v))
}

/// An advanced field selector as a short condition, e.g. `eventName Equals [CreateBucket]`.
fn describe_condition(f: &AdvancedFieldSelector) -> String {
    let ops = [
        ("Equals", f.equals()),
        ("StartsWith", f.starts_with()),
        ("EndsWith", f.ends_with()),
        ("NotEquals", f.not_equals()),
        ("NotStartsWith", f.not_starts_with()),
        ("NotEndsWith", f.not_ends_with()),
    ];
    let parts: Vec<String> =
        ops.iter().filter(|(_, v)| !v.is_empty()).map(|(op, v)| format!("{op} [{}]", v.join(", "))).collect();
    format!("{} {}", f.field(), parts.join(" "))
}

/// The account an ARN names (`arn:partition:service:region:ACCOUNT:resource`).
fn arn_account(arn: &str) -> Option<&str> {
    arn.split(':').nth(4).filter(|a| !a.is_empty())
}

/// A setting of an organization trail that another account (the management
/// account) owns and that could not be read from this member account: said
/// plainly, with the call that failed.
fn foreign(arn: &str, home: &str, owner: Option<&str>, cause: &Gap) -> Gap {
    let owner = owner.map(|o| format!("account {o}")).unwrap_or_else(|| "another account".into());
    Gap {
        service: SERVICE.into(),
        region: home.into(),
        operation: cause.operation.clone(),
        resource: Some(arn.into()),
        code: cause.code.clone(),
        message: format!(
            "organization trail owned by {owner}: {} from this member account failed with {}",
            cause.operation, cause.code
        ),
        class: ErrorClass::OtherAccount,
    }
}

/// Reads an organization trail of another account. AWS documents that a member
/// account asks GetTrailStatus by the trail's full ARN (which is what is sent);
/// whatever still fails is reported as that account's trail, never as gone.
async fn foreign_details(ctx: &Ctx, arn: &str, home: &str, with_tags: bool, with_selectors: bool) -> Details {
    let owner = arn_account(arn);
    fn plain<T>(o: Observed<T>, arn: &str, home: &str, owner: Option<&str>) -> Observed<T> {
        match o {
            Observed::Unknown(g) if g.class != ErrorClass::NotCollected => {
                Observed::Unknown(foreign(arn, home, owner, &g))
            }
            other => other,
        }
    }
    match details(ctx, arn, home, with_tags, with_selectors).await {
        Some(d) => Details {
            logging: plain(d.logging, arn, home, owner),
            tags: plain(d.tags, arn, home, owner),
            events: plain(d.events, arn, home, owner),
        },
        None => {
            let not_found = Gap {
                service: SERVICE.into(),
                region: home.into(),
                operation: "GetTrailStatus".into(),
                resource: Some(arn.into()),
                code: "TrailNotFoundException".into(),
                message: "the trail was not found by its ARN".into(),
                class: ErrorClass::Other,
            };
            // not gone: it is listed, only this account cannot read it
            ctx.errors.lock().unwrap_or_else(|e| e.into_inner()).push(not_found.clone());
            Details::unknown(foreign(arn, home, owner, &not_found), with_tags)
        }
    }
}

/// What was read of one trail in its home region.
struct Details {
    logging: Observed<bool>,
    tags: Observed<Tags>,
    events: Observed<ManagementEvents>,
}

impl Details {
    fn unknown(gap: Gap, with_tags: bool) -> Details {
        Details {
            logging: Observed::Unknown(gap.clone()),
            tags: if with_tags { Observed::Unknown(gap.clone()) } else { Observed::default() },
            events: Observed::Unknown(gap),
        }
    }
}

async fn details(ctx: &Ctx, arn: &str, home: &str, with_tags: bool, with_selectors: bool) -> Option<Details> {
    let tags = async {
        if with_tags {
            tags(ctx, arn, home).await
        } else {
            Ok(Observed::default())
        }
    };
    let events = async {
        if with_selectors {
            selectors(ctx, arn, home).await
        } else {
            Ok(Observed::default())
        }
    };
    let (logging, tags, events) = tokio::join!(status(ctx, arn, home), tags, events);
    Some(Details { logging: logging.ok()?, tags: tags.ok()?, events: events.ok()? })
}

pub async fn collect(
    ctx: &Ctx,
    regions: &BTreeSet<String>,
    with_tags: bool,
    with_selectors: bool,
) -> BTreeMap<String, Observed<Vec<Trail>>> {
    let listed = join_all(regions.iter().map(|r| async move { (r.clone(), describe(ctx, r).await) })).await;
    // each trail once: its home region, and whether it is an organization trail
    let mut trails: BTreeMap<String, (String, bool)> = BTreeMap::new();
    for (_, list) in &listed {
        for t in list.known().into_iter().flatten() {
            trails.insert(t.arn.clone(), (t.home_region.clone(), t.organization));
        }
    }
    let account = if trails.values().any(|(_, org)| *org) {
        Some(super::caller_account(ctx, ctx.sdk.region().map(|r| r.as_ref()).unwrap_or(ctx.global_region())).await)
    } else {
        None
    };
    let account = &account;
    let read: BTreeMap<String, Option<Details>> = join_all(trails.iter().map(|(arn, (home, org))| async move {
        let got = match (org, account) {
            (true, Some(Err(gap))) => Some(Details::unknown(gap.clone(), with_tags)),
            (true, Some(Ok(me))) if arn_account(arn) != Some(me.as_str()) => {
                Some(foreign_details(ctx, arn, home, with_tags, with_selectors).await)
            }
            _ => details(ctx, arn, home, with_tags, with_selectors).await,
        };
        (arn.clone(), got)
    }))
    .await
    .into_iter()
    .collect();
    listed
        .into_iter()
        .map(|(region, list)| {
            let list = list.map(|list| {
                list.into_iter()
                    .filter_map(|mut t| {
                        match read.get(&t.arn) {
                            // deleted between DescribeTrails and the reads: simply gone
                            Some(None) => return None,
                            Some(Some(d)) => {
                                t.is_logging = d.logging.clone();
                                t.tags = d.tags.clone();
                                t.management_events = d.events.clone();
                            }
                            None => {}
                        }
                        Some(t)
                    })
                    .collect()
            });
            (region, list)
        })
        .collect()
}

#[cfg(test)]
#[path = "cloudtrail_tests.rs"]
mod tests;
