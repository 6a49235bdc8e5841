//! Live tests against LocalStack for AWS-documented semantics (issue 12).
