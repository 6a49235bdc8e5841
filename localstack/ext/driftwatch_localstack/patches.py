"""Small patches to moto's models where it keeps less than AWS does.

Each patch is applied once, when its service is first loaded, and is proven by an
integration test in the driftwatch repository (tests/integration/extension.rs) that
writes the setting through the real API and reads it back.
"""

import functools

_applied: set[str] = set()


def _once(fn):
    @functools.wraps(fn)
    def wrapper():
        if fn.__name__ not in _applied:
            fn()
            _applied.add(fn.__name__)

    return wrapper


@_once
def trail_bucket_in_localstack_s3():
    """moto's CreateTrail looks for the bucket in moto's own S3; LocalStack's S3 is
    separate, so every trail failed with S3BucketDoesNotExistException. Look in
    LocalStack's global bucket map instead (bucket names are global, as in AWS)."""
    from moto.cloudtrail import models
    from moto.cloudtrail.exceptions import S3BucketDoesNotExistException

    def check_bucket_exists(self):
        from localstack.services.s3.models import s3_stores

        buckets = s3_stores[self.account_id]["us-east-1"].global_bucket_map
        if self.bucket_name not in buckets:
            raise S3BucketDoesNotExistException(
                f"S3 bucket {self.bucket_name} does not exist!"
            )

    models.Trail.check_bucket_exists = check_bucket_exists


def _items(container, key):
    """xmltodict gives a dict for one element and a list for several."""
    items = (container or {}).get("Items") or {}
    found = items.get(key) if isinstance(items, dict) else None
    if found is None:
        return []
    return found if isinstance(found, list) else [found]


ORIGIN_GROUPS_XML = """
      <OriginGroups>
        <Quantity>{{ distribution.distribution_config.dw_origin_groups|length }}</Quantity>
        {% if distribution.distribution_config.dw_origin_groups %}
        <Items>
          {% for group in distribution.distribution_config.dw_origin_groups %}
          <OriginGroup>
            <Id>{{ group.id }}</Id>
            <FailoverCriteria>
              <StatusCodes>
                <Quantity>{{ group.status_codes|length }}</Quantity>
                <Items>
                  {% for code in group.status_codes %}<StatusCode>{{ code }}</StatusCode>{% endfor %}
                </Items>
              </StatusCodes>
            </FailoverCriteria>
            <Members>
              <Quantity>{{ group.members|length }}</Quantity>
              <Items>
                {% for member in group.members %}<OriginGroupMember><OriginId>{{ member }}</OriginId></OriginGroupMember>{% endfor %}
              </Items>
            </Members>
          </OriginGroup>
          {% endfor %}
        </Items>
        {% endif %}
      </OriginGroups>
"""

ERROR_RESPONSES_XML = """
      <CustomErrorResponses>
        <Quantity>{{ distribution.distribution_config.dw_error_responses|length }}</Quantity>
        {% if distribution.distribution_config.dw_error_responses %}
        <Items>
          {% for r in distribution.distribution_config.dw_error_responses %}
          <CustomErrorResponse>
            <ErrorCode>{{ r.ErrorCode }}</ErrorCode>
            {% if r.ResponsePagePath %}<ResponsePagePath>{{ r.ResponsePagePath }}</ResponsePagePath>{% endif %}
            {% if r.ResponseCode %}<ResponseCode>{{ r.ResponseCode }}</ResponseCode>{% endif %}
            {% if r.ErrorCachingMinTTL %}<ErrorCachingMinTTL>{{ r.ErrorCachingMinTTL }}</ErrorCachingMinTTL>{% endif %}
          </CustomErrorResponse>
          {% endfor %}
        </Items>
        {% endif %}
      </CustomErrorResponses>
"""

OAC_XML = "<OriginAccessControlId>{{ origin.dw_oac_id }}</OriginAccessControlId>"


def _replace_block(template: str, start: str, end: str, new: str) -> str:
    i = template.find(start)
    if i < 0:
        return template
    j = template.index(end, i) + len(end)
    return template[:i] + new.strip() + template[j:]


@_once
def cloudfront_keeps_origin_groups_oac_and_error_responses():
    """moto's CloudFront drops OriginGroups (and rejects a default cache behaviour that
    targets a group), drops each origin's OriginAccessControlId, and drops
    CustomErrorResponses. Keep all three and render them as AWS does."""
    from moto.cloudfront import models, responses

    original_config_init = models.DistributionConfig.__init__

    def config_init(self, config):
        groups = []
        for g in _items(config.get("OriginGroups"), "OriginGroup"):
            groups.append(
                {
                    "id": g.get("Id"),
                    "status_codes": _items(
                        (g.get("FailoverCriteria") or {}).get("StatusCodes"), "StatusCode"
                    ),
                    "members": [
                        m.get("OriginId")
                        for m in _items(g.get("Members"), "OriginGroupMember")
                    ],
                }
            )
        behaviour = config.get("DefaultCacheBehavior") or {}
        target = behaviour.get("TargetOriginId")
        group = next((g for g in groups if g["id"] == target), None)
        if group and group["members"]:
            # moto only accepts an origin id here; validate against a member, then
            # restore the group id (AWS accepts a cache behaviour targeting a group)
            behaviour["TargetOriginId"] = group["members"][0]
        try:
            original_config_init(self, config)
        finally:
            if group and group["members"]:
                behaviour["TargetOriginId"] = target
        if group and group["members"]:
            self.default_cache_behavior.target_origin_id = target
        self.dw_origin_groups = groups
        self.dw_error_responses = _items(
            config.get("CustomErrorResponses"), "CustomErrorResponse"
        )

    models.DistributionConfig.__init__ = config_init

    original_origin_init = models.Origin.__init__

    def origin_init(self, origin):
        original_origin_init(self, origin)
        self.dw_oac_id = origin.get("OriginAccessControlId") or ""

    models.Origin.__init__ = origin_init

    for name in dir(responses):
        value = getattr(responses, name)
        if not (name.endswith("TEMPLATE") and isinstance(value, str)):
            continue
        if "<OriginGroups>" not in value:
            continue
        value = _replace_block(value, "<OriginGroups>", "</OriginGroups>", ORIGIN_GROUPS_XML)
        value = _replace_block(
            value, "<CustomErrorResponses>", "</CustomErrorResponses>", ERROR_RESPONSES_XML
        )
        value = value.replace(
            "<OriginPath>{{ origin.origin_path }}</OriginPath>",
            "<OriginPath>{{ origin.origin_path }}</OriginPath>" + OAC_XML,
        )
        setattr(responses, name, value)


@_once
def lambda_keeps_kms_key_arn():
    """moto's Lambda does not keep a function's KMSKeyArn (the key that encrypts its
    environment variables); keep it on create and update and return it on reads."""
    from moto.awslambda import models

    original_init = models.LambdaFunction.__init__

    def init(self, account_id, spec, region, version=1):
        original_init(self, account_id, spec, region, version)
        self.dw_kms_key_arn = spec.get("KMSKeyArn")

    models.LambdaFunction.__init__ = init

    original_get = models.LambdaFunction.get_configuration

    def get_configuration(self, on_create=False):
        config = original_get(self, on_create)
        if getattr(self, "dw_kms_key_arn", None):
            config["KMSKeyArn"] = self.dw_kms_key_arn
        return config

    models.LambdaFunction.get_configuration = get_configuration

    original_update = models.LambdaFunction.update_configuration

    def update_configuration(self, config_updates):
        if "KMSKeyArn" in config_updates:
            self.dw_kms_key_arn = config_updates["KMSKeyArn"] or None
        return original_update(self, config_updates)

    models.LambdaFunction.update_configuration = update_configuration


# A tag a test puts on a replica's own table to make every member report that
# replica with this ReplicaStatus (AWS reports CREATING, UPDATING, DELETING,
# INACCESSIBLE_ENCRYPTION_CREDENTIALS… on its own; the emulator never would).
REPLICA_STATUS_TAG = "driftwatch-test:replica-status"


@_once
def dynamodb_keeps_global_table_replicas():
    """moto ignores UpdateTable's ReplicaUpdates, so a global table (version
    2019.11.21) never shows its replicas. Create the replica table in each named
    region with the same key schema, delete it when its replica is deleted (as AWS
    deletes the replica's table), and report every member's other regions under
    `Replicas` in DescribeTable, as AWS does for global tables: ACTIVE, unless the
    replica's table carries REPLICA_STATUS_TAG."""
    from moto.dynamodb import models, responses
    from moto.dynamodb.models.table import Table

    original_update = responses.DynamoHandler.update_table

    def update_table(self):
        result = original_update(self)
        updates = self.body.get("ReplicaUpdates") or []
        if not updates:
            return result
        name = self.body["TableName"]
        source = self.dynamodb_backend.get_table(name)
        members = set(getattr(source, "dw_regions", {self.region}))
        for update in updates:
            create = update.get("Create")
            delete = update.get("Delete")
            if create:
                region = create["RegionName"]
                backend = models.dynamodb_backends[self.current_account][region]
                if name not in backend.tables:
                    backend.create_table(
                        name,
                        schema=source.schema,
                        throughput=source.throughput,
                        attr=source.attr,
                        global_indexes=None,
                        indexes=None,
                        streams=source.stream_specification,
                        billing_mode=source.billing_mode,
                        sse_specification=source.sse_specification,
                        tags=[],
                        deletion_protection_enabled=False,
                        warm_throughput=None,
                    )
                members.add(region)
            if delete:
                region = delete["RegionName"]
                members.discard(region)
                backend = models.dynamodb_backends[self.current_account][region]
                if region != self.region and name in backend.tables:
                    backend.tables.pop(name)
        for region in members:
            table = models.dynamodb_backends[self.current_account][region].tables.get(name)
            if table is not None:
                table.dw_regions = set(members)
        return responses.dynamo_json_dump(source.describe())

    original_describe = Table.describe

    def describe(self, base_key="TableDescription"):
        result = original_describe(self, base_key)
        others = sorted(getattr(self, "dw_regions", set()) - {self.region_name})
        if others:
            result[base_key]["Replicas"] = [
                {"RegionName": r, "ReplicaStatus": replica_status(self, r)} for r in others
            ]
        return result

    def replica_status(table, region):
        replica = models.dynamodb_backends[table.account_id][region].tables.get(table.name)
        tags = getattr(replica, "tags", None) or []
        return next((t["Value"] for t in tags if t.get("Key") == REPLICA_STATUS_TAG), "ACTIVE")

    responses.DynamoHandler.update_table = update_table
    Table.describe = describe


@_once
def secretsmanager_finds_the_rotation_lambda_in_the_callers_account():
    """RotateSecret checks the rotation function with an internal Lambda client that
    carries no credentials, so it looks in the default account and rejects every
    function of any other account ("Lambda does not exist"). Give that client the
    secret's own account, as AWS resolves the function in the caller's account.
    With RotateImmediately=false the provider then fails on its way out (an unset
    version id); the rotation settings are stored by then, so answer as AWS does."""
    import contextvars

    from localstack.services.secretsmanager import provider

    account = contextvars.ContextVar("driftwatch_secret_account", default=None)
    factory = provider.connect_to

    def connect_to(*args, **kwargs):
        owner = account.get()
        if owner and "aws_access_key_id" not in kwargs:
            kwargs["aws_access_key_id"] = owner
            kwargs.setdefault("aws_secret_access_key", "test")
        return factory(*args, **kwargs)

    original = provider.SecretsManagerBackend.rotate_secret

    def rotate_secret(self, secret_id, *args, **kwargs):
        token = account.set(self.account_id)
        try:
            return original(self, secret_id, *args, **kwargs)
        except UnboundLocalError:
            if kwargs.get("rotate_immediately", True):
                raise
            return self.secrets[secret_id].to_short_dict()
        finally:
            account.reset(token)

    provider.connect_to = connect_to
    provider.SecretsManagerBackend.rotate_secret = rotate_secret
