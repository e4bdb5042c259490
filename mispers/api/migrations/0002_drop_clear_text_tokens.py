"""Delete DRF's clear-text tokens (ADR 0017). `rest_framework.authtoken` is no longer installed,
so nothing reads its table; a database made before this change still holds every token in clear,
usable by anyone who reads a backup. Dropping it stops every old token at once: users create new
ones on the "API tokens" page or with `mispers token create`."""

from django.db import migrations

DROP = "DROP TABLE IF EXISTS authtoken_token"


class Migration(migrations.Migration):
    dependencies = [("api", "0001_api_tokens")]

    operations = [migrations.RunSQL(DROP, reverse_sql=migrations.RunSQL.noop)]
