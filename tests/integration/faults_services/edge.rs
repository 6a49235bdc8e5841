//! Fault cases for the Lambda, ACM, Route 53, CloudTrail, WAFv2 and CloudFront
//! collectors.

use super::*;

async fn functions(env: &Env) -> Result {
    use aws_sdk_lambda::types::Runtime;
    for (name, team) in [("fa-one", "core"), ("fa-two", "web")] {
        samples::serverless::function(env, name, Runtime::Python312, None).await?;
        let arn = format!("arn:aws:lambda:{REGION}:{}:function:{name}", env.id);
        env.lambda(REGION).tag_resource().resource(arn).tags("team", team).send().await?;
    }
    Ok(())
}

#[tokio::test]
async fn lambda_function_tags_denied_and_function_list_cut() {
    let acct = account();
    functions(&acct).await.unwrap();
    check(
        &acct,
        Case {
            profile: profile("lambda.function", PREFIX, TAGGED),
            resources: res(&[(":fa-one", "pass"), (":fa-two", "drift")]),
            service: "lambda",
            deny: "ListTags",
            target: Some("fa-one".into()),
            denied: strs(&[":fa-one"]),
            batched: false,
            error_resource: None,
            denied_fields: &["required_tags"],
            resource_page: None,
            page: Some("ListFunctions"),
        },
    );
}

async fn certificates(env: &Env) -> Result<Vec<String>> {
    let acm = env.acm(REGION);
    let mut arns = Vec::new();
    for (name, team) in [("fa-one", "core"), ("fa-two", "web")] {
        let tag = aws_sdk_acm::types::Tag::builder().key("team").value(team).build()?;
        let out = acm
            .request_certificate()
            .domain_name(format!("{name}.example.com"))
            .validation_method(aws_sdk_acm::types::ValidationMethod::Dns)
            .tags(tag)
            .send()
            .await?;
        arns.push(out.certificate_arn().unwrap_or_default().to_string());
    }
    Ok(arns)
}

#[tokio::test]
async fn acm_certificate_tags_denied_and_certificate_list_cut() {
    let acct = account();
    let arns = certificates(&acct).await.unwrap();
    let one = arns[0].clone();
    check(
        &acct,
        Case {
            profile: profile("acm.certificate", "select = { name_prefix = \"fa-\" }\n", TAGGED),
            resources: vec![(one.clone(), "pass"), (arns[1].clone(), "drift")],
            service: "acm",
            deny: "ListTagsForCertificate",
            target: Some(one.clone()),
            denied: vec![one.clone()],
            batched: false,
            error_resource: None,
            denied_fields: &["required_tags"],
            resource_page: None,
            page: Some("ListCertificates"),
        },
    );
}

async fn zone(env: &Env) -> Result {
    let r53 = env.route53();
    let zone =
        r53.create_hosted_zone().name("faults.example.com").caller_reference(format!("fa-{}", env.id)).send().await?;
    let id = zone.hosted_zone().map(|z| z.id().to_string()).unwrap_or_default();
    let id = id.trim_start_matches("/hostedzone/");
    samples::upsert_record(env, id, "fa-one.faults.example.com", aws_sdk_route53::types::RrType::A, "192.0.2.1")
        .await?;
    Ok(())
}

#[tokio::test]
async fn route53_record_sets_denied_and_zone_list_cut() {
    let acct = account();
    zone(&acct).await.unwrap();
    check(
        &acct,
        Case {
            profile: profile("route53.record", PREFIX, "public_zone = true"),
            resources: res(&[("fa-one", "pass")]),
            service: "route53",
            deny: "ListResourceRecordSets",
            target: None,
            denied: strs(&[]),
            batched: false,
            error_resource: Some("faults.example.com.".into()),
            denied_fields: &[],
            resource_page: Some("ListResourceRecordSets"),
            page: Some("ListHostedZones"),
        },
    );
}

async fn trails(env: &Env) -> Result {
    let bucket = env.bucket("fa-trail");
    samples::create_bucket_in(&env.s3(REGION), &bucket, REGION).await?;
    let ct = env.cloudtrail(REGION);
    for name in ["fa-one", "fa-two"] {
        ct.create_trail().name(name).s3_bucket_name(&bucket).send().await?;
    }
    ct.start_logging().name("fa-one").send().await?;
    Ok(())
}

#[tokio::test]
async fn cloudtrail_status_denied() {
    let acct = account();
    trails(&acct).await.unwrap();
    // DescribeTrails has no pagination (its answer is trailList alone, per the
    // CloudTrail API reference), so there is no second page to fail
    check(
        &acct,
        Case {
            profile: profile("cloudtrail.trail", PREFIX, "logging = true"),
            resources: res(&[("trail/fa-one", "pass"), ("trail/fa-two", "drift")]),
            service: "cloudtrail",
            deny: "GetTrailStatus",
            target: Some("trail/fa-one".into()),
            denied: strs(&["trail/fa-one"]),
            batched: false,
            error_resource: None,
            denied_fields: &["logging"],
            resource_page: None,
            page: None,
        },
    );
}

async fn web_acls(env: &Env) -> Result {
    use aws_sdk_wafv2::types::*;
    let waf = env.wafv2(REGION);
    for (name, team) in [("fa-one", "core"), ("fa-two", "web")] {
        let visibility = VisibilityConfig::builder()
            .sampled_requests_enabled(true)
            .cloud_watch_metrics_enabled(true)
            .metric_name(name)
            .build()?;
        waf.create_web_acl()
            .name(name)
            .scope(Scope::Regional)
            .default_action(DefaultAction::builder().allow(AllowAction::builder().build()).build())
            .visibility_config(visibility)
            .tags(Tag::builder().key("team").value(team).build()?)
            .send()
            .await?;
    }
    Ok(())
}

#[tokio::test]
async fn wafv2_tags_denied_and_acl_list_cut() {
    let acct = account();
    web_acls(&acct).await.unwrap();
    check(
        &acct,
        Case {
            profile: profile("wafv2.web_acl", PREFIX, TAGGED),
            resources: res(&[("/fa-one/", "pass"), ("/fa-two/", "drift")]),
            service: "wafv2",
            deny: "ListTagsForResource",
            target: Some("/fa-one/".into()),
            denied: strs(&["/fa-one/"]),
            batched: false,
            error_resource: None,
            denied_fields: &["required_tags"],
            resource_page: Some("ListTagsForResource"),
            page: Some("ListWebACLs"),
        },
    );
}

async fn distributions(env: &Env) -> Result<Vec<String>> {
    use aws_sdk_cloudfront::types::*;
    let cf = env.cloudfront();
    let mut out = Vec::new();
    for (name, team) in [("fa-one", "core"), ("fa-two", "web")] {
        let origin = Origin::builder()
            .id("site")
            .domain_name(format!("{}.s3.us-east-1.amazonaws.com", env.bucket(name)))
            .s3_origin_config(S3OriginConfig::builder().origin_access_identity("").build())
            .build()?;
        let config = DistributionConfig::builder()
            .caller_reference(format!("{name}-{}", env.id))
            .comment(name)
            .enabled(true)
            .origins(Origins::builder().quantity(1).items(origin).build()?)
            .default_cache_behavior(
                DefaultCacheBehavior::builder()
                    .target_origin_id("site")
                    .viewer_protocol_policy(ViewerProtocolPolicy::RedirectToHttps)
                    .build()?,
            )
            .build()?;
        let created = cf.create_distribution().distribution_config(config).send().await?;
        let arn = created.distribution().map(|d| d.arn().to_string()).unwrap_or_default();
        let tags = Tags::builder().items(Tag::builder().key("team").value(team).build()?).build();
        cf.tag_resource().resource(&arn).tags(tags).send().await?;
        out.push(arn);
    }
    Ok(out)
}

#[tokio::test]
async fn cloudfront_tags_denied_and_distribution_list_cut() {
    let acct = account();
    let arns = distributions(&acct).await.unwrap();
    let id = arns[0].rsplit('/').next().unwrap_or_default().to_string();
    check(
        &acct,
        Case {
            profile: profile("cloudfront.distribution", "", TAGGED),
            resources: vec![(arns[0].clone(), "pass"), (arns[1].clone(), "drift")],
            service: "cloudfront",
            deny: "ListTagsForResource",
            target: Some(id),
            denied: vec![arns[0].clone()],
            batched: false,
            error_resource: None,
            denied_fields: &["required_tags"],
            resource_page: None,
            page: Some("ListDistributions"),
        },
    );
}
