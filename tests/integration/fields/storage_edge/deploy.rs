//! Deployments for the storage_edge field proofs: CloudFront distributions,
//! WAFv2 web ACLs, ACM certificates and Route 53 zones, built through the SDK the
//! way a stack would create them.

use crate::support::audit::Audit;
use crate::support::Account;
use serde_json::Value;

pub type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

pub const EAST: &str = "us-east-1";

/// What one distribution is built with; `Dist::new` is a plain distribution on an
/// ACM certificate with one S3 origin and nothing else.
pub struct Dist {
    pub name: String,
    pub aliases: Vec<String>,
    pub oac: bool,
    /// An origin group (primary, secondary) failing over on these codes.
    pub group_codes: Option<Vec<i32>>,
    /// Whether the default behaviour targets the origin group (else the primary).
    pub target_group: bool,
    pub web_acl: Option<String>,
    /// Legacy standard logging into this bucket domain (`name.s3.amazonaws.com`).
    pub log_bucket: Option<String>,
    /// An ACM certificate with this policy; None: the CloudFront default certificate.
    pub policy: Option<aws_sdk_cloudfront::types::MinimumProtocolVersion>,
    pub compress: bool,
    pub error_codes: Vec<i32>,
    pub tags: Vec<(&'static str, &'static str)>,
}

impl Dist {
    pub fn new(acct: &Account, stem: &str) -> Self {
        Dist {
            name: stem.to_string(),
            aliases: vec![format!("{stem}-{}.cdn.example", acct.id)],
            oac: false,
            group_codes: None,
            target_group: false,
            web_acl: None,
            log_bucket: None,
            policy: Some(aws_sdk_cloudfront::types::MinimumProtocolVersion::TlSv122021),
            compress: false,
            error_codes: Vec::new(),
            tags: Vec::new(),
        }
    }
}

/// Creates the distribution; returns its ARN (its report id).
pub async fn distribution(acct: &Account, d: Dist) -> Result<String> {
    use aws_sdk_cloudfront::types::*;
    let cf = acct.cloudfront();
    let oac_id = if d.oac {
        let oac = cf
            .create_origin_access_control()
            .origin_access_control_config(
                OriginAccessControlConfig::builder()
                    .name(format!("{}-oac", d.name))
                    .signing_protocol(OriginAccessControlSigningProtocols::Sigv4)
                    .signing_behavior(OriginAccessControlSigningBehaviors::Always)
                    .origin_access_control_origin_type(OriginAccessControlOriginTypes::S3)
                    .build()?,
            )
            .send()
            .await?;
        Some(oac.origin_access_control().map(|o| o.id().to_string()).ok_or("no OAC id")?)
    } else {
        None
    };
    let origin = |id: &str, region: &str| -> Result<Origin> {
        Ok(Origin::builder()
            .id(id)
            .domain_name(format!("{}.s3.{region}.amazonaws.com", acct.bucket(&format!("{}-{id}", d.name))))
            .s3_origin_config(S3OriginConfig::builder().origin_access_identity("").build())
            .set_origin_access_control_id(oac_id.clone())
            .build()?)
    };
    let mut origins = Origins::builder().quantity(1).items(origin("primary", EAST)?);
    let mut config = DistributionConfig::builder()
        .caller_reference(format!("{}-{}", d.name, acct.id))
        .comment(&d.name)
        .enabled(true);
    if let Some(codes) = &d.group_codes {
        origins = origins.quantity(2).items(origin("secondary", "us-west-2")?);
        let codes = StatusCodes::builder().quantity(codes.len() as i32).set_items(Some(codes.clone())).build()?;
        let members = OriginGroupMembers::builder()
            .quantity(2)
            .items(OriginGroupMember::builder().origin_id("primary").build()?)
            .items(OriginGroupMember::builder().origin_id("secondary").build()?)
            .build()?;
        let group = OriginGroup::builder()
            .id("failover")
            .failover_criteria(OriginGroupFailoverCriteria::builder().status_codes(codes).build())
            .members(members)
            .build()?;
        config = config.origin_groups(OriginGroups::builder().quantity(1).items(group).build()?);
    }
    config = config.origins(origins.build()?).default_cache_behavior(
        DefaultCacheBehavior::builder()
            .target_origin_id(if d.target_group { "failover" } else { "primary" })
            .viewer_protocol_policy(ViewerProtocolPolicy::RedirectToHttps)
            .compress(d.compress)
            .build()?,
    );
    if !d.aliases.is_empty() {
        config = config
            .aliases(Aliases::builder().quantity(d.aliases.len() as i32).set_items(Some(d.aliases.clone())).build()?);
    }
    if !d.error_codes.is_empty() {
        let mut responses = CustomErrorResponses::builder().quantity(d.error_codes.len() as i32);
        for code in &d.error_codes {
            responses = responses.items(
                CustomErrorResponse::builder()
                    .error_code(*code)
                    .response_code(code.to_string())
                    .response_page_path(format!("/{code}.html"))
                    .build()?,
            );
        }
        config = config.custom_error_responses(responses.build()?);
    }
    if let Some(bucket) = &d.log_bucket {
        config = config.logging(
            LoggingConfig::builder().enabled(true).include_cookies(false).bucket(bucket).prefix("cdn/").build(),
        );
    }
    config = config.viewer_certificate(match &d.policy {
        // the API reference asks to leave CloudFrontDefaultCertificate out, not false,
        // when a custom certificate is given
        Some(policy) => ViewerCertificate::builder()
            .acm_certificate_arn(format!("arn:aws:acm:{EAST}:{}:certificate/{}", acct.id, d.name))
            .ssl_support_method(SslSupportMethod::SniOnly)
            .minimum_protocol_version(policy.clone())
            .build(),
        None => ViewerCertificate::builder().cloud_front_default_certificate(true).build(),
    });
    if let Some(acl) = &d.web_acl {
        config = config.web_acl_id(acl);
    }
    let config = config.build()?;
    let created = if d.tags.is_empty() {
        cf.create_distribution().distribution_config(config).send().await?.distribution
    } else {
        let mut tags = Tags::builder();
        for (k, v) in &d.tags {
            tags = tags.items(Tag::builder().key(*k).value(*v).build()?);
        }
        let with = DistributionConfigWithTags::builder().distribution_config(config).tags(tags.build()).build();
        cf.create_distribution_with_tags().distribution_config_with_tags(with).send().await?.distribution
    };
    Ok(created.map(|d| d.arn().to_string()).ok_or("CreateDistribution returned no distribution")?)
}

/// What one web ACL runs: the common rule set (`OverrideAction` Count when
/// `count_group`), and a rate-based rule with `rate` = (limit, action Count?).
pub struct Acl {
    pub name: String,
    pub cloudfront: bool,
    pub group: Option<bool>,
    pub rate: Option<(i64, bool)>,
    pub tags: Vec<(&'static str, &'static str)>,
}

impl Acl {
    pub fn new(name: &str) -> Self {
        Acl { name: name.to_string(), cloudfront: false, group: None, rate: None, tags: Vec::new() }
    }
}

/// Creates the web ACL (CLOUDFRONT ones in us-east-1); returns its ARN.
pub async fn web_acl(acct: &Account, a: Acl) -> Result<String> {
    use aws_sdk_wafv2::types::*;
    let visibility = |m: &str| {
        VisibilityConfig::builder()
            .sampled_requests_enabled(true)
            .cloud_watch_metrics_enabled(true)
            .metric_name(m)
            .build()
    };
    let mut create = acct
        .wafv2(EAST)
        .create_web_acl()
        .name(&a.name)
        .scope(if a.cloudfront { Scope::Cloudfront } else { Scope::Regional })
        .default_action(DefaultAction::builder().allow(AllowAction::builder().build()).build())
        .visibility_config(visibility(&a.name)?);
    if let Some(count) = a.group {
        let action = if count {
            OverrideAction::builder().count(CountAction::builder().build()).build()
        } else {
            OverrideAction::builder().none(NoneAction::builder().build()).build()
        };
        let statement = ManagedRuleGroupStatement::builder().vendor_name("AWS").name("AWSManagedRulesCommonRuleSet");
        create = create.rules(
            Rule::builder()
                .name("common")
                .priority(0)
                .statement(Statement::builder().managed_rule_group_statement(statement.build()?).build())
                .override_action(action)
                .visibility_config(visibility("common")?)
                .build()?,
        );
    }
    if let Some((limit, count)) = a.rate {
        let action = if count {
            RuleAction::builder().count(CountAction::builder().build()).build()
        } else {
            RuleAction::builder().block(BlockAction::builder().build()).build()
        };
        let statement =
            RateBasedStatement::builder().limit(limit).aggregate_key_type(RateBasedStatementAggregateKeyType::Ip);
        create = create.rules(
            Rule::builder()
                .name("per-ip")
                .priority(1)
                .statement(Statement::builder().rate_based_statement(statement.build()?).build())
                .action(action)
                .visibility_config(visibility("per-ip")?)
                .build()?,
        );
    }
    for (k, v) in &a.tags {
        create = create.tags(Tag::builder().key(*k).value(*v).build()?);
    }
    let acl = create.send().await?;
    Ok(acl.summary().and_then(|s| s.arn()).ok_or("CreateWebACL returned no ARN")?.to_string())
}

/// Sends the ACL's logs to a CloudWatch Logs group (WAF requires the
/// `aws-waf-logs-` prefix).
pub async fn waf_logging(acct: &Account, acl: &str) -> Result {
    let destination = format!("arn:aws:logs:{EAST}:{}:log-group:aws-waf-logs-fields", acct.id);
    let config = aws_sdk_wafv2::types::LoggingConfiguration::builder()
        .resource_arn(acl)
        .log_destination_configs(destination)
        .build()?;
    acct.wafv2(EAST).put_logging_configuration().logging_configuration(config).send().await?;
    Ok(())
}

/// Requests a DNS-validated certificate for `domain` in us-east-1; returns its ARN.
pub async fn request_certificate(acct: &Account, domain: &str, tags: &[(&str, &str)]) -> Result<String> {
    use aws_sdk_acm::types::{Tag, ValidationMethod};
    let mut request = acct.acm(EAST).request_certificate().domain_name(domain).validation_method(ValidationMethod::Dns);
    for (k, v) in tags {
        request = request.tags(Tag::builder().key(*k).value(*v).build()?);
    }
    Ok(request.send().await?.certificate_arn().ok_or("RequestCertificate returned no ARN")?.to_string())
}

/// Imports a self-signed certificate for `domain` valid for `days` (made with the
/// openssl command line); ACM marks an imported certificate ISSUED.
pub async fn import_certificate(acct: &Account, domain: &str, days: u32) -> Result<String> {
    let dir = tempfile::tempdir()?;
    let (key, cert) = (dir.path().join("key.pem"), dir.path().join("cert.pem"));
    let status = std::process::Command::new("openssl")
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", &days.to_string()])
        .arg("-subj")
        .arg(format!("/CN={domain}"))
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stderr(std::process::Stdio::null())
        .status()?;
    if !status.success() {
        return Err("openssl could not make a certificate".into());
    }
    let blob = |p: &std::path::Path| -> Result<aws_sdk_acm::primitives::Blob> {
        Ok(aws_sdk_acm::primitives::Blob::new(std::fs::read(p)?))
    };
    let imported =
        acct.acm(EAST).import_certificate().certificate(blob(&cert)?).private_key(blob(&key)?).send().await?;
    Ok(imported.certificate_arn().ok_or("ImportCertificate returned no ARN")?.to_string())
}

/// The validation record ACM issued for a certificate's only domain: (name, value).
pub async fn validation_record(acct: &Account, arn: &str) -> Result<(String, String)> {
    let described = acct.acm(EAST).describe_certificate().certificate_arn(arn).send().await?;
    let record = described
        .certificate()
        .and_then(|c| c.domain_validation_options().first())
        .and_then(|o| o.resource_record())
        .ok_or("no validation record")?;
    Ok((record.name().to_string(), record.value().to_string()))
}

/// A public hosted zone, or a private one attached to a new VPC; returns its id
/// without the `/hostedzone/` prefix.
pub async fn zone(acct: &Account, name: &str, private: bool) -> Result<String> {
    let mut create = acct.route53().create_hosted_zone().name(name).caller_reference(format!("{name}-{}", acct.id));
    if private {
        let vpc = acct.ec2(EAST).create_vpc().cidr_block("10.40.0.0/16").send().await?;
        let vpc = vpc.vpc().and_then(|v| v.vpc_id()).ok_or("CreateVpc returned no id")?.to_string();
        create = create
            .vpc(
                aws_sdk_route53::types::Vpc::builder()
                    .vpc_id(vpc)
                    .vpc_region(aws_sdk_route53::types::VpcRegion::UsEast1)
                    .build(),
            )
            .hosted_zone_config(
                aws_sdk_route53::types::HostedZoneConfig::builder().comment("fields").private_zone(true).build(),
            );
    }
    let z = create.send().await?;
    let id = z.hosted_zone().map(|z| z.id().to_string()).ok_or("CreateHostedZone returned no zone")?;
    Ok(id.trim_start_matches("/hostedzone/").to_string())
}

/// An A alias record at `name` to `target` (in the target's hosted zone).
pub async fn alias(acct: &Account, zone: &str, name: &str, target_zone: &str, target: &str) -> Result {
    use aws_sdk_route53::types::*;
    let alias =
        AliasTarget::builder().hosted_zone_id(target_zone).dns_name(target).evaluate_target_health(false).build()?;
    let set = ResourceRecordSet::builder().name(name).r#type(RrType::A).alias_target(alias).build()?;
    let change = Change::builder().action(ChangeAction::Upsert).resource_record_set(set).build()?;
    acct.route53()
        .change_resource_record_sets()
        .hosted_zone_id(zone)
        .change_batch(ChangeBatch::builder().changes(change).build()?)
        .send()
        .await?;
    Ok(())
}

/// Each check of one finding: (field, observed, ok).
pub fn checks(a: &Audit, req: &str, res: Option<&str>) -> Vec<(Value, Value, Value)> {
    a.finding(req, res)["checks"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|c| (c["field"].clone(), c["observed"].clone(), c["ok"].clone()))
        .collect()
}
