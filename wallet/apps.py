from django.apps import AppConfig


class WalletConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "wallet"

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from core.admin_access import ReadOnlyPermissionPolicy
        from wallet.models import Wallet, WalletTransaction

        # Wallet rows change only through wallet.services: read-only in the admin, registered
        # before any admin code asks Wagtail for a policy (it would make a fallback one).
        register_permission_policy(Wallet, ReadOnlyPermissionPolicy(Wallet))
        register_permission_policy(WalletTransaction, ReadOnlyPermissionPolicy(WalletTransaction))
