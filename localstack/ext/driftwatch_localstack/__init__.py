"""driftwatch's LocalStack extension: moto-backed providers and small model patches."""
