//! SNS over recorded answers written from the SNS API reference (query protocol,
//! XML): a topic deleted between ListTopics and its reads is gone; one topic's
//! denied read is that topic's gap.

use super::*;
use crate::collect::fake::ctx_with;
use crate::inventory::ErrorClass;

const LIST: &str = "<ListTopicsResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><ListTopicsResult><Topics>\
<member><TopicArn>arn:aws:sns:us-east-1:111122223333:alerts</TopicArn></member>\
<member><TopicArn>arn:aws:sns:us-east-1:111122223333:gone</TopicArn></member>\
<member><TopicArn>arn:aws:sns:us-east-1:111122223333:locked</TopicArn></member>\
</Topics></ListTopicsResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></ListTopicsResponse>";

fn attributes(key: &str) -> String {
    format!("<GetTopicAttributesResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><GetTopicAttributesResult><Attributes>\
<entry><key>TopicArn</key><value>arn:aws:sns:us-east-1:111122223333:alerts</value></entry>\
<entry><key>KmsMasterKeyId</key><value>{key}</value></entry></Attributes></GetTopicAttributesResult>\
<ResponseMetadata><RequestId>r2</RequestId></ResponseMetadata></GetTopicAttributesResponse>")
}

fn error(code: &str, status: u16) -> (u16, String) {
    (
        status,
        format!("<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{code}</Message></Error><RequestId>e</RequestId></ErrorResponse>"),
    )
}

#[tokio::test]
async fn sns_topic_deleted_after_listing_is_gone_and_denied_one_is_unknown() {
    let ctx = ctx_with(|r| match r.op.as_str() {
        "ListTopics" => (200, LIST.into()),
        "GetTopicAttributes" if r.body.contains("gone") => error("NotFound", 404),
        "GetTopicAttributes" if r.body.contains("locked") => error("AuthorizationError", 403),
        "GetTopicAttributes" => (200, attributes("alias/prod")),
        other => panic!("unexpected call {other}"),
    });
    let need = Regional { regions: ["us-east-1".to_string()].into(), detail: true, ..Regional::default() };
    let got = collect(&ctx, &need).await;
    let topics = got["us-east-1"].known().expect("the listing itself was read");
    let names: Vec<&str> = topics.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["alerts", "locked"]);
    assert_eq!(topics[0].kms_key, Observed::Known(Some("alias/prod".into())));
    let gap = topics[1].kms_key.gap().expect("the denied topic's key is unknown");
    assert_eq!(
        (gap.operation.as_str(), gap.code.as_str(), gap.class, gap.resource.as_deref()),
        (
            "GetTopicAttributes",
            "AuthorizationError",
            ErrorClass::AccessDenied,
            Some("arn:aws:sns:us-east-1:111122223333:locked")
        )
    );
    // the vanished topic records no error; the denied one exactly one
    let errors: Vec<(String, String)> =
        ctx.errors.lock().unwrap().iter().map(|g| (g.operation.clone(), g.code.clone())).collect();
    assert_eq!(errors, [("GetTopicAttributes".to_string(), "AuthorizationError".to_string())]);
}

fn topics_page(names: &[&str], next: Option<&str>) -> String {
    let members: String = names
        .iter()
        .map(|n| format!("<member><TopicArn>arn:aws:sns:us-east-1:111122223333:{n}</TopicArn></member>"))
        .collect();
    let next = next.map(|t| format!("<NextToken>{t}</NextToken>")).unwrap_or_default();
    format!("<ListTopicsResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><ListTopicsResult><Topics>{members}</Topics>{next}</ListTopicsResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></ListTopicsResponse>")
}

/// GetTopicAttributes of a topic without server-side encryption: AWS leaves the
/// KmsMasterKeyId entry out.
const PLAIN_ATTRIBUTES: &str = "<GetTopicAttributesResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><GetTopicAttributesResult><Attributes>\
<entry><key>TopicArn</key><value>arn:aws:sns:us-east-1:111122223333:plain</value></entry>\
<entry><key>Owner</key><value>111122223333</value></entry></Attributes></GetTopicAttributesResult>\
<ResponseMetadata><RequestId>r2</RequestId></ResponseMetadata></GetTopicAttributesResponse>";

#[tokio::test]
async fn sns_topics_follow_next_token_and_an_absent_key_is_none() {
    let (ctx, seen) = crate::collect::fake::recording_ctx(|r| {
        match r.op.as_str() {
        "ListTopics" if r.body.contains("NextToken=page-2") => (200, topics_page(&["plain"], None)),
        "ListTopics" => (200, topics_page(&["alerts"], Some("page-2"))),
        "GetTopicAttributes" if r.body.contains("plain") => (200, PLAIN_ATTRIBUTES.into()),
        "GetTopicAttributes" => (200, attributes("alias/prod")),
        "ListTagsForResource" if r.body.contains("alerts") => (
            200,
            "<ListTagsForResourceResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><ListTagsForResourceResult><Tags>\
<member><Key>team</Key><Value>ops</Value></member></Tags></ListTagsForResourceResult>\
<ResponseMetadata><RequestId>r3</RequestId></ResponseMetadata></ListTagsForResourceResponse>"
                .into(),
        ),
        "ListTagsForResource" => (
            200,
            "<ListTagsForResourceResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><ListTagsForResourceResult><Tags/></ListTagsForResourceResult>\
<ResponseMetadata><RequestId>r4</RequestId></ResponseMetadata></ListTagsForResourceResponse>"
                .into(),
        ),
        other => panic!("unexpected call {other}"),
    }
    });
    let need = Regional { regions: ["us-east-1".to_string()].into(), detail: true, tags: true, ..Regional::default() };
    let got = collect(&ctx, &need).await;
    let topics = got["us-east-1"].known().expect("both pages were read");
    let summary: Vec<(&str, Observed<Option<String>>, Observed<crate::inventory::Tags>)> =
        topics.iter().map(|t| (t.name.as_str(), t.kms_key.clone(), t.tags.clone())).collect();
    assert_eq!(
        summary,
        [
            (
                "alerts",
                Observed::Known(Some("alias/prod".into())),
                Observed::Known([("team".into(), "ops".into())].into())
            ),
            ("plain", Observed::Known(None), Observed::Known(Default::default())),
        ]
    );
    let pages = seen.lock().unwrap().iter().filter(|r| r.op == "ListTopics").count();
    assert_eq!(pages, 2);
    assert!(ctx.errors.lock().unwrap().is_empty());
}

#[tokio::test]
async fn sns_failing_second_topics_page_fails_the_listing() {
    let ctx = ctx_with(|r| match r.op.as_str() {
        "ListTopics" if r.body.contains("NextToken=page-2") => error("Throttling", 400),
        "ListTopics" => (200, topics_page(&["alerts"], Some("page-2"))),
        other => panic!("unexpected call {other}"),
    });
    let need = Regional { regions: ["us-east-1".to_string()].into(), detail: true, ..Regional::default() };
    let got = collect(&ctx, &need).await;
    let gap = got["us-east-1"].gap().expect("a short listing is never passed on as complete");
    assert_eq!(
        (gap.service.as_str(), gap.operation.as_str(), gap.code.as_str(), gap.class),
        ("sns", "ListTopics", "Throttling", ErrorClass::Throttled)
    );
    let errors: Vec<(String, String)> =
        ctx.errors.lock().unwrap().iter().map(|g| (g.operation.clone(), g.code.clone())).collect();
    assert_eq!(errors, [("ListTopics".to_string(), "Throttling".to_string())]);
}
