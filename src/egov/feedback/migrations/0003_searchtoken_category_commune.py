# The word rows carry their item's category and commune, so a search filtered by either is one
# range read of (token, category | commune, published_at DESC, item) with no join to the items.
# Existing rows are filled from their items by one set-based UPDATE (each row rewritten once),
# then the category is made NOT NULL and the indexes are built over the filled rows.

import django.db.models.deletion
from django.db import migrations, models

FILL = """
UPDATE feedback_searchtoken SET (category_id, commune_id) = (
    SELECT category_id, commune_id FROM feedback_item
    WHERE feedback_item.id = feedback_searchtoken.item_id
)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0002_item_idempotency_key"),
        ("places", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchtoken",
            name="category",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="feedback.category",
            ),
        ),
        migrations.AddField(
            model_name="searchtoken",
            name="commune",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="places.adminunit",
            ),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop, elidable=False),
        migrations.AlterField(
            model_name="searchtoken",
            name="category",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="feedback.category",
            ),
        ),
        migrations.AddIndex(
            model_name="searchtoken",
            index=models.Index(
                fields=["token", "category", "-published_at", "-item"],
                name="feedback_token_category",
            ),
        ),
        migrations.AddIndex(
            model_name="searchtoken",
            index=models.Index(
                fields=["token", "commune", "-published_at", "-item"],
                name="feedback_token_commune",
            ),
        ),
    ]
