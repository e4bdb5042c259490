# The police release of one police-only episode field to partners (ADR 0015).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("episodes", "0003_episode_prefilled_fields_episode_reported_via_and_more"),
        ("partners", "0002_organisation_force_links"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="FieldRelease",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("at", models.DateTimeField()),
                ("field", models.CharField(max_length=40)),
                ("value", models.TextField()),
                ("reason", models.TextField()),
                ("basis", models.CharField(choices=[
                    ("safeguarding", "Safeguarding a child (Children Act 1989 and 2004)"),
                    ("statutory_guidance",
                     "Statutory guidance on children who run away or go missing"),
                    ("partner_responsibility", "The organisation is responsible for the child"),
                    ("consent", "Consent")], max_length=30)),
                ("episode", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                              related_name="+", to="episodes.episode")),
                ("released_by", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                                  related_name="+",
                                                  to=settings.AUTH_USER_MODEL)),
                ("organisations", models.ManyToManyField(related_name="+",
                                                         to="partners.partnerorganisation")),
                ("sharing_records", models.ManyToManyField(related_name="+",
                                                           to="partners.sharingrecord")),
            ],
            options={
                "ordering": ["-at", "-id"],
                "indexes": [models.Index(fields=["episode", "field"],
                                         name="partners_fi_episode_6aa6fc_idx")],
            },
        ),
    ]
