//! The inventory part of SQS queues.

use super::*;

/// What GetQueueAttributes says of a queue, read into its meaning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueAttributes {
    /// SqsManagedSseEnabled; `None` when the answer did not say.
    pub sse_sqs: Option<bool>,
    /// KmsMasterKeyId (an ARN, key id or alias), when SSE-KMS is on.
    pub kms_key: Option<String>,
    /// RedrivePolicy (`deadLetterTargetArn`, `maxReceiveCount`); `Null` when it is not JSON.
    pub redrive_policy: Option<serde_json::Value>,
    /// The queue policy; `Null` when it is not JSON.
    pub policy: Option<serde_json::Value>,
    /// MessageRetentionPeriod, in seconds.
    pub retention_seconds: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Queue {
    pub name: String,
    pub url: String,
    pub arn: String,
    pub region: String,
    pub attributes: Observed<QueueAttributes>,
    /// KeyManager (`AWS` / `CUSTOMER`) of the KMS key; `None` without one.
    pub key_manager: Observed<Option<String>>,
    pub tags: Observed<Tags>,
}
