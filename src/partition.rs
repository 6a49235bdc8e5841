//! AWS partitions. Every ARN and every global service endpoint depends on the
//! partition the audited region belongs to: `aws` (commercial), `aws-cn` (China),
//! `aws-us-gov` (GovCloud) and the isolated ones. Nothing else in driftwatch
//! spells `arn:aws:` or a global region by hand.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One partition: its ARN name and the region its global services (IAM, S3's
/// ListBuckets, Route 53, CloudFront, Organizations) are called in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partition {
    pub name: &'static str,
    pub global_region: &'static str,
}

/// Region name prefix, partition; the first matching prefix wins (so `us-gov-`
/// and `us-iso` come before the commercial default).
const PARTITIONS: &[(&str, Partition)] = &[
    ("cn-", Partition { name: "aws-cn", global_region: "cn-northwest-1" }),
    ("us-gov-", Partition { name: "aws-us-gov", global_region: "us-gov-west-1" }),
    ("us-isob-", Partition { name: "aws-iso-b", global_region: "us-isob-east-1" }),
    ("us-iso-", Partition { name: "aws-iso", global_region: "us-iso-east-1" }),
    ("eu-isoe-", Partition { name: "aws-iso-e", global_region: "eu-isoe-west-1" }),
    ("us-isof-", Partition { name: "aws-iso-f", global_region: "us-isof-south-1" }),
    ("eusc-", Partition { name: "aws-eusc", global_region: "eusc-de-east-1" }),
];

pub const AWS: Partition = Partition { name: "aws", global_region: "us-east-1" };

impl Partition {
    /// The partition of a region (commercial `aws` for every other name).
    pub fn of_region(region: &str) -> Partition {
        PARTITIONS.iter().find(|(prefix, _)| region.starts_with(prefix)).map(|(_, p)| *p).unwrap_or(AWS)
    }

    /// The partition of a requirement's regions (they are all of one partition in
    /// any real audit: the first decides), `aws` when there are none.
    pub fn of_regions(regions: &[String]) -> Partition {
        regions.first().map(|r| Partition::of_region(r)).unwrap_or_default()
    }

    /// A partition by its name (`aws`, `aws-cn`, …).
    pub fn named(name: &str) -> Option<Partition> {
        std::iter::once(AWS).chain(PARTITIONS.iter().map(|(_, p)| *p)).find(|p| p.name == name)
    }

    /// The partition an ARN names (`arn:PARTITION:…`), if it is one we know.
    pub fn of_arn(arn: &str) -> Option<Partition> {
        Partition::named(arn.strip_prefix("arn:")?.split(':').next()?)
    }

    /// `arn:{partition}:{service}:{region}:{account}:{resource}`.
    pub fn arn(&self, service: &str, region: &str, account: &str, resource: &str) -> String {
        format!("arn:{}:{service}:{region}:{account}:{resource}", self.name)
    }

    /// The ARN of a bucket, `arn:{partition}:s3:::{name}`.
    pub fn bucket_arn(&self, bucket: &str) -> String {
        self.arn("s3", "", "", bucket)
    }

    /// An AWS managed policy's ARN, `arn:{partition}:iam::aws:policy/{name}`.
    pub fn managed_policy_arn(&self, name: &str) -> String {
        self.arn("iam", "", "aws", &format!("policy/{name}"))
    }
}

/// A saved inventory names its partition; the rest follows from the name.
impl Serialize for Partition {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name)
    }
}

impl<'de> Deserialize<'de> for Partition {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        Partition::named(&name).ok_or_else(|| serde::de::Error::custom(format!("unknown partition `{name}`")))
    }
}

impl Default for Partition {
    fn default() -> Self {
        AWS
    }
}

/// The bucket name of an S3 bucket ARN of any partition, or the text itself when
/// it is not an ARN (replication and logging targets come either way).
pub fn bucket_name(arn_or_name: &str) -> &str {
    match arn_or_name.strip_prefix("arn:") {
        Some(rest) => rest.splitn(5, ':').nth(4).unwrap_or(arn_or_name),
        None => arn_or_name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partition_of_region_and_arn() {
        assert_eq!(Partition::of_region("eu-west-1"), AWS);
        assert_eq!(Partition::of_region("cn-north-1").name, "aws-cn");
        assert_eq!(Partition::of_region("us-gov-east-1").global_region, "us-gov-west-1");
        assert_eq!(Partition::of_region("us-isob-east-1").name, "aws-iso-b");
        assert_eq!(Partition::of_region("us-iso-west-1").name, "aws-iso");
        assert_eq!(Partition::of_arn("arn:aws-cn:s3:::b").map(|p| p.name), Some("aws-cn"));
        assert_eq!(Partition::of_arn("arn:nope:s3:::b"), None);
        assert_eq!(Partition::of_region("cn-north-1").bucket_arn("b"), "arn:aws-cn:s3:::b");
        assert_eq!(
            Partition::of_region("us-gov-west-1").managed_policy_arn("AdministratorAccess"),
            "arn:aws-us-gov:iam::aws:policy/AdministratorAccess"
        );
        assert_eq!(bucket_name("arn:aws-us-gov:s3:::logs"), "logs");
        assert_eq!(bucket_name("logs"), "logs");
    }
}
