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
