//! ELBv2 collection over recorded answers (query protocol, XML), written from the
//! Elastic Load Balancing API reference's response shapes (DescribeLoadBalancers,
//! DescribeListeners, DescribeSSLPolicies, DescribeTags), then evaluated.
//! The protocol lists are those the ALB guide's security policy table gives.

use super::*;
use crate::collect::fake::{ctx_with, recording_ctx, Request};
use crate::compare::{evaluate, Finding, Status};
use crate::inventory::{ErrorClass, Inventory};
use serde_json::json;

const NS: &str = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";

fn arn(name: &str) -> String {
    format!("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/{name}/50dc6c495c0c9188")
}

fn listener_arn(lb: &str, port: i32) -> String {
    format!("arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/{lb}/50dc6c495c0c9188/{port}")
}

fn response(op: &str, result: &str) -> String {
    format!(
        "<{op}Response xmlns=\"{NS}\"><{op}Result>{result}</{op}Result><ResponseMetadata><RequestId>6581c0ac-c3c8-11e5-aa3a-0a5a0ec6a5a1</RequestId></ResponseMetadata></{op}Response>"
    )
}

fn error(status: u16, code: &str) -> (u16, String) {
    (
        status,
        format!("<ErrorResponse xmlns=\"{NS}\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{code} here</Message></Error><RequestId>1</RequestId></ErrorResponse>"),
    )
}

fn balancers(names: &[&str]) -> String {
    let members: String = names
        .iter()
        .map(|n| {
            format!(
                "<member><LoadBalancerArn>{}</LoadBalancerArn><DNSName>{n}-1.us-east-1.elb.amazonaws.com</DNSName><Scheme>internet-facing</Scheme><LoadBalancerName>{n}</LoadBalancerName><Type>application</Type><State><Code>active</Code></State><VpcId>vpc-3ac0fb5f</VpcId></member>",
                arn(n)
            )
        })
        .collect();
    response("DescribeLoadBalancers", &format!("<LoadBalancers>{members}</LoadBalancers>"))
}

/// (port, protocol, policy) listeners of load balancer `lb`.
fn listeners(lb: &str, ls: &[(i32, &str, Option<&str>)]) -> String {
    let members: String = ls
        .iter()
        .map(|(port, protocol, policy)| {
            let tls = policy.map_or(String::new(), |p| {
                format!("<SslPolicy>{p}</SslPolicy><Certificates><member><CertificateArn>arn:aws:acm:us-east-1:123456789012:certificate/abc</CertificateArn></member></Certificates>")
            });
            format!(
                "<member><LoadBalancerArn>{}</LoadBalancerArn><Protocol>{protocol}</Protocol><Port>{port}</Port><ListenerArn>{}</ListenerArn>{tls}<DefaultActions><member><Type>forward</Type><TargetGroupArn>arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/t/1</TargetGroupArn></member></DefaultActions></member>",
                arn(lb),
                listener_arn(lb, *port)
            )
        })
        .collect();
    response("DescribeListeners", &format!("<Listeners>{members}</Listeners>"))
}

/// The protocols AWS documents for the policies these tests use.
fn protocols(policy: &str) -> &'static [&'static str] {
    match policy {
        "ELBSecurityPolicy-TLS13-1-0-2021-06" | "ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04" => {
            &["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"]
        }
        "ELBSecurityPolicy-TLS13-1-1-2021-06" => &["TLSv1.1", "TLSv1.2", "TLSv1.3"],
        "ELBSecurityPolicy-TLS13-1-2-2021-06" => &["TLSv1.2", "TLSv1.3"],
        "ELBSecurityPolicy-TLS-1-2-2017-01" => &["TLSv1.2"],
        _ => &[],
    }
}

/// A DescribeSSLPolicies answer for the names the request asks for.
fn policies(req: &Request) -> String {
    let names: Vec<String> = req
        .body
        .split('&')
        .filter(|kv| kv.starts_with("Names.member."))
        .filter_map(|kv| kv.split_once('=').map(|(_, v)| v.to_string()))
        .collect();
    let members: String = names
        .iter()
        .map(|n| {
            let p: String = protocols(n).iter().map(|p| format!("<member>{p}</member>")).collect();
            format!("<member><Name>{n}</Name><SslProtocols>{p}</SslProtocols><Ciphers><member><Name>ECDHE-RSA-AES128-GCM-SHA256</Name><Priority>1</Priority></member></Ciphers><SupportedLoadBalancerTypes><member>application</member><member>network</member></SupportedLoadBalancerTypes></member>")
        })
        .collect();
    response("DescribeSSLPolicies", &format!("<SslPolicies>{members}</SslPolicies>"))
}

fn req(body: &str) -> crate::profile::Requirement {
    let text = format!(
        "[profile]\nname = \"t\"\nregions = [\"us-east-1\"]\n[[requirement]]\nid = \"r\"\nkind = \"elbv2.listener\"\n{body}\n"
    );
    let mut p = crate::profile::parse("t.toml", &text).unwrap_or_else(|e| panic!("{e}"));
    p.resolve_regions(&[], "us-east-1");
    p.requirements.remove(0)
}

const HTTPS_TLS12: &str = "[requirement.expect]\nprotocol = \"HTTPS\"\ntls_1_2_or_newer = true";

fn need() -> Regional {
    let mut need = Regional { detail: true, extra: true, ..Default::default() };
    need.regions.insert("us-east-1".into());
    need
}

async fn findings(ctx: &Ctx, body: &str) -> Vec<Finding> {
    let got = collect(ctx, &need()).await;
    evaluate(&[req(body)], &Inventory { load_balancers: got, ..Default::default() })
}

fn rows(f: &[Finding]) -> Vec<(Option<&str>, Status, Option<serde_json::Value>)> {
    f.iter()
        .map(|f| {
            let c = f.checks.iter().find(|c| c.field == "tls_1_2_or_newer");
            (f.resource.as_deref(), f.status, c.map(|c| c.observed.clone()))
        })
        .collect()
}

fn web_listeners() -> String {
    listeners(
        "web",
        &[
            (443, "HTTPS", Some("ELBSecurityPolicy-TLS13-1-0-2021-06")),
            (444, "HTTPS", Some("ELBSecurityPolicy-TLS13-1-1-2021-06")),
            (445, "HTTPS", Some("ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04")),
            (446, "HTTPS", Some("ELBSecurityPolicy-TLS13-1-2-2021-06")),
            (447, "HTTPS", Some("ELBSecurityPolicy-TLS-1-2-2017-01")),
            (80, "HTTP", None),
        ],
    )
}

#[tokio::test]
async fn tls13_policies_that_accept_tls_1_0_or_1_1_drift_by_their_protocols() {
    let (ctx, seen) = recording_ctx(|r| match r.op.as_str() {
        "DescribeLoadBalancers" => (200, balancers(&["web"])),
        "DescribeListeners" => (200, web_listeners()),
        "DescribeSSLPolicies" => (200, policies(r)),
        op => panic!("unexpected {op}"),
    });
    let f = findings(&ctx, HTTPS_TLS12).await;
    let (l443, l444, l445, l446, l447) = (
        listener_arn("web", 443),
        listener_arn("web", 444),
        listener_arn("web", 445),
        listener_arn("web", 446),
        listener_arn("web", 447),
    );
    let obs = |p: &str| Some(json!({"policy": p, "protocols": protocols(p)}));
    assert_eq!(
        rows(&f),
        [
            (Some(l443.as_str()), Status::Drift, obs("ELBSecurityPolicy-TLS13-1-0-2021-06")),
            (Some(l444.as_str()), Status::Drift, obs("ELBSecurityPolicy-TLS13-1-1-2021-06")),
            (Some(l445.as_str()), Status::Drift, obs("ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04")),
            (Some(l446.as_str()), Status::Pass, obs("ELBSecurityPolicy-TLS13-1-2-2021-06")),
            (Some(l447.as_str()), Status::Pass, obs("ELBSecurityPolicy-TLS-1-2-2017-01")),
        ]
    );
    assert_eq!(
        f[0].message,
        "web:443: tls_1_2_or_newer is {\"policy\":\"ELBSecurityPolicy-TLS13-1-0-2021-06\",\"protocols\":[\"TLSv1\",\"TLSv1.1\",\"TLSv1.2\",\"TLSv1.3\"]}, expected true"
    );
    // one DescribeSSLPolicies for the region, naming just the policies in use, for every load balancer type
    let calls: Vec<String> =
        seen.lock().unwrap().iter().filter(|r| r.op == "DescribeSSLPolicies").map(|r| r.body.clone()).collect();
    assert_eq!(calls.len(), 1, "{calls:?}");
    let names = calls[0].split('&').filter(|kv| kv.starts_with("Names.member.")).count();
    assert_eq!(names, 5);
    assert!(!calls[0].contains("LoadBalancerType"), "{}", calls[0]);
    assert!(ctx.errors.lock().unwrap().is_empty());
}

#[tokio::test]
async fn policies_follow_next_marker() {
    let ctx = ctx_with(|r| match r.op.as_str() {
        "DescribeLoadBalancers" => (200, balancers(&["web"])),
        "DescribeListeners" => (
            200,
            listeners(
                "web",
                &[
                    (443, "HTTPS", Some("ELBSecurityPolicy-TLS13-1-2-2021-06")),
                    (444, "HTTPS", Some("ELBSecurityPolicy-TLS13-1-0-2021-06")),
                ],
            ),
        ),
        // the first page describes one policy and points to the next
        "DescribeSSLPolicies" if !r.body.contains("Marker=") => {
            let page =
                policies(&Request { body: "Names.member.1=ELBSecurityPolicy-TLS13-1-2-2021-06".into(), ..r.clone() });
            (200, page.replace("</SslPolicies>", "</SslPolicies><NextMarker>p2</NextMarker>"))
        }
        "DescribeSSLPolicies" => {
            (200, policies(&Request { body: "Names.member.1=ELBSecurityPolicy-TLS13-1-0-2021-06".into(), ..r.clone() }))
        }
        op => panic!("unexpected {op}"),
    });
    let f = findings(&ctx, HTTPS_TLS12).await;
    let got: Vec<Status> = f.iter().map(|f| f.status).collect();
    assert_eq!(got, [Status::Pass, Status::Drift]);
}

#[tokio::test]
async fn policies_denied_make_the_tls_field_unknown_not_the_listener_listing() {
    let ctx = ctx_with(|r| match r.op.as_str() {
        "DescribeLoadBalancers" => (200, balancers(&["web"])),
        "DescribeListeners" => (200, web_listeners()),
        "DescribeSSLPolicies" => error(403, "AccessDenied"),
        op => panic!("unexpected {op}"),
    });
    let f = findings(&ctx, HTTPS_TLS12).await;
    let statuses: Vec<Status> = f.iter().map(|f| f.status).collect();
    assert_eq!(statuses, [Status::Unknown; 5]);
    let c = f[0].checks.iter().find(|c| c.field == "tls_1_2_or_newer").unwrap();
    assert_eq!(c.observed, json!({"policy": "ELBSecurityPolicy-TLS13-1-0-2021-06"}));
    assert_eq!(
        c.error.as_deref(),
        Some("elasticloadbalancing:DescribeSSLPolicies in us-east-1 failed with AccessDenied")
    );
    // the HTTP listener has no policy and no TLS: it never passes a TLS check
    let f = findings(&ctx, "[requirement.expect]\nprotocol = \"HTTP\"\ntls_1_2_or_newer = true").await;
    let l80 = listener_arn("web", 80);
    assert_eq!(rows(&f), [(Some(l80.as_str()), Status::Drift, Some(json!({"policy": null, "protocols": []})))]);
    let errors = ctx.errors.lock().unwrap();
    assert_eq!(
        errors.iter().map(|g| (g.operation.as_str(), g.class)).collect::<Vec<_>>(),
        [("DescribeSSLPolicies", ErrorClass::AccessDenied), ("DescribeSSLPolicies", ErrorClass::AccessDenied)]
    );
}

#[tokio::test]
async fn an_unknown_policy_name_is_that_listener_gap_only() {
    let ctx = ctx_with(|r| match r.op.as_str() {
        "DescribeLoadBalancers" => (200, balancers(&["web"])),
        "DescribeListeners" => (
            200,
            listeners(
                "web",
                &[(443, "HTTPS", Some("ELBSecurityPolicy-TLS13-1-2-2021-06")), (444, "HTTPS", Some("Retired-Policy"))],
            ),
        ),
        "DescribeSSLPolicies" if r.body.contains("Retired-Policy") => error(400, "SSLPolicyNotFound"),
        "DescribeSSLPolicies" => (200, policies(r)),
        op => panic!("unexpected {op}"),
    });
    let f = findings(&ctx, HTTPS_TLS12).await;
    let statuses: Vec<Status> = f.iter().map(|f| f.status).collect();
    assert_eq!(statuses, [Status::Pass, Status::Unknown]);
    let errors: Vec<(String, Option<String>)> =
        ctx.errors.lock().unwrap().iter().map(|g| (g.code.clone(), g.resource.clone())).collect();
    assert_eq!(errors, [("SSLPolicyNotFound".to_string(), Some("Retired-Policy".to_string()))]);
}

#[tokio::test]
async fn one_balancer_denied_or_deleted_does_not_blind_the_region() {
    let ctx = ctx_with(|r| match r.op.as_str() {
        "DescribeLoadBalancers" => (200, balancers(&["web", "edge", "gone"])),
        "DescribeListeners" if r.body.contains("%2Fedge%2F") => error(403, "AccessDenied"),
        "DescribeListeners" if r.body.contains("%2Fgone%2F") => error(400, "LoadBalancerNotFound"),
        "DescribeListeners" => (200, listeners("web", &[(443, "HTTPS", Some("ELBSecurityPolicy-TLS13-1-2-2021-06"))])),
        "DescribeSSLPolicies" => (200, policies(r)),
        op => panic!("unexpected {op}"),
    });
    let f = findings(&ctx, HTTPS_TLS12).await;
    let l443 = listener_arn("web", 443);
    assert_eq!(
        f.iter().map(|f| (f.resource.as_deref(), f.status)).collect::<Vec<_>>(),
        [(None, Status::Unknown), (Some(l443.as_str()), Status::Pass)]
    );
    let errors: Vec<(String, Option<String>)> =
        ctx.errors.lock().unwrap().iter().map(|g| (g.operation.clone(), g.resource.clone())).collect();
    assert_eq!(errors, [("DescribeListeners".to_string(), Some(arn("edge")))]);
}

#[tokio::test]
async fn a_balancer_deleted_before_its_tags_are_read_is_gone() {
    let ctx = ctx_with(|r| {
        match r.op.as_str() {
        "DescribeLoadBalancers" => (200, balancers(&["web", "gone"])),
        // one missing ARN fails the whole batch; asked alone, the other answers
        "DescribeTags" if r.body.contains("%2Fgone%2F") => error(400, "LoadBalancerNotFound"),
        "DescribeTags" => (
            200,
            response(
                "DescribeTags",
                &format!(
                    "<TagDescriptions><member><ResourceArn>{}</ResourceArn><Tags><member><Key>Env</Key><Value>prod</Value></member></Tags></member></TagDescriptions>",
                    arn("web")
                ),
            ),
        ),
        op => panic!("unexpected {op}"),
    }
    });
    let mut need = need();
    need.tags = true;
    need.detail = false;
    let got = collect(&ctx, &need).await;
    let lbs = got["us-east-1"].known().expect("listing known");
    assert_eq!(
        lbs.iter().map(|l| (l.name.as_str(), l.tags.clone())).collect::<Vec<_>>(),
        [("web", Observed::Known(Tags::from([("Env".to_string(), "prod".to_string())])))]
    );
    assert!(ctx.errors.lock().unwrap().is_empty());
}

#[tokio::test]
async fn balancers_and_listeners_follow_next_marker_and_plain_http_has_no_policy() {
    let more = |body: String, marker: &str| {
        body.replace("</LoadBalancers>", &format!("</LoadBalancers><NextMarker>{marker}</NextMarker>"))
            .replace("</Listeners>", &format!("</Listeners><NextMarker>{marker}</NextMarker>"))
    };
    let (ctx, seen) = recording_ctx(move |r| match r.op.as_str() {
        "DescribeLoadBalancers" if r.body.contains("Marker=lb2") => (200, balancers(&["second"])),
        "DescribeLoadBalancers" => (200, more(balancers(&["first"]), "lb2")),
        // the first balancer's listeners come in two pages: HTTPS, then plain HTTP
        "DescribeListeners" if r.body.contains("first") && r.body.contains("Marker=l2") => {
            (200, listeners("first", &[(80, "HTTP", None)]))
        }
        "DescribeListeners" if r.body.contains("first") => {
            (200, more(listeners("first", &[(443, "HTTPS", Some("ELBSecurityPolicy-TLS13-1-2-2021-06"))]), "l2"))
        }
        "DescribeListeners" => (200, listeners("second", &[])),
        other => panic!("unexpected call {other}"),
    });
    let only_listeners = Regional { extra: false, ..need() };
    let got = collect(&ctx, &only_listeners).await;
    let lbs = got["us-east-1"].known().expect("every page was read");
    let summary: Vec<(&str, Vec<(Option<i32>, Option<String>, Option<String>)>)> = lbs
        .iter()
        .map(|lb| {
            let ls = lb.listeners.known().cloned().unwrap_or_default();
            (lb.name.as_str(), ls.into_iter().map(|l| (l.port, l.protocol, l.ssl_policy)).collect())
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "first",
                vec![
                    (Some(443), Some("HTTPS".to_string()), Some("ELBSecurityPolicy-TLS13-1-2-2021-06".to_string())),
                    (Some(80), Some("HTTP".to_string()), None),
                ]
            ),
            ("second", vec![]),
        ]
    );
    assert_eq!(lbs[1].listeners, Observed::Known(vec![]));
    let pages = seen.lock().unwrap().iter().filter(|r| r.op == "DescribeLoadBalancers").count();
    assert_eq!(pages, 2);
    assert!(ctx.errors.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_failing_balancers_page_fails_the_listing() {
    let ctx = ctx_with(|r| match r.op.as_str() {
        "DescribeLoadBalancers" if r.body.contains("Marker=lb2") => error(400, "Throttling"),
        "DescribeLoadBalancers" => {
            (200, balancers(&["first"]).replace("</LoadBalancers>", "</LoadBalancers><NextMarker>lb2</NextMarker>"))
        }
        other => panic!("unexpected call {other}"),
    });
    let got = collect(&ctx, &need()).await;
    let gap = got["us-east-1"].gap().expect("a short listing is never passed on as complete");
    assert_eq!(
        (gap.operation.as_str(), gap.code.as_str(), gap.class),
        ("DescribeLoadBalancers", "Throttling", ErrorClass::Throttled)
    );
    let errors: Vec<String> = ctx.errors.lock().unwrap().iter().map(|g| g.operation.clone()).collect();
    assert_eq!(errors, ["DescribeLoadBalancers"]);
}
