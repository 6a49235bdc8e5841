//! Fleet discovery through AWS Organizations on the emulator (served from the
//! bundled moto by the project's extension): the accounts of an organization with
//! their OU paths and tags, a closed (SUSPENDED) account left out, and `--ou`
//! narrowing the walk to one branch.

use crate::support;
use driftwatch::fleet::FleetAccount;
use std::collections::BTreeMap;

pub(crate) async fn create_account(org: &aws_sdk_organizations::Client, name: &str) -> String {
    let created = org
        .create_account()
        .email(format!("{name}@example.com"))
        .account_name(name)
        .send()
        .await
        .expect("CreateAccount");
    created.create_account_status().and_then(|s| s.account_id()).expect("CreateAccount names the account").to_string()
}

pub(crate) async fn create_ou(org: &aws_sdk_organizations::Client, parent: &str, name: &str) -> String {
    let ou =
        org.create_organizational_unit().parent_id(parent).name(name).send().await.expect("CreateOrganizationalUnit");
    ou.organizational_unit().and_then(|u| u.id()).expect("the unit's id").to_string()
}

pub(crate) async fn move_to(org: &aws_sdk_organizations::Client, account: &str, from: &str, to: &str) {
    org.move_account()
        .account_id(account)
        .source_parent_id(from)
        .destination_parent_id(to)
        .send()
        .await
        .expect("MoveAccount");
}

fn fleet_account(id: &str, name: &str, ous: &[&str], tags: &[(&str, &str)]) -> FleetAccount {
    FleetAccount {
        id: id.into(),
        name: Some(name.into()),
        ous: Some(ous.iter().map(|s| s.to_string()).collect()),
        tags: Some(tags.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<BTreeMap<_, _>>()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn organizations_discovers_active_accounts_with_ou_paths_and_tags() {
    let acct = support::account();
    let org = acct.organizations();
    org.create_organization()
        .feature_set(aws_sdk_organizations::types::OrganizationFeatureSet::All)
        .send()
        .await
        .expect("CreateOrganization");
    let root = org.list_roots().send().await.expect("ListRoots").roots()[0].id().expect("root id").to_string();
    let prod = create_ou(&org, &root, "prod").await;
    let web = create_ou(&org, &prod, "web").await;
    let sandbox = create_ou(&org, &root, "sandbox").await;
    let shop = create_account(&org, "shop").await;
    let site = create_account(&org, "site").await;
    let play = create_account(&org, "play").await;
    let gone = create_account(&org, "gone").await;
    move_to(&org, &shop, &root, &prod).await;
    move_to(&org, &site, &root, &web).await;
    move_to(&org, &play, &root, &sandbox).await;
    move_to(&org, &gone, &root, &sandbox).await;
    for (account, env) in [(&shop, "prod"), (&site, "prod"), (&play, "sandbox")] {
        let tag = aws_sdk_organizations::types::Tag::builder().key("environment").value(env).build().expect("tag");
        org.tag_resource().resource_id(account.as_str()).tags(tag).send().await.expect("TagResource");
    }
    org.close_account().account_id(gone.as_str()).send().await.expect("CloseAccount");

    let ctx = driftwatch::aws::Ctx::new(acct.config("us-east-1"), &driftwatch::aws::Settings::default(), false);
    let found = driftwatch::fleet::organizations::discover(&ctx, None).await.expect("discover");
    // the management account (the one that created the organization) sits under the root
    let management = org.describe_account().account_id(&acct.id).send().await.expect("DescribeAccount");
    let management_name = management.account().and_then(|a| a.name()).expect("its name").to_string();
    let mut expected = vec![
        fleet_account(&acct.id, &management_name, &[], &[]),
        fleet_account(&shop, "shop", &[&prod], &[("environment", "prod")]),
        fleet_account(&site, "site", &[&prod, &web], &[("environment", "prod")]),
        fleet_account(&play, "play", &[&sandbox], &[("environment", "sandbox")]),
    ];
    expected.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(found, expected);
    // the walk finds exactly the active accounts ListAccounts lists
    let listed = org.list_accounts().send().await.expect("ListAccounts");
    let mut active: Vec<&str> = listed
        .accounts()
        .iter()
        .filter(|a| a.state() == Some(&aws_sdk_organizations::types::AccountState::Active))
        .filter_map(|a| a.id())
        .collect();
    active.sort();
    assert_eq!(found.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), active);

    let under_prod = driftwatch::fleet::organizations::discover(&ctx, Some(&prod)).await.expect("discover --ou");
    let mut expected: Vec<FleetAccount> = expected.into_iter().filter(|a| a.id == shop || a.id == site).collect();
    expected.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(under_prod, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn organizations_not_in_use_is_a_clear_error() {
    let acct = support::account();
    let ctx = driftwatch::aws::Ctx::new(acct.config("us-east-1"), &driftwatch::aws::Settings::default(), false);
    let err = driftwatch::fleet::organizations::discover(&ctx, None).await.unwrap_err();
    assert!(err.starts_with("organizations:ListRoots failed: AWSOrganizationsNotInUseException: "), "{err}");
}
