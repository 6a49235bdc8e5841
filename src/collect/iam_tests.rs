//! The IAM collector over a recorded GetAccountAuthorizationDetails answer (query
//! protocol, XML; documents URL-encoded, as the IAM API reference documents).

use super::*;
use crate::collect::fake::ctx_with;
use serde_json::json;

fn encoded(doc: &serde_json::Value) -> String {
    percent_encoding::utf8_percent_encode(&doc.to_string(), percent_encoding::NON_ALPHANUMERIC).to_string()
}

#[tokio::test]
async fn paths_and_policy_documents_are_kept() {
    let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "support.amazonaws.com"}, "Action": "sts:AssumeRole"}]});
    let inline = json!({"Statement": {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}});
    let body = format!(
        "<GetAccountAuthorizationDetailsResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><GetAccountAuthorizationDetailsResult>\
<IsTruncated>false</IsTruncated>\
<RoleDetailList><member><Path>/aws-service-role/support.amazonaws.com/</Path><RoleName>AWSServiceRoleForSupport</RoleName><RoleId>AROAEXAMPLE1</RoleId>\
<Arn>arn:aws:iam::111122223333:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport</Arn><CreateDate>2024-01-01T00:00:00Z</CreateDate>\
<AssumeRolePolicyDocument>{}</AssumeRolePolicyDocument><InstanceProfileList/><RolePolicyList><member><PolicyName>broad</PolicyName><PolicyDocument>{}</PolicyDocument></member></RolePolicyList>\
<AttachedManagedPolicies/><Tags/></member></RoleDetailList>\
<UserDetailList><member><Path>/people/</Path><UserName>ana</UserName><UserId>AIDAEXAMPLE1</UserId><Arn>arn:aws:iam::111122223333:user/people/ana</Arn><CreateDate>2024-01-01T00:00:00Z</CreateDate><UserPolicyList/><GroupList/><AttachedManagedPolicies/><Tags/></member></UserDetailList>\
<GroupDetailList><member><Path>/</Path><GroupName>ops</GroupName><GroupId>AGPAEXAMPLE1</GroupId><Arn>arn:aws:iam::111122223333:group/ops</Arn><CreateDate>2024-01-01T00:00:00Z</CreateDate><GroupPolicyList/><AttachedManagedPolicies/></member></GroupDetailList>\
<Policies/></GetAccountAuthorizationDetailsResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetAccountAuthorizationDetailsResponse>",
        encoded(&trust),
        encoded(&inline)
    );
    let ctx = ctx_with(move |r| {
        assert_eq!(r.op, "GetAccountAuthorizationDetails");
        (200, body.clone())
    });
    let iam = collect(&ctx, false, false).await;
    let all = iam.principals.known().expect("known");
    let got: Vec<(Principal, &str, &str)> = all.iter().map(|p| (p.kind, p.name.as_str(), p.path.as_str())).collect();
    assert_eq!(
        got,
        [
            (Principal::Role, "AWSServiceRoleForSupport", "/aws-service-role/support.amazonaws.com/"),
            (Principal::User, "ana", "/people/"),
            (Principal::Group, "ops", "/"),
        ]
    );
    assert_eq!(all[0].trust_policy, Some(trust));
    assert_eq!(all[0].inline[0].document, inline);
    assert!(ctx.errors.lock().unwrap().is_empty());
}

fn user(name: &str) -> String {
    format!("<member><Path>/</Path><UserName>{name}</UserName><UserId>AIDA{name}</UserId><Arn>arn:aws:iam::111122223333:user/{name}</Arn>\
<CreateDate>2024-01-01T00:00:00Z</CreateDate><UserPolicyList/><GroupList/><AttachedManagedPolicies/><Tags/></member>")
}

fn iam_error(code: &str) -> String {
    format!("<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type><Code>{code}</Code>\
<Message>{code}</Message></Error><RequestId>e</RequestId></ErrorResponse>")
}

#[tokio::test]
async fn mfa_devices_per_user_a_deleted_user_is_gone_a_denied_one_unknown() {
    let details = format!(
        "<GetAccountAuthorizationDetailsResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><GetAccountAuthorizationDetailsResult>\
<IsTruncated>false</IsTruncated><RoleDetailList/><UserDetailList>{}{}{}</UserDetailList><GroupDetailList/><Policies/>\
</GetAccountAuthorizationDetailsResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetAccountAuthorizationDetailsResponse>",
        user("ana"),
        user("gone"),
        user("locked")
    );
    let ctx = ctx_with(move |r| {
        match r.op.as_str() {
        "GetAccountAuthorizationDetails" => (200, details.clone()),
        "ListMFADevices" if r.body.contains("UserName=gone") => (404, iam_error("NoSuchEntity")),
        "ListMFADevices" if r.body.contains("UserName=locked") => (403, iam_error("AccessDenied")),
        "ListMFADevices" => (
            200,
            "<ListMFADevicesResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><ListMFADevicesResult><MFADevices>\
<member><UserName>ana</UserName><SerialNumber>arn:aws:iam::111122223333:mfa/ana</SerialNumber><EnableDate>2024-01-01T00:00:00Z</EnableDate></member>\
</MFADevices><IsTruncated>false</IsTruncated></ListMFADevicesResult><ResponseMetadata><RequestId>2</RequestId></ResponseMetadata></ListMFADevicesResponse>"
                .into(),
        ),
        other => panic!("unexpected call {other}"),
    }
    });
    let iam = collect(&ctx, false, true).await;
    let users: Vec<(&str, Option<usize>)> =
        iam.principals.known().unwrap().iter().map(|p| (p.name.as_str(), p.mfa_devices.known().copied())).collect();
    assert_eq!(users, [("ana", Some(1)), ("locked", None)]);
    let errors: Vec<(String, Option<String>, String)> =
        ctx.errors.lock().unwrap().iter().map(|g| (g.operation.clone(), g.resource.clone(), g.code.clone())).collect();
    assert_eq!(
        errors,
        [(
            "ListMFADevices".to_string(),
            Some("arn:aws:iam::111122223333:user/locked".to_string()),
            "AccessDenied".to_string()
        )]
    );
}

fn details_page(users: &str, policies: &str, marker: Option<&str>) -> String {
    let more = match marker {
        Some(m) => format!("<IsTruncated>true</IsTruncated><Marker>{m}</Marker>"),
        None => "<IsTruncated>false</IsTruncated>".to_string(),
    };
    format!(
        "<GetAccountAuthorizationDetailsResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><GetAccountAuthorizationDetailsResult>\
{more}<RoleDetailList/><UserDetailList>{users}</UserDetailList><GroupDetailList/><Policies>{policies}</Policies>\
</GetAccountAuthorizationDetailsResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetAccountAuthorizationDetailsResponse>"
    )
}

fn mfa_page(user: &str, serials: &[&str], marker: Option<&str>) -> String {
    let devices: String = serials
        .iter()
        .map(|s| format!("<member><UserName>{user}</UserName><SerialNumber>arn:aws:iam::111122223333:mfa/{s}</SerialNumber><EnableDate>2024-01-01T00:00:00Z</EnableDate></member>"))
        .collect();
    let more = match marker {
        Some(m) => format!("<IsTruncated>true</IsTruncated><Marker>{m}</Marker>"),
        None => "<IsTruncated>false</IsTruncated>".to_string(),
    };
    format!("<ListMFADevicesResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><ListMFADevicesResult><MFADevices>{devices}</MFADevices>{more}</ListMFADevicesResult><ResponseMetadata><RequestId>2</RequestId></ResponseMetadata></ListMFADevicesResponse>")
}

#[tokio::test]
async fn authorization_details_and_mfa_devices_follow_every_page() {
    let allow =
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]});
    let old = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]});
    // a tagged user on the first page; on the second an untagged one (AWS leaves
    // Tags out) and a local policy whose default version is the second one
    let tagged = "<member><Path>/</Path><UserName>ana</UserName><UserId>AIDAana</UserId><Arn>arn:aws:iam::111122223333:user/ana</Arn>\
<CreateDate>2024-01-01T00:00:00Z</CreateDate><UserPolicyList/><GroupList/><AttachedManagedPolicies>\
<member><PolicyName>ReadOnlyAccess</PolicyName><PolicyArn>arn:aws:iam::aws:policy/ReadOnlyAccess</PolicyArn></member></AttachedManagedPolicies>\
<Tags><member><Key>team</Key><Value>sec</Value></member></Tags></member>";
    let untagged = "<member><Path>/</Path><UserName>bo</UserName><UserId>AIDAbo</UserId><Arn>arn:aws:iam::111122223333:user/bo</Arn>\
<CreateDate>2024-01-01T00:00:00Z</CreateDate></member>";
    let policy = format!(
        "<member><PolicyName>reader</PolicyName><PolicyId>ANPAEXAMPLE</PolicyId><Arn>arn:aws:iam::111122223333:policy/reader</Arn>\
<Path>/</Path><DefaultVersionId>v2</DefaultVersionId><AttachmentCount>0</AttachmentCount><IsAttachable>true</IsAttachable>\
<PolicyVersionList><member><Document>{}</Document><VersionId>v1</VersionId><IsDefaultVersion>false</IsDefaultVersion></member>\
<member><Document>{}</Document><VersionId>v2</VersionId><IsDefaultVersion>true</IsDefaultVersion></member></PolicyVersionList></member>",
        encoded(&old),
        encoded(&allow)
    );
    let (first, second) = (details_page(tagged, "", Some("m2")), details_page(untagged, &policy, None));
    let (ctx, seen) = crate::collect::fake::recording_ctx(move |r| match r.op.as_str() {
        "GetAccountAuthorizationDetails" if r.body.contains("Marker=m2") => (200, second.clone()),
        "GetAccountAuthorizationDetails" => (200, first.clone()),
        "ListMFADevices" if r.body.contains("UserName=ana") && r.body.contains("Marker=d2") => {
            (200, mfa_page("ana", &["ana-key"], None))
        }
        "ListMFADevices" if r.body.contains("UserName=ana") => (200, mfa_page("ana", &["ana-phone"], Some("d2"))),
        "ListMFADevices" => (200, mfa_page("bo", &[], None)),
        other => panic!("unexpected call {other}"),
    });
    let iam = collect(&ctx, true, true).await;
    let all = iam.principals.known().expect("both pages were read");
    let users: Vec<(&str, usize, Observed<crate::inventory::Tags>, Option<usize>)> = all
        .iter()
        .map(|p| (p.name.as_str(), p.attached.len(), p.tags.clone(), p.mfa_devices.known().copied()))
        .collect();
    assert_eq!(
        users,
        [
            ("ana", 1, Observed::Known([("team".to_string(), "sec".to_string())].into()), Some(2)),
            ("bo", 0, Observed::Known(Default::default()), Some(0)),
        ]
    );
    let local = iam.local_policies.known().expect("local policies were read");
    let documents: Vec<(&str, &serde_json::Value)> = local.values().map(|p| (p.name.as_str(), &p.document)).collect();
    assert_eq!(documents, [("reader", &allow)]);
    let calls = seen.lock().unwrap().iter().filter(|r| r.op == "GetAccountAuthorizationDetails").count();
    assert_eq!(calls, 2);
    assert!(ctx.errors.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_failing_authorization_details_page_leaves_all_iam_unknown() {
    let first = details_page(&user("ana"), "", Some("m2"));
    let ctx = ctx_with(move |r| match r.op.as_str() {
        "GetAccountAuthorizationDetails" if r.body.contains("Marker=m2") => (400, iam_error("Throttling")),
        "GetAccountAuthorizationDetails" => (200, first.clone()),
        other => panic!("unexpected call {other}"),
    });
    let iam = collect(&ctx, true, true).await;
    let gap = iam.principals.gap().expect("a short listing is never passed on as complete");
    assert_eq!(
        (gap.operation.as_str(), gap.code.as_str(), gap.class),
        ("GetAccountAuthorizationDetails", "Throttling", crate::inventory::ErrorClass::Throttled)
    );
    assert_eq!(iam.local_policies.gap(), Some(gap));
    let errors: Vec<String> = ctx.errors.lock().unwrap().iter().map(|g| g.operation.clone()).collect();
    assert_eq!(errors, ["GetAccountAuthorizationDetails"]);
}
