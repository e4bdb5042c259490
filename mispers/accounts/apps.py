from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "mispers.accounts"
    label = "accounts"

    def ready(self) -> None:
        # Audit tables added by any app's later migration get the append-only trigger too
        # (PostgreSQL; mispers.accounts.audit_db, docs/adr/0019-access-log.md).
        from .audit_db import install_after_migrate

        post_migrate.connect(install_after_migrate, sender=self,
                             dispatch_uid="mispers.accounts.append_only_triggers")
