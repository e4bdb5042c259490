"""Issue 11: identity keys of each of several given names ("part"), and names transliterated
(Łukasz → lukasz) rather than stripped of the letters ASCII lacks. The keys are derived data,
so every child's are rebuilt under the current rules (`mispers matching_keys --rebuild` does
the same by hand)."""

from django.db import migrations, models


def rebuild(apps, schema_editor):
    from mispers.matching.keys import identity_rows

    Child = apps.get_model("people", "Child")
    Alias = apps.get_model("people", "Alias")
    IdentityKey = apps.get_model("matching", "IdentityKey")
    IdentityKey.objects.all().delete()
    aliases: dict = {}
    for child_id, given, family in Alias.objects.values_list("child_id", "given_name",
                                                               "family_name"):
        aliases.setdefault(child_id, []).append((given, family))
    rows = []
    for child in Child.objects.filter(merged_into__isnull=True).order_by("pk").iterator(
            chunk_size=2000):
        for values in identity_rows(
                given_name=child.given_name, family_name=child.family_name,
                aliases=tuple(aliases.get(child.pk, ())), date_of_birth=child.date_of_birth,
                estimated_age=child.estimated_age, estimated_age_on=child.estimated_age_on,
                home_address=child.home_address, placement_address=child.placement_address):
            rows.append(IdentityKey(force_id=child.force_id, child_id=child.pk, **values))
        if len(rows) >= 5000:
            IdentityKey.objects.bulk_create(rows)
            rows = []
    IdentityKey.objects.bulk_create(rows)


class Migration(migrations.Migration):

    dependencies = [
        ("matching", "0002_identitykey"),
        ("people", "0002_child_merged_into_historicalchild_merged_into"),
    ]

    operations = [
        migrations.AlterField(
            model_name="identitykey",
            name="kind",
            field=models.CharField(choices=[("name", "Name"), ("alias", "Alias"),
                                            ("formal", "Formal name of a nickname"),
                                            ("part", "One of several given names")],
                                   max_length=6),
        ),
        migrations.RunPython(rebuild, migrations.RunPython.noop),
    ]
