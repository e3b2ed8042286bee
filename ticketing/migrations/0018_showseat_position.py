from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class AddIndexWithoutBlockingWrites(AddIndexConcurrently):
    """On PostgreSQL the index is built CONCURRENTLY: holds and sales go on writing seat rows
    while it builds over every show's seats. Elsewhere (SQLite) a plain index."""

    def _operation(self, schema_editor):
        return AddIndexConcurrently if schema_editor.connection.vendor == "postgresql" else migrations.AddIndex

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._operation(schema_editor).database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._operation(schema_editor).database_backwards(self, app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [
        ("cinema", "0008_layout_companion_seats"),
        ("ticketing", "0017_showseat_companion"),
    ]

    operations = [
        AddIndexWithoutBlockingWrites(
            model_name="showseat",
            index=models.Index(fields=["show", "row", "column"], name="showseat_position"),
        ),
    ]
