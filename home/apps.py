from django.apps import AppConfig
from django.db.models.signals import post_migrate


class HomeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "home"

    def ready(self):
        from core import auth_copy
        from home import invalidation, language_switch
        from home.roles import ensure_groups_after_migrate

        post_migrate.connect(ensure_groups_after_migrate, sender=self)
        invalidation.connect()
        auth_copy.connect()
        language_switch.connect()
