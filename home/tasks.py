"""Background jobs that belong to the site as a whole."""

from django.core.management import call_command


def publish_scheduled_pages():
    """Make Wagtail's scheduled publishing happen: publish or unpublish pages whose time came."""
    call_command("publish_scheduled", verbosity=0)
