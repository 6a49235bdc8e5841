//! Route 53 records over recorded answers. Bodies follow the Route 53 API
//! reference (ListHostedZonesResponse, ListResourceRecordSetsResponse, the
//! ErrorResponse of a REST/XML error); names are escaped the way the Developer
//! Guide's "DNS domain name format" says ListResourceRecordSets returns them.

use super::*;
use crate::collect::fake;
use crate::inventory::{ErrorClass, RecordSet};

const NS: &str = "https://route53.amazonaws.com/doc/2013-04-01/";

pub(crate) fn zones_xml(zones: &[(&str, &str, bool)]) -> String {
    let items: String = zones
        .iter()
        .map(|(id, name, private)| {
            format!(
                "<HostedZone><Id>/hostedzone/{id}</Id><Name>{name}</Name><CallerReference>ref-{id}</CallerReference>\
<Config><PrivateZone>{private}</PrivateZone></Config><ResourceRecordSetCount>3</ResourceRecordSetCount></HostedZone>"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListHostedZonesResponse xmlns=\"{NS}\"><HostedZones>{items}</HostedZones>\
<Marker></Marker><IsTruncated>false</IsTruncated><MaxItems>100</MaxItems></ListHostedZonesResponse>"
    )
}

/// (name, type, values) record sets; alias targets are not needed here.
pub(crate) fn records_xml(sets: &[(&str, &str, &[&str])]) -> String {
    let items: String = sets
        .iter()
        .map(|(name, t, values)| {
            let rr: String =
                values.iter().map(|v| format!("<ResourceRecord><Value>{v}</Value></ResourceRecord>")).collect();
            format!(
                "<ResourceRecordSet><Name>{name}</Name><Type>{t}</Type><TTL>300</TTL>\
<ResourceRecords>{rr}</ResourceRecords></ResourceRecordSet>"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListResourceRecordSetsResponse xmlns=\"{NS}\">\
<ResourceRecordSets>{items}</ResourceRecordSets><IsTruncated>false</IsTruncated><MaxItems>100</MaxItems>\
</ListResourceRecordSetsResponse>"
    )
}

pub(crate) fn r53_error(code: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ErrorResponse xmlns=\"{NS}\"><Error><Type>Sender</Type>\
<Code>{code}</Code><Message>{code} here</Message></Error><RequestId>req-1</RequestId></ErrorResponse>"
    )
}

#[test]
fn route53_names_are_decoded_as_dns_reads_them() {
    assert_eq!(decode_name("\\052.example.com."), "*.example.com");
    assert_eq!(decode_name("WWW.Example.COM."), "www.example.com");
    assert_eq!(decode_name("\\100home.example.com"), "@home.example.com");
    assert_eq!(
        decode_name("_a79865eb4cd1a6ab990a45779b4e0b96.example.com."),
        "_a79865eb4cd1a6ab990a45779b4e0b96.example.com"
    );
    // an escaped dot inside a label, a space and a byte above 126 stay escaped
    assert_eq!(decode_name("a\\056b.example.com."), "a\\056b.example.com");
    assert_eq!(decode_name("a\\040b.example.com."), "a\\040b.example.com");
    assert_eq!(decode_name("ex\\344mple.com."), "ex\\344mple.com");
    // not an escape: kept as written
    assert_eq!(decode_name("a\\9.example."), "a\\9.example");
    assert_eq!(decode_name("a\\"), "a\\");
}

#[tokio::test]
async fn route53_wildcard_record_is_listed_decoded_and_a_deleted_zone_is_gone() {
    let ctx = fake::ctx_with(|r| {
        if r.uri.contains("/hostedzone/Z1/rrset") {
            let sets: &[(&str, &str, &[&str])] = &[
                ("example.com.", "NS", &["ns-1.awsdns-00.com."]),
                ("\\052.example.com.", "A", &["192.0.2.10"]),
                ("_x1.example.com.", "CNAME", &["_y1.acm-validations.aws."]),
            ];
            (200, records_xml(sets))
        } else if r.uri.contains("/hostedzone/Z2/rrset") {
            (404, r53_error("NoSuchHostedZone"))
        } else if r.uri.ends_with("/hostedzone") || r.uri.contains("/hostedzone?") {
            (200, zones_xml(&[("Z1", "Example.COM.", false), ("Z2", "gone.example.", false)]))
        } else {
            (500, format!("unexpected {}", r.uri))
        }
    });
    let got = collect(&ctx).await;
    let rec = |name: &str, t: &str, values: &[&str]| RecordSet {
        zone_id: "Z1".into(),
        zone_name: "example.com".into(),
        private_zone: false,
        name: name.into(),
        record_type: t.into(),
        alias_target: None,
        values: values.iter().map(|v| v.to_string()).collect(),
    };
    assert_eq!(
        got,
        Observed::Known(vec![
            rec("example.com", "NS", &["ns-1.awsdns-00.com."]),
            rec("*.example.com", "A", &["192.0.2.10"]),
            rec("_x1.example.com", "CNAME", &["_y1.acm-validations.aws."]),
        ])
    );
    assert_eq!(*ctx.errors.lock().unwrap(), []);
}

#[tokio::test]
async fn route53_unreadable_zone_leaves_the_records_unknown() {
    let ctx = fake::ctx_with(|r| {
        if r.uri.contains("/rrset") {
            (403, r53_error("AccessDenied"))
        } else {
            (200, zones_xml(&[("Z1", "example.com.", false)]))
        }
    });
    let gap = collect(&ctx).await.gap().cloned().expect("unknown");
    assert_eq!(
        (gap.operation.as_str(), gap.code.as_str(), gap.class, gap.resource.as_deref(), gap.region.as_str()),
        ("ListResourceRecordSets", "AccessDenied", ErrorClass::AccessDenied, Some("example.com."), "us-east-1")
    );
}

/// A ListHostedZones page that says more remain (IsTruncated, NextMarker).
fn zones_first_page(id: &str, name: &str) -> String {
    zones_xml(&[(id, name, false)])
        .replace("<IsTruncated>false</IsTruncated>", "<IsTruncated>true</IsTruncated><NextMarker>Z2NEXT</NextMarker>")
}

#[tokio::test]
async fn route53_zones_and_records_follow_every_page_and_alias_sets_have_no_values() {
    let (ctx, seen) = fake::recording_ctx(|r| {
        let u = r.uri.as_str();
        if u.contains("/rrset") && u.contains("Z1FIRST") && u.contains("name=b.one.example.") {
            // second records page: an alias record set, which carries no ResourceRecords
            (
                200,
                format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListResourceRecordSetsResponse xmlns=\"{NS}\"><ResourceRecordSets>\
<ResourceRecordSet><Name>b.one.example.</Name><Type>A</Type><AliasTarget><HostedZoneId>Z35SXDOTRQ7X7K</HostedZoneId>\
<DNSName>dualstack.web-123.us-east-1.elb.amazonaws.com.</DNSName><EvaluateTargetHealth>false</EvaluateTargetHealth></AliasTarget>\
</ResourceRecordSet></ResourceRecordSets><IsTruncated>false</IsTruncated><MaxItems>1</MaxItems></ListResourceRecordSetsResponse>"
                ),
            )
        } else if u.contains("/rrset") && u.contains("Z1FIRST") {
            (
                200,
                records_xml(&[("a.one.example.", "TXT", &["\"v=spf1 -all\""])]).replace(
                    "<IsTruncated>false</IsTruncated>",
                    "<IsTruncated>true</IsTruncated><NextRecordName>b.one.example.</NextRecordName><NextRecordType>A</NextRecordType>",
                ),
            )
        } else if u.contains("/rrset") {
            (200, records_xml(&[("two.example.", "MX", &["10 mail.two.example."])]))
        } else if u.contains("marker=Z2NEXT") {
            // a zone without Config: AWS's default is a public zone
            (
                200,
                zones_xml(&[("Z2NEXT", "two.example.", true)])
                    .replace("<Config><PrivateZone>true</PrivateZone></Config>", ""),
            )
        } else {
            (200, zones_first_page("Z1FIRST", "one.example."))
        }
    });
    let got = collect(&ctx).await;
    let records = got.known().expect("every page was read");
    let set = |zone: &str, zname: &str, name: &str, t: &str, alias: Option<&str>, values: &[&str]| RecordSet {
        zone_id: zone.into(),
        zone_name: zname.into(),
        private_zone: false,
        name: name.into(),
        record_type: t.into(),
        alias_target: alias.map(str::to_string),
        values: values.iter().map(|v| v.to_string()).collect(),
    };
    assert_eq!(
        records,
        &vec![
            set("Z1FIRST", "one.example", "a.one.example", "TXT", None, &["\"v=spf1 -all\""]),
            set(
                "Z1FIRST",
                "one.example",
                "b.one.example",
                "A",
                Some("dualstack.web-123.us-east-1.elb.amazonaws.com"),
                &[]
            ),
            set("Z2NEXT", "two.example", "two.example", "MX", None, &["10 mail.two.example."]),
        ]
    );
    let calls: Vec<String> = seen.lock().unwrap().iter().map(|r| r.uri.clone()).collect();
    assert_eq!(calls.len(), 5, "two zone pages, two record pages of one zone, one of the other: {calls:?}");
    assert!(ctx.errors.lock().unwrap().is_empty());
}

#[tokio::test]
async fn route53_failing_zones_page_fails_the_listing() {
    let ctx = fake::ctx_with(|r| {
        if r.uri.contains("marker=Z2NEXT") {
            (400, r53_error("Throttling"))
        } else if r.uri.contains("/rrset") {
            (200, records_xml(&[]))
        } else {
            (200, zones_first_page("Z1FIRST", "one.example."))
        }
    });
    let got = collect(&ctx).await;
    let gap = got.gap().expect("a short listing is never passed on as complete");
    assert_eq!(
        (gap.operation.as_str(), gap.code.as_str(), gap.class),
        ("ListHostedZones", "Throttling", ErrorClass::Throttled)
    );
    let errors: Vec<String> = ctx.errors.lock().unwrap().iter().map(|g| g.operation.clone()).collect();
    assert_eq!(errors, ["ListHostedZones"]);
}
