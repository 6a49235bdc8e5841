//! One fresh emulator account per test: LocalStack keys accounts by the access key
//! id, so a random 12-digit id isolates a test's resources from every other test
//! running in parallel on the same emulator (S3 bucket names excepted: they are
//! global, so tests put the account id in their bucket names).

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;

pub struct Account {
    pub id: String,
    pub endpoint: String,
}

impl Account {
    /// A new random account on the running emulator (started if needed).
    pub fn fresh() -> Self {
        let endpoint = super::emulator::ensure();
        let id = format!("{}{:011}", fastrand::u8(1..=9), fastrand::u64(0..100_000_000_000));
        Account { id, endpoint }
    }

    /// Environment for running the driftwatch binary as this account.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_ACCESS_KEY_ID", self.id.clone()),
            ("AWS_SECRET_ACCESS_KEY", "test-secret".to_string()),
            ("AWS_ENDPOINT_URL", self.endpoint.clone()),
            ("AWS_REGION", "us-east-1".to_string()),
        ]
    }

    pub fn config(&self, region: &str) -> SdkConfig {
        SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(region.to_string()))
            .endpoint_url(&self.endpoint)
            .credentials_provider(aws_credential_types::provider::SharedCredentialsProvider::new(
                Credentials::new(&self.id, "test-secret", None, None, "driftwatch-tests"),
            ))
            .build()
    }

    /// A unique, valid bucket name for this account.
    pub fn bucket(&self, stem: &str) -> String {
        format!("{stem}-{}", self.id)
    }

    pub fn s3(&self, region: &str) -> aws_sdk_s3::Client {
        let conf = aws_sdk_s3::config::Builder::from(&self.config(region))
            .force_path_style(true)
            .build();
        aws_sdk_s3::Client::from_conf(conf)
    }

    pub fn iam(&self) -> aws_sdk_iam::Client {
        aws_sdk_iam::Client::new(&self.config("us-east-1"))
    }
    pub fn cloudtrail(&self, region: &str) -> aws_sdk_cloudtrail::Client {
        aws_sdk_cloudtrail::Client::new(&self.config(region))
    }
    pub fn cloudfront(&self) -> aws_sdk_cloudfront::Client {
        aws_sdk_cloudfront::Client::new(&self.config("us-east-1"))
    }
    pub fn wafv2(&self, region: &str) -> aws_sdk_wafv2::Client {
        aws_sdk_wafv2::Client::new(&self.config(region))
    }
    pub fn acm(&self, region: &str) -> aws_sdk_acm::Client {
        aws_sdk_acm::Client::new(&self.config(region))
    }
    pub fn ec2(&self, region: &str) -> aws_sdk_ec2::Client {
        aws_sdk_ec2::Client::new(&self.config(region))
    }
    pub fn cloudwatch(&self, region: &str) -> aws_sdk_cloudwatch::Client {
        aws_sdk_cloudwatch::Client::new(&self.config(region))
    }
    pub fn route53(&self) -> aws_sdk_route53::Client {
        aws_sdk_route53::Client::new(&self.config("us-east-1"))
    }
    pub fn rds(&self, region: &str) -> aws_sdk_rds::Client {
        aws_sdk_rds::Client::new(&self.config(region))
    }
    pub fn elbv2(&self, region: &str) -> aws_sdk_elasticloadbalancingv2::Client {
        aws_sdk_elasticloadbalancingv2::Client::new(&self.config(region))
    }
    pub fn autoscaling(&self, region: &str) -> aws_sdk_autoscaling::Client {
        aws_sdk_autoscaling::Client::new(&self.config(region))
    }
    pub fn dynamodb(&self, region: &str) -> aws_sdk_dynamodb::Client {
        aws_sdk_dynamodb::Client::new(&self.config(region))
    }
    pub fn lambda(&self, region: &str) -> aws_sdk_lambda::Client {
        aws_sdk_lambda::Client::new(&self.config(region))
    }
    pub fn kms(&self, region: &str) -> aws_sdk_kms::Client {
        aws_sdk_kms::Client::new(&self.config(region))
    }
    pub fn sts(&self) -> aws_sdk_sts::Client {
        aws_sdk_sts::Client::new(&self.config("us-east-1"))
    }
}
