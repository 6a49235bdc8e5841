//! The inventory part of CloudWatch alarms.

use super::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alarm {
    pub name: String,
    pub arn: String,
    pub region: String,
    pub namespace: Option<String>,
    pub metric_name: Option<String>,
    pub statistic: Option<String>,
    pub comparison: Option<String>,
    pub threshold: Option<f64>,
    pub dimensions: Tags,
    pub actions_enabled: Option<bool>,
    pub alarm_actions: Vec<String>,
    #[serde(default)]
    pub tags: Observed<Tags>,
}
