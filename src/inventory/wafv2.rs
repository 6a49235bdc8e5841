//! The inventory part of WAFv2 web ACLs.

use super::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebAcl {
    pub name: String,
    pub id: String,
    pub arn: String,
    pub scope: String,
    pub region: String,
    /// The managed rule group statements of the ACL's rules (GetWebACL), unknown when
    /// GetWebACL failed for this ACL.
    #[serde(default)]
    pub managed_groups: Observed<Vec<ManagedGroupUse>>,
    /// The rate-based statements of the ACL's rules (GetWebACL).
    #[serde(default)]
    pub rate_rules: Observed<Vec<RateRule>>,
    pub logging: Observed<bool>,
    #[serde(default)]
    pub tags: Observed<Tags>,
}

/// WAF rule actions that stop a request (CAPTCHA and Challenge stop the requests
/// that lack a valid token); Count and Allow let it through to the next rules.
pub fn waf_action_stops(action: &str) -> bool {
    matches!(action, "Block" | "Captcha" | "Challenge")
}

/// One `ManagedRuleGroupStatement` in a web ACL, with the settings that decide
/// whether it acts on requests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManagedGroupUse {
    /// The web ACL rule that holds the statement.
    pub rule: String,
    /// `Vendor:Name`.
    pub group: String,
    /// The version the statement pins, if any.
    #[serde(default)]
    pub version: Option<String>,
    /// The statement is the rule's own statement, not nested inside another one.
    pub top_level: bool,
    /// The rule's `OverrideAction` (`Count` or `None`), if it has one.
    pub override_action: Option<String>,
    /// Rule name -> action the ACL sets in its place (`RuleActionOverrides`
    /// `ActionToUse`; the older `ExcludedRules` set `Count`).
    pub rule_overrides: BTreeMap<String, String>,
    /// Rule name -> the group's own action for it (DescribeManagedRuleGroup); read
    /// only when every override keeps rules from blocking, else `None`.
    pub group_rules: Option<Observed<BTreeMap<String, String>>>,
}

/// One `RateBasedStatement` in a web ACL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RateRule {
    /// The web ACL rule that holds the statement.
    pub rule: String,
    pub limit: i64,
    /// The rule's action (`Block`, `Count`, `Captcha`, `Challenge`), if it has one.
    pub action: Option<String>,
    /// The statement is the rule's own statement, not nested inside another one.
    pub top_level: bool,
}
