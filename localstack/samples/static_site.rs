//! Seed 000, the multi-region static site behind CloudFront
//! (`profiles/static-site-cdn.toml`). Both variants deploy the full stack; the
//! generated one, like the seed's tap_stack.py, never creates the ACM validation
//! records and points CloudFront logging at a hard-coded bucket that does not exist.

use super::{Env, Result, Variant};

pub const DOMAIN: &str = "demo-site.example";
const EAST: &str = "us-east-1";
const WEST: &str = "us-west-2";
/// The hosted zone id every CloudFront alias target uses.
const CLOUDFRONT_ZONE: &str = "Z2FDTNDATAQYW2";

async fn kms_key(env: &Env, region: &str) -> Result<String> {
    let key = env.kms(region).create_key().description("static site buckets").send().await?;
    Ok(key.key_metadata().and_then(|m| m.arn()).unwrap_or_default().to_string())
}

/// A versioned, SSE-KMS, fully blocked bucket, logging to `logs` when given.
async fn bucket(env: &Env, region: &str, name: &str, logs: Option<&str>) -> Result {
    use aws_sdk_s3::types::*;
    let s3 = env.s3(region);
    super::create_bucket_in(&s3, name, region).await?;
    let key = kms_key(env, region).await?;
    super::encrypt_with_kms(&s3, name, &key, false).await?;
    super::enable_versioning(&s3, name).await?;
    super::block_public_access(&s3, name).await?;
    if let Some(target) = logs {
        let logging = LoggingEnabled::builder().target_bucket(target).target_prefix(format!("{name}/")).build()?;
        s3.put_bucket_logging()
            .bucket(name)
            .bucket_logging_status(BucketLoggingStatus::builder().logging_enabled(logging).build())
            .send()
            .await?;
    }
    Ok(())
}

async fn web_acl(env: &Env) -> Result<String> {
    use aws_sdk_wafv2::types::*;
    let waf = env.wafv2(EAST);
    let visibility = |m: &str| {
        VisibilityConfig::builder()
            .sampled_requests_enabled(true)
            .cloud_watch_metrics_enabled(true)
            .metric_name(m)
            .build()
    };
    let managed = |name: &str, priority: i32| -> Result<Rule> {
        Ok(Rule::builder()
            .name(name)
            .priority(priority)
            .statement(
                Statement::builder()
                    .managed_rule_group_statement(
                        ManagedRuleGroupStatement::builder().vendor_name("AWS").name(name).build()?,
                    )
                    .build(),
            )
            .override_action(OverrideAction::builder().none(NoneAction::builder().build()).build())
            .visibility_config(visibility(name)?)
            .build()?)
    };
    let rate = Rule::builder()
        .name("RateLimitRule")
        .priority(2)
        .statement(
            Statement::builder()
                .rate_based_statement(
                    RateBasedStatement::builder()
                        .limit(2000)
                        .aggregate_key_type(RateBasedStatementAggregateKeyType::Ip)
                        .build()?,
                )
                .build(),
        )
        .action(RuleAction::builder().block(BlockAction::builder().build()).build())
        .visibility_config(visibility("RateLimitRule")?)
        .build()?;
    let acl = waf
        .create_web_acl()
        .name("static-site-acl")
        .scope(Scope::Cloudfront)
        .default_action(DefaultAction::builder().allow(AllowAction::builder().build()).build())
        .visibility_config(visibility("static-site-acl")?)
        .rules(managed("AWSManagedRulesCommonRuleSet", 0)?)
        .rules(managed("AWSManagedRulesKnownBadInputsRuleSet", 1)?)
        .rules(rate)
        .send()
        .await?;
    let arn = acl.summary().and_then(|s| s.arn()).unwrap_or_default().to_string();
    let destination = format!("arn:aws:logs:{EAST}:{}:log-group:aws-waf-logs-static-site", env.id);
    waf.put_logging_configuration()
        .logging_configuration(
            LoggingConfiguration::builder().resource_arn(&arn).log_destination_configs(destination).build()?,
        )
        .send()
        .await?;
    Ok(arn)
}

/// Requests the certificate; the ideal stack also creates its validation CNAMEs.
async fn certificate(env: &Env, zone: &str, with_records: bool) -> Result<String> {
    use aws_sdk_acm::types::ValidationMethod;
    let acm = env.acm(EAST);
    let arn = acm
        .request_certificate()
        .domain_name(DOMAIN)
        .subject_alternative_names(format!("www.{DOMAIN}"))
        .validation_method(ValidationMethod::Dns)
        .send()
        .await?
        .certificate_arn()
        .unwrap_or_default()
        .to_string();
    if with_records {
        super::create_validation_records(env, EAST, zone, &arn).await?;
    }
    Ok(arn)
}

async fn distribution(
    env: &Env,
    primary: &str,
    secondary: &str,
    acl: &str,
    cert: &str,
    log_bucket: &str,
) -> Result<(String, String)> {
    use aws_sdk_cloudfront::types::*;
    let cf = env.cloudfront();
    let oac = cf
        .create_origin_access_control()
        .origin_access_control_config(
            OriginAccessControlConfig::builder()
                .name("static-site-oac")
                .signing_protocol(OriginAccessControlSigningProtocols::Sigv4)
                .signing_behavior(OriginAccessControlSigningBehaviors::Always)
                .origin_access_control_origin_type(OriginAccessControlOriginTypes::S3)
                .build()?,
        )
        .send()
        .await?;
    let oac_id = oac.origin_access_control().map(|o| o.id().to_string()).unwrap_or_default();
    let origin = |id: &str, bucket: &str, region: &str| -> Result<Origin> {
        Ok(Origin::builder()
            .id(id)
            .domain_name(format!("{bucket}.s3.{region}.amazonaws.com"))
            .s3_origin_config(S3OriginConfig::builder().origin_access_identity("").build())
            .origin_access_control_id(&oac_id)
            .build()?)
    };
    let codes = StatusCodes::builder().quantity(4).items(500).items(502).items(503).items(504).build()?;
    let members = OriginGroupMembers::builder()
        .quantity(2)
        .items(OriginGroupMember::builder().origin_id("primary").build()?)
        .items(OriginGroupMember::builder().origin_id("secondary").build()?)
        .build()?;
    let group = OriginGroup::builder()
        .id("site-failover")
        .failover_criteria(OriginGroupFailoverCriteria::builder().status_codes(codes).build())
        .members(members)
        .build()?;
    let config = DistributionConfig::builder()
        .caller_reference(format!("static-site-{}", env.id))
        .comment("static site")
        .enabled(true)
        .aliases(Aliases::builder().quantity(2).items(DOMAIN).items(format!("www.{DOMAIN}")).build()?)
        .origins(
            Origins::builder()
                .quantity(2)
                .items(origin("primary", primary, EAST)?)
                .items(origin("secondary", secondary, WEST)?)
                .build()?,
        )
        .origin_groups(OriginGroups::builder().quantity(1).items(group).build()?)
        .default_cache_behavior(
            DefaultCacheBehavior::builder()
                .target_origin_id("site-failover")
                .viewer_protocol_policy(ViewerProtocolPolicy::RedirectToHttps)
                .compress(true)
                .build()?,
        )
        .custom_error_responses(
            CustomErrorResponses::builder()
                .quantity(1)
                .items(
                    CustomErrorResponse::builder()
                        .error_code(404)
                        .response_code("404")
                        .response_page_path("/404.html")
                        .build()?,
                )
                .build()?,
        )
        .logging(
            LoggingConfig::builder()
                .enabled(true)
                .include_cookies(false)
                .bucket(format!("{log_bucket}.s3.amazonaws.com"))
                .prefix("cdn/")
                .build(),
        )
        .viewer_certificate(
            ViewerCertificate::builder()
                .acm_certificate_arn(cert)
                .ssl_support_method(SslSupportMethod::SniOnly)
                .minimum_protocol_version(MinimumProtocolVersion::TlSv122021)
                .build(),
        )
        .web_acl_id(acl)
        .build()?;
    let created = cf.create_distribution().distribution_config(config).send().await?;
    let d = created.distribution().ok_or("CreateDistribution returned no distribution")?;
    Ok((d.arn().to_string(), d.domain_name().to_string()))
}

async fn origin_policy(env: &Env, region: &str, bucket: &str, distribution_arn: &str) -> Result {
    let policy = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "AllowCloudFrontOAC",
            "Effect": "Allow",
            "Principal": {"Service": "cloudfront.amazonaws.com"},
            "Action": "s3:GetObject",
            "Resource": format!("arn:aws:s3:::{bucket}/*"),
            "Condition": {"StringEquals": {"AWS:SourceArn": distribution_arn}},
        }],
    });
    env.s3(region).put_bucket_policy().bucket(bucket).policy(policy.to_string()).send().await?;
    Ok(())
}

async fn aliases(env: &Env, zone: &str, target: &str) -> Result {
    use aws_sdk_route53::types::*;
    let mut batch = ChangeBatch::builder();
    for name in [DOMAIN.to_string(), format!("www.{DOMAIN}")] {
        for t in [RrType::A, RrType::Aaaa] {
            let alias = AliasTarget::builder()
                .hosted_zone_id(CLOUDFRONT_ZONE)
                .dns_name(target)
                .evaluate_target_health(false)
                .build()?;
            let set = ResourceRecordSet::builder().name(&name).r#type(t).alias_target(alias).build()?;
            batch = batch.changes(Change::builder().action(ChangeAction::Upsert).resource_record_set(set).build()?);
        }
    }
    env.route53().change_resource_record_sets().hosted_zone_id(zone).change_batch(batch.build()?).send().await?;
    Ok(())
}

async fn alarms(env: &Env, distribution_id: &str) -> Result {
    use aws_sdk_cloudwatch::types::*;
    let cw = env.cloudwatch(EAST);
    let topic = format!("arn:aws:sns:{EAST}:{}:site-alerts", env.id);
    cw.put_metric_alarm()
        .alarm_name("static-site-5xx")
        .namespace("AWS/CloudFront")
        .metric_name("5xxErrorRate")
        .dimensions(Dimension::builder().name("DistributionId").value(distribution_id).build())
        .dimensions(Dimension::builder().name("Region").value("Global").build())
        .statistic(Statistic::Average)
        .period(300)
        .evaluation_periods(1)
        .comparison_operator(ComparisonOperator::GreaterThanOrEqualToThreshold)
        .threshold(5.0)
        .alarm_actions(&topic)
        .send()
        .await?;
    cw.put_metric_alarm()
        .alarm_name("static-site-waf-blocked")
        .namespace("AWS/WAFV2")
        .metric_name("BlockedRequests")
        .dimensions(Dimension::builder().name("WebACL").value("static-site-acl").build())
        .statistic(Statistic::Sum)
        .period(300)
        .evaluation_periods(1)
        .comparison_operator(ComparisonOperator::GreaterThanOrEqualToThreshold)
        .threshold(100.0)
        .alarm_actions(&topic)
        .send()
        .await?;
    Ok(())
}

pub async fn deploy(env: &Env, v: Variant) -> Result {
    // S3 access logs stay in the source bucket's region (AWS refuses cross-region logging)
    let logs = env.bucket("site-logs");
    let logs_west = env.bucket("site-logs-west");
    let primary = env.bucket("static-site-primary");
    let secondary = env.bucket("static-site-secondary");
    bucket(env, EAST, &logs, None).await?;
    bucket(env, WEST, &logs_west, None).await?;
    bucket(env, EAST, &primary, Some(&logs)).await?;
    bucket(env, WEST, &secondary, Some(&logs_west)).await?;
    let zone =
        env.route53().create_hosted_zone().name(DOMAIN).caller_reference(format!("site-{}", env.id)).send().await?;
    let zone_id = zone.hosted_zone().map(|z| z.id().to_string()).unwrap_or_default();
    let cert = certificate(env, &zone_id, v == Variant::Compliant).await?;
    let acl = web_acl(env).await?;
    // tap_stack.py logs to a hard-coded bucket that is not part of the stack
    let log_target = if v == Variant::Compliant { logs.clone() } else { "project-stack-cloudfront-logs".to_string() };
    let (dist_arn, dist_domain) = distribution(env, &primary, &secondary, &acl, &cert, &log_target).await?;
    origin_policy(env, EAST, &primary, &dist_arn).await?;
    origin_policy(env, WEST, &secondary, &dist_arn).await?;
    aliases(env, &zone_id, &dist_domain).await?;
    alarms(env, dist_arn.rsplit('/').next().unwrap_or_default()).await
}
