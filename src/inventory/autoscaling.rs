//! The inventory part of Auto Scaling groups.

use super::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AutoScalingGroup {
    pub name: String,
    pub arn: String,
    pub region: String,
    pub min_size: i32,
    pub max_size: i32,
    pub desired: i32,
    /// Launch template id or name, directly or through a mixed instances policy.
    pub launch_template: Option<String>,
    pub launch_configuration: Option<String>,
    /// Instance types of a mixed instances policy's overrides.
    pub instance_types: Vec<String>,
    pub subnets: Vec<String>,
    pub tags: Observed<Tags>,
}
