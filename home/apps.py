from django.apps import AppConfig
from django.db.models.signals import post_migrate


class HomeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "home"

    def ready(self):
        from home import auth_cache, invalidation, language_switch
        from home.roles import ensure_groups_after_migrate

        post_migrate.connect(ensure_groups_after_migrate, sender=self)
        invalidation.connect()
        auth_cache.connect()
        language_switch.connect()
