//! The inventory part of RDS instances and clusters.

use super::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DbInstance {
    pub id: String,
    pub arn: String,
    pub region: String,
    pub engine: Option<String>,
    pub storage_encrypted: Option<bool>,
    /// `None` when the answer did not say: never taken for "not public".
    pub publicly_accessible: Option<bool>,
    /// BackupRetentionPeriod; `None` when the answer did not say (never taken for 0).
    pub backup_retention_days: Option<i32>,
    pub deletion_protection: Option<bool>,
    pub multi_az: Option<bool>,
    /// Identifiers (or ARNs, for other regions) of its read replicas.
    pub read_replicas: Vec<String>,
    pub subnets: Vec<String>,
    pub tags: Observed<Tags>,
    /// `DBClusterIdentifier`: the cluster the instance belongs to (Aurora, Multi-AZ DB cluster).
    #[serde(default)]
    pub cluster_id: Option<String>,
    /// The cluster, read (DescribeDBClusters) for cluster members when a
    /// requirement expects a setting AWS keeps on the cluster; `None` when not read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<Observed<DbCluster>>,
}

impl DbInstance {
    /// Whether Multi-AZ, replicas, encryption, backups and deletion protection
    /// live on a DB cluster: Aurora engines (`aurora-mysql`, `aurora-postgresql`, …)
    /// and members of a Multi-AZ DB cluster (whose instances AWS does not let one
    /// modify, only the cluster).
    pub fn cluster_managed(&self) -> bool {
        self.cluster_id.is_some() || self.engine.as_deref().is_some_and(|e| e.starts_with("aurora"))
    }
}

/// The cluster-level settings of a DB cluster (DescribeDBClusters).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DbCluster {
    pub id: String,
    pub multi_az: Option<bool>,
    pub storage_encrypted: Option<bool>,
    pub deletion_protection: Option<bool>,
    pub backup_retention_days: Option<i32>,
    /// `DBClusterMembers`: instance identifier and whether it is the writer.
    pub members: Vec<DbClusterMember>,
    /// `ReadReplicaIdentifiers`: replica clusters (ARNs when in another region).
    pub read_replicas: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DbClusterMember {
    pub id: String,
    pub writer: Option<bool>,
}
