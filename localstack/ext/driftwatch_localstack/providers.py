"""Providers that answer every operation of a service from LocalStack's bundled moto.

The community build of LocalStack either lacks these services or cannot run them on a
machine without Docker and without downloads. moto implements them in-process; all a
provider needs is a dispatch table that forwards each operation of the service's spec
to moto.
"""

from localstack.services.plugins import Service, aws_provider

from . import patches


class MotoOnlyProvider:
    """A provider with no logic of its own; `service` names the botocore service."""

    def __init__(self, service: str):
        self.service = service


def _forward_to_moto(context, _request):
    from localstack.services.moto import call_moto

    return call_moto(context)


def _moto_service(name: str) -> Service:
    from localstack.aws.spec import load_service

    provider = MotoOnlyProvider(name)
    operations = load_service(name).operation_names

    def dispatch_table(_provider):
        return {operation: _forward_to_moto for operation in operations}

    return Service.for_provider(provider, dispatch_table_factory=dispatch_table)


@aws_provider(api="cloudtrail")
def cloudtrail():
    patches.trail_bucket_in_localstack_s3()
    return _moto_service("cloudtrail")


@aws_provider(api="cloudfront")
def cloudfront():
    patches.cloudfront_keeps_origin_groups_oac_and_error_responses()
    return _moto_service("cloudfront")


@aws_provider(api="wafv2")
def wafv2():
    return _moto_service("wafv2")


@aws_provider(api="rds")
def rds():
    return _moto_service("rds")


@aws_provider(api="elbv2")
def elbv2():
    return _moto_service("elbv2")


@aws_provider(api="autoscaling")
def autoscaling():
    return _moto_service("autoscaling")


@aws_provider(api="organizations")
def organizations():
    return _moto_service("organizations")


@aws_provider(api="dynamodb", name="moto")
def dynamodb():
    patches.dynamodb_keeps_global_table_replicas()
    return _moto_service("dynamodb")


@aws_provider(api="lambda", name="moto")
def lambda_():
    patches.lambda_keeps_kms_key_arn()
    return _moto_service("lambda")


@aws_provider(api="secretsmanager", name="driftwatch")
def secretsmanager():
    """LocalStack's own Secrets Manager, with the rotation-lambda lookup fixed."""
    from localstack.services.moto import MotoFallbackDispatcher
    from localstack.services.secretsmanager.provider import SecretsmanagerProvider

    patches.secretsmanager_finds_the_rotation_lambda_in_the_callers_account()
    return Service.for_provider(SecretsmanagerProvider(), dispatch_table_factory=MotoFallbackDispatcher)
