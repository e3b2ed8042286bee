"""Admin wiring for finance: the "Finance" menu (wallets, the ledger, and bookings from
ticketing), the credit/refund form, and the audit-log actions for staff money moves."""

from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup

from wallet.admin_views import LedgerViewSet, WalletViewSet

FINANCE_MENU_HOOK = "register_finance_menu_item"

ledger_viewset = LedgerViewSet("wallet_transactions", menu_order=20)
wallet_viewset = WalletViewSet("wallets", menu_order=10, ledger_viewset=ledger_viewset)


class FinanceMenu(ViewSetGroup):
    """Other apps add to this menu with `menu_hook = "register_finance_menu_item"`."""

    menu_label = "Finance"
    menu_icon = "clipboard-list"
    menu_order = 215
    submenu_hook = FINANCE_MENU_HOOK
    items = (wallet_viewset, ledger_viewset)


@hooks.register("register_admin_viewset")
def register_finance_viewsets():
    return FinanceMenu()


@hooks.register("register_log_actions")
def register_wallet_log_actions(actions):
    actions.register_action("wallet.credit", "Wallet credit", "Credited the wallet")
    actions.register_action("wallet.refund", "Wallet refund", "Refunded to the wallet")
