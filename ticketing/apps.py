from django.apps import AppConfig


class TicketingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ticketing"

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from core.admin_access import ReadOnlyPermissionPolicy
        from messaging.models import SentMessage
        from ticketing import signal_handlers
        from ticketing.mail import tracking as mail_tracking
        from ticketing.models import Booking
        from ticketing.services import show_cache

        # Bookings are written only by services: before any admin code asks Wagtail for the
        # policy (it would make a fallback one), the read-only one is registered.
        register_permission_policy(Booking, ReadOnlyPermissionPolicy(Booking))
        register_permission_policy(SentMessage, ReadOnlyPermissionPolicy(SentMessage))
        mail_tracking.connect()
        signal_handlers.connect()
        show_cache.connect()
